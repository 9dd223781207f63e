import math

import torch

from snippets.topics.generative.score_matching import (
    gmm_log_prob,
    gmm_score,
    langevin_sample,
)


def mixture(device, dtype=torch.float32):
    kw = dict(device=device, dtype=dtype)
    weights = torch.tensor([0.2, 0.5, 0.3], **kw)
    means = torch.tensor([[-2.0, 0.0], [1.0, 1.0], [0.5, -2.0]], **kw)
    stds = torch.tensor([0.5, 1.0, 0.7], **kw)
    return weights, means, stds


def test_log_prob_matches_torch_mixture(device):
    w, mu, sd = mixture(device)
    D = torch.distributions
    comp = D.Independent(D.Normal(mu, sd[:, None].expand(3, 2)), 1)
    ref = D.MixtureSameFamily(D.Categorical(probs=w), comp)
    x = torch.randn(50, 2, device=device) * 2
    torch.testing.assert_close(gmm_log_prob(x, w, mu, sd), ref.log_prob(x))


def test_closed_form_score_equals_autograd(device):
    w, mu, sd = mixture(device, torch.float64)
    x = torch.randn(200, 2, device=device, dtype=torch.float64) * 3
    x.requires_grad_(True)
    (auto,) = torch.autograd.grad(gmm_log_prob(x, w, mu, sd).sum(), x)
    torch.testing.assert_close(gmm_score(x.detach(), w, mu, sd), auto, atol=1e-6, rtol=0)


def test_score_of_one_gaussian_is_linear(device):
    # K = 1: ∇ log N(x; μ, σ²I) = (μ − x)/σ², by hand at x = (1, 2).
    w = torch.ones(1, device=device)
    mu = torch.tensor([[0.0, 1.0]], device=device)
    sd = torch.tensor([2.0], device=device)
    x = torch.tensor([[1.0, 2.0]], device=device)
    torch.testing.assert_close(
        gmm_score(x, w, mu, sd), torch.tensor([[-0.25, -0.25]], device=device)
    )


def test_langevin_samples_a_1d_mixture(device):
    kw = dict(device=device)
    w = torch.tensor([0.3, 0.7], **kw)
    mu = torch.tensor([[-2.0], [1.5]], **kw)
    sd = torch.tensor([0.5, 0.8], **kw)
    N = 5000
    x = langevin_sample(
        lambda x: gmm_score(x, w, mu, sd), torch.randn(N, 1, **kw), step=2e-2, n_steps=300
    )
    mean = (w * mu[:, 0]).sum()  # 0.45
    var = (w * (sd**2 + mu[:, 0] ** 2)).sum() - mean**2  # 3.10
    # Mass of the left mode: SE √(0.21/N) ≈ 0.0065; allow 5 SE.
    left = (x < -0.5).float().mean()
    assert abs(left.item() - 0.3) < 5 * math.sqrt(0.21 / N)
    # Mean and variance: 5 SE plus an O(step) discretisation allowance.
    assert abs(x.mean() - mean) < 5 * math.sqrt(var / N) + 0.05
    assert abs(x.var() - var) / var < 0.1
