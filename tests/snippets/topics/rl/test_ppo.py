import math

import pytest
import torch

from snippets.topics.rl.ppo import kl_estimators, ppo_loss

EPS = 0.2
# (advantage, ratio, d objective / d log π): the clipped side gives zero.
CASES = [
    (1.0, 0.5, 0.5),  # A > 0, r < 1 − ε: unclipped term is smaller, A·r
    (1.0, 0.9, 0.9),  # inside
    (1.0, 1.0, 1.0),
    (1.0, 1.1, 1.1),
    (1.0, 1.5, 0.0),  # A > 0, r > 1 + ε: clipped, no push further
    (-2.0, 0.5, 0.0),  # A < 0, r < 1 − ε: clipped
    (-2.0, 0.9, -1.8),  # inside: A·r
    (-2.0, 1.1, -2.2),
    (-2.0, 1.5, -3.0),  # A < 0, r > 1 + ε: unclipped term is smaller, A·r
]


@pytest.mark.parametrize(("adv", "ratio", "expected"), CASES)
def test_gradient_wrt_log_prob(adv, ratio, expected, device):
    logp_old = torch.tensor([-1.3], dtype=torch.float64, device=device)
    logp = (logp_old + math.log(ratio)).requires_grad_(True)
    A = torch.tensor([adv], dtype=torch.float64, device=device)
    loss, _ = ppo_loss(logp, logp_old, A, clip_eps=EPS)
    (grad,) = torch.autograd.grad(-loss, logp)  # gradient of the objective
    assert abs(grad.item() - expected) < 1e-12


def test_batch_gradients_and_loss_value(device):
    # Per-sample gradients of the mean are the single-sample ones / N.
    adv = torch.tensor([c[0] for c in CASES], dtype=torch.float64, device=device)
    r = torch.tensor([c[1] for c in CASES], dtype=torch.float64, device=device)
    expected = torch.tensor([c[2] for c in CASES], dtype=torch.float64, device=device)
    logp_old = torch.zeros_like(r)
    logp = r.log().requires_grad_(True)
    loss, stats = ppo_loss(logp, logp_old, adv, clip_eps=EPS)
    (grad,) = torch.autograd.grad(-loss, logp)
    torch.testing.assert_close(grad * len(CASES), expected, atol=1e-12, rtol=0)
    surrogate = torch.minimum(r * adv, r.clamp(0.8, 1.2) * adv).mean()
    assert abs(loss.item() + surrogate.item()) < 1e-12
    assert abs(stats["clip_frac"].item() - 4 / 9) < 1e-7  # two 0.5s, two 1.5s


def test_kl_estimators_by_hand(device):
    lr = torch.tensor([math.log(2), -math.log(2), 0.0], dtype=torch.float64, device=device)
    k1, k2, k3 = kl_estimators(lr)
    ln2 = math.log(2)
    expect = {
        "k1": [-ln2, ln2, 0.0],  # -0.6931, 0.6931
        "k2": [0.5 * ln2**2] * 2 + [0.0],  # 0.2402
        "k3": [1 - ln2, -0.5 + ln2, 0.0],  # 0.3069, 0.1931
    }
    for got, key in ((k1, "k1"), (k2, "k2"), (k3, "k3")):
        want = torch.tensor(expect[key], dtype=torch.float64, device=device)
        torch.testing.assert_close(got, want, atol=1e-12, rtol=0)


def test_k1_k3_unbiased_and_k3_lower_variance(device):
    q = torch.tensor([0.4, 0.3, 0.2, 0.1], dtype=torch.float64, device=device)
    p = torch.tensor([0.35, 0.3, 0.2, 0.15], dtype=torch.float64, device=device)
    exact = (q * (q / p).log()).sum()  # KL(q ‖ p) ≈ 0.0129
    n = 100_000
    x = torch.multinomial(q, n, replacement=True)
    k1, _, k3 = kl_estimators(p.log()[x] - q.log()[x])
    for k in (k1, k3):
        # Sample means within 5 standard errors of the exact KL.
        assert abs(k.mean() - exact) < 5 * k.std() / n**0.5
    assert (k3 >= 0).all() and (k1 < 0).any()
    assert k3.var() < 0.1 * k1.var()  # p close to q: k3 ≈ ½(log r)², k1 ≈ −log r


def test_kl_penalty_is_zero_with_zero_gradient_on_policy(device):
    logp_old = torch.randn(16, dtype=torch.float64, device=device)
    logp = logp_old.clone().requires_grad_(True)
    adv = torch.zeros_like(logp_old)
    loss, stats = ppo_loss(logp, logp_old, adv, kl_coef=0.5)
    (grad,) = torch.autograd.grad(loss, logp)
    assert stats["kl"].item() == 0 and grad.abs().max().item() == 0
    # Off policy the k3 gradient is kl_coef · (r − 1) / N, pulling r to 1.
    logp = (logp_old + 0.3).detach().requires_grad_(True)
    loss, _ = ppo_loss(logp, logp_old, adv, kl_coef=0.5)
    (grad,) = torch.autograd.grad(loss, logp)
    want = torch.full_like(grad, 0.5 * (math.exp(0.3) - 1) / 16)
    torch.testing.assert_close(grad, want, atol=1e-12, rtol=0)
