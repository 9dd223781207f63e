import math

import torch
from torch.distributions import Normal, TransformedDistribution
from torch.distributions.transforms import TanhTransform

from snippets.topics.rl.sac import soft_q_target, soft_value, squashed_gaussian


def test_log_prob_matches_transformed_distribution(device):
    f64 = dict(dtype=torch.float64, device=device)
    mu = torch.randn(64, 3, **f64)
    log_std = 0.3 * torch.randn(64, 3, **f64)
    g = torch.Generator(device=device).manual_seed(0)
    a, logp = squashed_gaussian(mu, log_std, generator=g)
    dist = TransformedDistribution(Normal(mu, log_std.exp()), [TanhTransform()])
    # TanhTransform inverts a with atanh, accurate while |a| is not within
    # ~1e-12 of 1 (|u| < 5 here).
    torch.testing.assert_close(logp, dist.log_prob(a).sum(-1), atol=1e-8, rtol=0)


def test_stable_jacobian_where_the_naive_one_fails(device):
    mu = torch.tensor([[10.0]], dtype=torch.float64, device=device)
    log_std = torch.tensor([[-30.0]], dtype=torch.float64, device=device)  # u ≈ 10
    g = torch.Generator(device=device).manual_seed(1)
    _, logp = squashed_gaussian(mu, log_std, generator=g)
    g.manual_seed(1)  # replay the same ε
    eps = torch.randn((1, 1), generator=g, dtype=torch.float64, device=device).item()
    # log(1 − tanh² 10) = log sech² 10 = 2 log 2 − 20 − 2 log(1 + e^{−20}).
    log_jac = 2 * math.log(2) - 20 - 2 * math.log1p(math.exp(-20))  # −18.6137
    naive = torch.log(1 - torch.tanh(torch.tensor(10.0, device=device)) ** 2)
    assert naive.item() == float("-inf")  # float32 tanh(10) rounds to 1
    log_normal = -0.5 * eps**2 + 30.0 - 0.5 * math.log(2 * math.pi)
    assert abs(logp.item() - (log_normal - log_jac)) < 1e-9


def test_soft_value_is_the_entropy_regularised_maximum(device):
    q = torch.tensor([1.0, 2.0, 0.5, 1.5], dtype=torch.float64, device=device)
    alpha = 0.5
    pi = torch.softmax(q / alpha, -1)
    entropy = -(pi * pi.log()).sum()
    v = soft_value(q, alpha)
    torch.testing.assert_close(v, pi @ q + alpha * entropy, atol=1e-12, rtol=0)
    # Any other distribution scores lower (Gibbs' variational principle).
    g = torch.Generator().manual_seed(0)
    p = torch.softmax(torch.randn(1000, 4, generator=g, dtype=torch.float64), -1).to(device)
    others = p @ q - alpha * (p * p.log()).sum(-1)
    assert (others <= v + 1e-12).all()
    # α → 0 recovers the hard max; α = 1 with equal Q gives Q + ln A.
    assert abs(soft_value(q, 1e-4).item() - 2.0) < 1e-3
    assert abs(soft_value(torch.zeros(4, device=device), 1.0).item() - math.log(4)) < 1e-6


def test_soft_q_target_by_hand(device):
    t = lambda *x: torch.tensor(x, dtype=torch.float64, device=device)  # noqa: E731
    y = soft_q_target(t(1.0, 1.0), t(0.0, 1.0), t(5.0, 5.0), t(4.0, 9.0), t(-1.0, -1.0), 0.9, 0.2)
    # Row 0: 1 + 0.9 (min(5, 4) + 0.2) = 4.78. Row 1: done, so just r = 1.
    torch.testing.assert_close(y, t(4.78, 1.0), atol=1e-12, rtol=0)
