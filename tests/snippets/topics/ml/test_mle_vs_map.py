import math

import torch
from torch.distributions import Beta, Normal

from snippets.topics.ml.mle_vs_map import (
    coin_map,
    coin_mle,
    coin_posterior_mean,
    gaussian_mean_map,
    linear_regression_map,
)

F64 = torch.float64


def test_coin_by_hand():
    # 3 heads in 3 flips: the MLE says the coin never lands tails.
    assert coin_mle(3, 3) == 1.0
    # A Beta(2, 2) prior = one imaginary head and one imaginary tail: 4/5.
    assert math.isclose(coin_map(3, 3, 2, 2), 0.8, rel_tol=1e-15)
    assert math.isclose(coin_posterior_mean(3, 3, 2, 2), 5 / 7, rel_tol=1e-15)
    # The uniform prior Beta(1, 1) gives back the MLE.
    assert coin_map(7, 10, 1, 1) == coin_mle(7, 10)


def test_coin_map_maximises_the_posterior(device):
    h, n, a, b = 7, 10, 3.0, 5.0
    theta = torch.linspace(1e-4, 1 - 1e-4, 100_001, dtype=F64, device=device)
    log_post = Beta(
        torch.tensor(a + h, dtype=F64, device=device),
        torch.tensor(b + n - h, dtype=F64, device=device),
    ).log_prob(theta)
    grid_max = theta[log_post.argmax()].item()
    # Grid spacing 1e-5: the argmax is within one step of (7 + 2)/(10 + 6).
    assert abs(grid_max - coin_map(h, n, a, b)) < 1.1e-5
    assert math.isclose(coin_map(h, n, a, b), 9 / 16, rel_tol=1e-15)


def test_gaussian_mean_map_matches_autograd_optimum(device):
    x = 2.0 + 1.5 * torch.randn(8, dtype=F64, device=device)
    noise_var, mu0, tau2 = 1.5**2, -1.0, 0.5
    mean, var = gaussian_mean_map(x, noise_var, mu0, tau2)
    # Maximise log p(x | μ) + log p(μ) by Newton on a quadratic: exact.
    mu = torch.zeros((), dtype=F64, device=device, requires_grad=True)
    sd = torch.tensor(noise_var, dtype=F64, device=device).sqrt()
    prior = Normal(
        torch.tensor(mu0, dtype=F64, device=device),
        torch.tensor(tau2, dtype=F64, device=device).sqrt(),
    )
    log_post = Normal(mu, sd).log_prob(x).sum() + prior.log_prob(mu)
    (g,) = torch.autograd.grad(log_post, mu, create_graph=True)
    (h,) = torch.autograd.grad(g, mu)
    newton = (mu - g / h).detach()
    torch.testing.assert_close(mean, newton, rtol=1e-12, atol=1e-12)
    # Posterior variance = −1 / (d² log posterior / dμ²).
    assert math.isclose(var, (-1 / h).item(), rel_tol=1e-12)
    # Shrinkage: the MAP lies strictly between the prior and sample means.
    assert mu0 < mean.item() < x.mean().item()


def test_map_linear_regression_is_ridge(device):
    X = torch.randn(20, 4, dtype=F64, device=device)
    y = X @ torch.tensor([1.0, -2.0, 0.5, 0.0], dtype=F64, device=device)
    y = y + 0.3 * torch.randn(20, dtype=F64, device=device)
    noise_var, prior_var = 0.09, 0.01
    w = linear_regression_map(X, y, noise_var, prior_var).requires_grad_()
    # The gradient of the negative log posterior vanishes at the MAP.
    nlp = (y - X @ w).square().sum() / (2 * noise_var) + w.square().sum() / (2 * prior_var)
    (g,) = torch.autograd.grad(nlp, w)
    torch.testing.assert_close(g, torch.zeros_like(g), rtol=0, atol=1e-10)
