import itertools
import math
import warnings

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from snippets.topics.ml.training_loop import clip_grad_norm, lr_at, train

PEAK, MIN, WARMUP, TOTAL = 1e-3, 1e-5, 100, 1100


def test_schedule_at_known_steps():
    assert lr_at(0, PEAK, WARMUP, TOTAL, MIN) == 0.0
    assert lr_at(WARMUP // 2, PEAK, WARMUP, TOTAL, MIN) == pytest.approx(PEAK / 2, abs=1e-15)
    assert lr_at(WARMUP, PEAK, WARMUP, TOTAL, MIN) == pytest.approx(PEAK, abs=1e-15)
    halfway = WARMUP + (TOTAL - WARMUP) // 2
    assert lr_at(halfway, PEAK, WARMUP, TOTAL, MIN) == pytest.approx((PEAK + MIN) / 2, abs=1e-15)
    # A quarter into the decay: min + (peak − min)(1 + cos(π/4))/2.
    quarter = WARMUP + (TOTAL - WARMUP) // 4
    expected = MIN + (PEAK - MIN) * (1 + math.cos(math.pi / 4)) / 2
    assert lr_at(quarter, PEAK, WARMUP, TOTAL, MIN) == pytest.approx(expected, abs=1e-15)
    assert lr_at(TOTAL, PEAK, WARMUP, TOTAL, MIN) == pytest.approx(MIN, abs=1e-15)
    assert lr_at(TOTAL + 500, PEAK, WARMUP, TOTAL, MIN) == MIN


def test_schedule_rises_then_falls_monotonically():
    lrs = [lr_at(s, PEAK, WARMUP, TOTAL, MIN) for s in range(TOTAL + 1)]
    rise, fall = lrs[: WARMUP + 1], lrs[WARMUP:]
    assert all(a < b for a, b in itertools.pairwise(rise))
    assert all(a > b for a, b in itertools.pairwise(fall))


def grads_of_norm(total_norm, device, dtype=torch.float64):
    params = [
        nn.Parameter(torch.zeros(s, device=device, dtype=dtype)) for s in [(3, 4), (5,), (2, 2)]
    ]
    grads = [torch.randn(p.shape, device=device, dtype=dtype) for p in params]
    norm = torch.linalg.vector_norm(torch.cat([g.flatten() for g in grads]))
    for p, g in zip(params, grads, strict=True):
        p.grad = g * (total_norm / norm)
    return params


@pytest.mark.parametrize("total_norm", [0.3, 1.0 - 1e-3, 2.0, 1e4])
def test_clip_matches_clip_grad_norm_and_hits_the_limit(total_norm, device):
    max_norm = 1.0
    ours = grads_of_norm(total_norm, device)
    theirs = [nn.Parameter(p.detach().clone()) for p in ours]
    for p, q in zip(ours, theirs, strict=True):
        q.grad = p.grad.clone()
    before = [p.grad.clone() for p in ours]
    returned = clip_grad_norm(ours, max_norm)
    expected = torch.nn.utils.clip_grad_norm_(theirs, max_norm)
    torch.testing.assert_close(returned, expected, atol=1e-12, rtol=0)
    for p, q in zip(ours, theirs, strict=True):
        torch.testing.assert_close(p.grad, q.grad, atol=1e-15, rtol=0)
    after = torch.linalg.vector_norm(torch.cat([p.grad.flatten() for p in ours]))
    if total_norm > max_norm:
        assert abs(after.item() - max_norm) < 1e-6  # off by max_norm·eps/(norm+eps)
    else:
        for p, g in zip(ours, before, strict=True):
            assert torch.equal(p.grad, g)  # scale clamps to exactly 1


def test_clip_keeps_the_direction(device):
    params = grads_of_norm(50.0, device)
    before = torch.cat([p.grad.flatten() for p in params])
    clip_grad_norm(params, 1.0)
    after = torch.cat([p.grad.flatten() for p in params])
    cosine = F.cosine_similarity(before, after, dim=0)
    torch.testing.assert_close(cosine, torch.ones_like(cosine), atol=1e-12, rtol=0)


def regression_data(device, N=256, C=8, noise=0.05):
    x = torch.randn(N, C, device=device)
    w = torch.randn(C, 1, device=device)
    return x, x @ w + 0.5 + noise * torch.randn(N, 1, device=device)


def test_loss_drops_a_thousandfold_to_the_noise_floor(device):
    x, y = regression_data(device)
    model = nn.Linear(8, 1, device=device)
    with torch.no_grad():
        before = F.mse_loss(model(x), y).item()
    with warnings.catch_warnings():
        # PyTorch warns when sched.step() comes before opt.step(): the order
        # zero_grad, forward, backward, clip, step, sched.step must not warn.
        warnings.simplefilter("error")
        losses, _, norms = train(model, x, y, steps=100)
    with torch.no_grad():
        after = F.mse_loss(model(x), y).item()
    # before ≈ ‖w‖² + 0.25 ≈ 10; the noise variance is 0.05² = 0.0025.
    assert after < before / 1000
    assert after < 2 * 0.05**2
    assert sum(losses[-10:]) / 10 < losses[0] / 1000  # the logged batch losses too
    assert max(norms) > 1.0  # clipping was active in the early steps


def test_each_step_uses_the_scheduled_lr(device):
    x, y = regression_data(device, N=64)
    model = nn.Linear(8, 1, device=device)
    _, lrs, _ = train(model, x, y, steps=30, peak_lr=0.1, warmup_steps=10, min_lr=0.01)
    expected = [lr_at(s, 0.1, 10, 30, 0.01) for s in range(30)]
    assert lrs[0] == 0.0  # step 0 uses lr(0), not lr(1)
    assert max(abs(a - b) for a, b in zip(lrs, expected, strict=True)) < 1e-15
