import math

import torch
import torch.nn.functional as F

from snippets.topics.rl.preference import bradley_terry_loss, dpo_loss, sequence_logprob


def test_bradley_terry_matches_bce_with_logits_and_hand_values(device):
    rw = torch.randn(8, device=device)
    rl = torch.randn(8, device=device)
    ref = F.binary_cross_entropy_with_logits(rw - rl, torch.ones(8, device=device))
    torch.testing.assert_close(bradley_terry_loss(rw, rl), ref, atol=1e-6, rtol=0)
    zero = torch.zeros(1, device=device)
    assert abs(bradley_terry_loss(zero, zero).item() - math.log(2)) < 1e-6  # 0.6931
    # Margin 1: −log σ(1) = log(1 + e^{-1}) = 0.3133.
    assert abs(bradley_terry_loss(zero + 1, zero).item() - math.log1p(math.exp(-1))) < 1e-6


def test_dpo_hand_values(device):
    t = lambda *x: torch.tensor(x, dtype=torch.float64, device=device)  # noqa: E731
    # Policy equal to the reference: zero margin, loss ln 2.
    loss, rw, rl = dpo_loss(t(-5.0), t(-7.0), t(-5.0), t(-7.0), beta=0.1)
    assert abs(loss.item() - math.log(2)) < 1e-12 and rw.item() == rl.item() == 0
    # log-ratios +2 (chosen) and −3 (rejected), β = 0.1: margin 0.5,
    # loss = log(1 + e^{-0.5}) = 0.474077.
    loss, rw, rl = dpo_loss(t(-3.0), t(-10.0), t(-5.0), t(-7.0), beta=0.1)
    assert abs(loss.item() - math.log1p(math.exp(-0.5))) < 1e-12
    assert abs(loss.item() - 0.474077) < 1e-6
    assert abs(rw.item() - 0.2) < 1e-12 and abs(rl.item() + 0.3) < 1e-12
    # Length-normalised: ratios 2/4 = 0.5 and −3/6 = −0.5, β = 1: margin 1.
    loss, _, _ = dpo_loss(t(-3.0), t(-10.0), t(-5.0), t(-7.0), beta=1.0, len_w=t(4.0), len_l=t(6.0))
    assert abs(loss.item() - math.log1p(math.exp(-1.0))) < 1e-12  # 0.313262


def test_dpo_gradient_closed_form(device):
    # ∂L/∂log π(y_w) = −β σ(−β m) and ∂L/∂log π(y_l) = +β σ(−β m) for B = 1.
    beta = 0.5
    lw = torch.tensor([-4.0], dtype=torch.float64, device=device, requires_grad=True)
    ll = torch.tensor([-6.0], dtype=torch.float64, device=device, requires_grad=True)
    ref_w = torch.tensor([-4.5], dtype=torch.float64, device=device)
    ref_l = torch.tensor([-5.0], dtype=torch.float64, device=device)
    loss, _, _ = dpo_loss(lw, ll, ref_w, ref_l, beta=beta)
    gw, gl = torch.autograd.grad(loss, (lw, ll))
    m = (-4.0 + 4.5) - (-6.0 + 5.0)  # 1.5
    s = 1 / (1 + math.exp(beta * m))  # σ(−β m)
    assert abs(gw.item() + beta * s) < 1e-12 and abs(gl.item() - beta * s) < 1e-12


def test_sequence_logprob_matches_cross_entropy(device):
    B, T, V = 3, 6, 11
    logits = torch.randn(B, T, V, device=device)
    tokens = torch.randint(0, V, (B, T), device=device)
    mask = torch.tensor([[0, 0, 1, 1, 1, 0], [0, 1, 1, 1, 1, 1], [0, 0, 0, 0, 1, 0]], device=device)
    total, length = sequence_logprob(logits, tokens, mask)
    ce = F.cross_entropy(logits.reshape(-1, V), tokens.reshape(-1), reduction="none")
    expected = -(ce.view(B, T) * mask).sum(-1)
    torch.testing.assert_close(total, expected, atol=1e-5, rtol=0)
    torch.testing.assert_close(length, torch.tensor([3.0, 5.0, 1.0], device=device))
