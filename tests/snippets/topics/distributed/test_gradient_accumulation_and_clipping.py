import pytest
import torch
import torch.nn.functional as F
from torch import nn

from snippets.topics.distributed.gradient_accumulation_and_clipping import (
    accumulate_by_count,
    accumulate_clip_step,
)
from snippets.topics.ml.grad_accumulation import accumulate_grads
from snippets.topics.ml.training_loop import clip_grad_norm

D = 5


def model_and_data(device, n=12):
    model = nn.Sequential(nn.Linear(D, 8), nn.Tanh(), nn.Linear(8, 1))
    model.to(device=device, dtype=torch.float64)
    x = torch.randn(n, D, device=device, dtype=torch.float64)
    y = torch.randn(n, 1, device=device, dtype=torch.float64)
    return model, x, y


def grads(model):
    return [p.grad.clone() for p in model.parameters()]


def full_batch_grads(model, x, y):
    model.zero_grad(set_to_none=True)
    F.mse_loss(model(x), y).backward()
    return grads(model)


def naive_one_over_k(model, x, y, sizes):
    """Mean loss per micro-batch, each scaled by 1/k."""
    model.zero_grad(set_to_none=True)
    for xb, yb in zip(x.split(sizes), y.split(sizes), strict=True):
        (F.mse_loss(model(xb), yb) / len(sizes)).backward()
    return grads(model)


def max_diff(a, b):
    return max((u - v).abs().max().item() for u, v in zip(a, b, strict=True))


@pytest.mark.parametrize("k", [1, 2, 3, 4, 6, 12])
def test_equal_micro_batches_scaled_by_1_over_k_equal_the_big_batch(k, device):
    model, x, y = model_and_data(device)
    ref = full_batch_grads(model, x, y)
    got = naive_one_over_k(model, x, y, [12 // k] * k)
    assert max_diff(got, ref) < 1e-12  # float64: reordered sums only


def test_unequal_micro_batches_break_the_1_over_k_rule(device):
    model, x, y = model_and_data(device)
    ref = full_batch_grads(model, x, y)
    sizes = [2, 10]  # the 2 examples get weight 1/4 each instead of 1/12
    wrong = naive_one_over_k(model, x, y, sizes)
    assert max_diff(wrong, ref) > 1e-2  # a real bias, not roundoff
    # Weighting by size / B (the training-loop helper) restores it.
    accumulate_grads(model, F.mse_loss, x, y, n_micro=2)  # sizes 6, 6
    assert max_diff(grads(model), ref) < 1e-12
    # And sum-reduced losses over the total count handle any sizes.
    accumulate_by_count(model, sum_loss, list(zip(x.split(sizes), y.split(sizes), strict=True)))
    assert max_diff(grads(model), ref) < 1e-12


def sum_loss(model, batch):
    xb, yb = batch
    return F.mse_loss(model(xb), yb, reduction="sum"), xb.size(0)


def test_token_level_mean_with_padding(device):
    # Sequences with 7, 2 and 5 real tokens (the rest padding): the loss
    # the paper means is the mean over all 14 real tokens.
    emb = nn.Linear(D, 1).to(device=device, dtype=torch.float64)
    seqs = [torch.randn(n, D, device=device, dtype=torch.float64) for n in (7, 2, 5)]
    targets = [torch.randn(s.size(0), 1, device=device, dtype=torch.float64) for s in seqs]
    emb.zero_grad()
    F.mse_loss(emb(torch.cat(seqs)), torch.cat(targets)).backward()
    ref = grads(emb)
    mean = accumulate_by_count(emb, sum_loss, list(zip(seqs, targets, strict=True)))
    assert max_diff(grads(emb), ref) < 1e-12
    full = F.mse_loss(emb(torch.cat(seqs)), torch.cat(targets)).item()
    assert mean == pytest.approx(full, rel=1e-12)


@pytest.mark.parametrize("max_norm", [1e-3, 0.1, 1e3])
def test_clip_matches_torch_clip_grad_norm(max_norm, device):
    model, x, y = model_and_data(device)
    ref_grads = full_batch_grads(model, x, y)
    for p, g in zip(model.parameters(), ref_grads, strict=True):
        p.grad = g.clone()
    ref_norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    ref_clipped = grads(model)
    for p, g in zip(model.parameters(), ref_grads, strict=True):
        p.grad = g.clone()
    norm = clip_grad_norm(list(model.parameters()), max_norm)
    torch.testing.assert_close(norm, ref_norm, atol=1e-12, rtol=0)
    assert max_diff(grads(model), ref_clipped) < 1e-12


def test_step_matches_gradscaler_unscale_clip_step(device):
    # Reference: torch.amp.GradScaler's documented recipe on one big batch.
    model, x, y = model_and_data(device)
    state = {k: v.clone() for k, v in model.state_dict().items()}
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    scaler = torch.amp.GradScaler(device.type, init_scale=2.0**10)
    scaler.scale(F.mse_loss(model(x), y)).backward()
    scaler.unscale_(opt)
    ref_norm = nn.utils.clip_grad_norm_(model.parameters(), 0.05)
    scaler.step(opt)
    ref = [p.detach().clone() for p in model.parameters()]

    model.load_state_dict(state)
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    mbs = list(zip(x.chunk(4), y.chunk(4), strict=True))
    norm = accumulate_clip_step(
        model,
        opt,
        lambda m, b: F.mse_loss(m(b[0]), b[1]),
        mbs,
        0.05,
        scale=2.0**10,
    )
    assert ref_norm.item() > 0.05  # the clip is active
    torch.testing.assert_close(norm, ref_norm, atol=1e-12, rtol=0)
    for p, r in zip(model.parameters(), ref, strict=True):
        torch.testing.assert_close(p.detach(), r, atol=1e-12, rtol=0)


def test_clipping_before_unscaling_shrinks_the_step_by_the_scale(device):
    model, x, y = model_and_data(device)
    S, max_norm = 2.0**10, 0.05
    ref = full_batch_grads(model, x, y)
    for p, g in zip(model.parameters(), ref, strict=True):
        p.grad = g * S  # scaled, not yet unscaled
    clip_grad_norm(list(model.parameters()), max_norm)  # wrong order
    for p in model.parameters():
        p.grad /= S
    wrong = torch.linalg.vector_norm(torch.cat([p.grad.flatten() for p in model.parameters()]))
    # The clip saw an S-times larger norm: the true step is S-times too small.
    assert wrong.item() == pytest.approx(max_norm / S, rel=1e-6)


def test_clipping_each_micro_batch_is_not_clipping_the_sum(device):
    model, x, y = model_and_data(device)
    ref = full_batch_grads(model, x, y)
    max_norm = 0.05
    total = [torch.zeros_like(g) for g in ref]
    for xb, yb in zip(x.chunk(3), y.chunk(3), strict=True):
        model.zero_grad(set_to_none=True)
        (F.mse_loss(model(xb), yb) / 3).backward()
        clip_grad_norm(list(model.parameters()), max_norm)
        total = [t + p.grad for t, p in zip(total, model.parameters(), strict=True)]
    for p, g in zip(model.parameters(), ref, strict=True):
        p.grad = g.clone()
    clip_grad_norm(list(model.parameters()), max_norm)
    assert max_diff(total, grads(model)) > 1e-3  # a different update
