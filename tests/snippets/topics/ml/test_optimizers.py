import copy

import pytest
import torch
from torch import nn

from snippets.topics.ml.optimizers import SGD, Adagrad, Adam, AdamW

STEPS = 60

CASES = {
    "sgd": (SGD, torch.optim.SGD, dict(lr=0.05)),
    "sgd-momentum": (SGD, torch.optim.SGD, dict(lr=0.05, momentum=0.9)),
    "sgd-nesterov-wd": (
        SGD,
        torch.optim.SGD,
        dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01),
    ),
    "adagrad": (Adagrad, torch.optim.Adagrad, dict(lr=0.1)),
    "adagrad-wd-init": (
        Adagrad,
        torch.optim.Adagrad,
        dict(lr=0.05, eps=1e-6, weight_decay=0.01, initial_accumulator_value=0.1),
    ),
    "adam": (Adam, torch.optim.Adam, dict(lr=0.01)),
    "adam-l2": (Adam, torch.optim.Adam, dict(lr=0.01, betas=(0.8, 0.99), weight_decay=0.1)),
    "adamw": (AdamW, torch.optim.AdamW, dict(lr=0.01, weight_decay=0.1)),
}


def small_model(device):
    return nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 2)).to(device, torch.float64)


@pytest.mark.parametrize("case", CASES)
def test_step_by_step_parity_with_torch_optim_float64(case, device):
    ours_cls, torch_cls, kwargs = CASES[case]
    model = small_model(device)
    twin = copy.deepcopy(model)
    ours, theirs = ours_cls(model.parameters(), **kwargs), torch_cls(twin.parameters(), **kwargs)
    worst = 0.0
    for _ in range(STEPS):
        x = torch.randn(16, 4, device=device, dtype=torch.float64)
        target = torch.randn(16, 2, device=device, dtype=torch.float64)
        for net, opt in ((model, ours), (twin, theirs)):
            opt.zero_grad()
            nn.functional.mse_loss(net(x), target).backward()
            opt.step()
        for p, q in zip(model.parameters(), twin.parameters(), strict=True):
            worst = max(worst, (p - q).abs().max().item())
    assert worst < 1e-12, worst  # float64: observed ~1e-16
    # And the parameters really moved: the test is not comparing two no-ops.
    assert (model[0].weight - small_model(device)[0].weight).abs().max() > 0


def test_momentum_hand_worked(device):
    # Constant gradient 1, μ = 0.5, lr = 1: v = 1, 1.5, 1.75 and p = −1, −2.5, −4.25.
    p = torch.zeros(1, device=device, dtype=torch.float64, requires_grad=True)
    opt = SGD([p], lr=1.0, momentum=0.5)
    for expected in (-1.0, -2.5, -4.25):
        p.grad = torch.ones_like(p)
        opt.step()
        assert p.item() == expected


def test_adam_first_step_is_lr_times_sign_thanks_to_bias_correction(device):
    # After one step m̂ = g and v̂ = g², so the update is lr · g / (|g| + eps).
    p = torch.zeros(5, device=device, dtype=torch.float64, requires_grad=True)
    g = torch.tensor([3.0, -0.001, 50.0, -2.0, 1e-3], device=device, dtype=torch.float64)
    opt = Adam([p], lr=0.1, eps=0.0)
    p.grad = g.clone()
    opt.step()
    torch.testing.assert_close(p.detach(), -0.1 * g.sign(), atol=1e-15, rtol=0)


def test_bias_correction_makes_a_constant_gradient_step_exactly_lr(device):
    # With g constant, m_t = (1 − β₁ᵗ) g and v_t = (1 − β₂ᵗ) g²: the corrected
    # m̂ = g and v̂ = g², so every step (eps = 0) is exactly lr. Without the
    # correction step t would be lr (1 − β₁ᵗ)/√(1 − β₂ᵗ): 3.16 lr at t = 1.
    p = torch.zeros(3, device=device, dtype=torch.float64, requires_grad=True)
    g = torch.tensor([0.5, -2.0, 1e-3], device=device, dtype=torch.float64)
    opt = Adam([p], lr=0.01, betas=(0.9, 0.999), eps=0.0)
    for t in range(1, 11):
        p.grad = g.clone()
        opt.step()
        torch.testing.assert_close(p.detach(), -0.01 * t * g.sign(), atol=1e-15, rtol=1e-12)


def test_adamw_decay_is_exactly_multiplicative_with_zero_gradient(device):
    # With g = 0 the adaptive part vanishes: p_t = (1 − lr·wd)^t p_0.
    p0 = torch.randn(4, device=device, dtype=torch.float64)
    p = p0.clone().requires_grad_(True)
    lr, wd, t = 0.1, 0.5, 20
    opt = AdamW([p], lr=lr, weight_decay=wd)
    for _ in range(t):
        p.grad = torch.zeros_like(p)
        opt.step()
    torch.testing.assert_close(p.detach(), p0 * (1 - lr * wd) ** t, atol=1e-14, rtol=0)


def test_adam_l2_decay_is_normalised_away(device):
    # Adam with L2 and g = 0 sees the gradient wd·p only, and its first step is
    # lr·sign(p) whatever wd is: the decay's size does not survive normalisation.
    p0 = torch.tensor([5.0, -0.01], device=device, dtype=torch.float64)
    steps = {}
    for wd in (1e-4, 1.0):
        p = p0.clone().requires_grad_(True)
        opt = Adam([p], lr=0.1, eps=0.0, weight_decay=wd)
        p.grad = torch.zeros_like(p)
        opt.step()
        steps[wd] = p.detach() - p0
    expected = -0.1 * p0.sign()
    torch.testing.assert_close(steps[1e-4], expected, atol=1e-15, rtol=0)
    torch.testing.assert_close(steps[1.0], expected, atol=1e-15, rtol=0)


def test_adagrad_constant_gradient_steps_shrink_like_one_over_sqrt_t(device):
    # G_t = t g², so step t is lr · sign(g) / √t (eps = 0) whatever |g| is:
    # p_t = −lr · sign(g) · Σ_{s≤t} 1/√s. The step never stops shrinking.
    p = torch.zeros(3, device=device, dtype=torch.float64, requires_grad=True)
    g = torch.tensor([0.5, -2.0, 1e-3], device=device, dtype=torch.float64)
    opt = Adagrad([p], lr=0.1, eps=0.0)
    total = 0.0
    for t in range(1, 11):
        p.grad = g.clone()
        opt.step()
        total += t**-0.5
        torch.testing.assert_close(p.detach(), -0.1 * total * g.sign(), atol=1e-15, rtol=1e-12)


def test_adagrad_rare_coordinate_keeps_a_large_step(device):
    # Coordinate 0 gets gradient 1 on all 100 steps, coordinate 1 only on the
    # last: at step 100 their steps are lr/√100 = lr/10 and lr/√1 = lr.
    # eps > 0 keeps 0/(√0 + eps) = 0 while coordinate 1 has seen nothing; at
    # 1e-14 it changes the steps by a relative 1e-13, inside the tolerance.
    p = torch.zeros(2, device=device, dtype=torch.float64, requires_grad=True)
    opt = Adagrad([p], lr=0.1, eps=1e-14)
    for t in range(100):
        p.grad = torch.tensor([1.0, float(t == 99)], device=device, dtype=torch.float64)
        before = p.detach().clone()
        opt.step()
    step = before - p.detach()
    expected = torch.tensor([0.01, 0.1], device=device, dtype=torch.float64)
    torch.testing.assert_close(step, expected, atol=1e-15, rtol=1e-12)
