import math

import torch

from snippets.topics.generative.diffusion import linear_schedule
from snippets.topics.generative.diffusion_sde import (
    gaussian_score,
    probability_flow_sample,
    reverse_sde_sample,
    vp_marginal,
)

MU, STD = 1.5, 0.5  # the data distribution N(μ, σ²), 1-D


def score(x, t):
    return gaussian_score(x, t, MU, STD)


def start(n, device, generator=None, standardise=False):
    """n samples of p_1 = N(m μ, m² σ² + 1 − m²), the exact marginal at t = 1."""
    m, v = vp_marginal(1.0)
    z = torch.randn(n, 1, generator=generator, device=device)
    if standardise:  # exact sample mean 0 and std 1
        z = (z - z.mean()) / z.std()
    return m.item() * MU + math.sqrt(m.item() ** 2 * STD**2 + v.item()) * z


def test_vp_marginal_is_the_continuum_limit_of_ddpm(device):
    # DDPM's β_i = β(i/T)/T with T = 1000 is the linear schedule 1e-4..0.02;
    # log ᾱ_i = Σ log(1 − β_j) ≈ −∫₀^{i/T} β = log m(i/T)².
    _, alpha_bar = linear_schedule(1000, device=device)
    t = torch.arange(100, 1001, device=device)
    m, _ = vp_marginal(t / 1000)
    rel = (alpha_bar[t - 1].log() / (2 * m.log()) - 1).abs().max()
    # Observed: 0.75 % at i = 100 (the sum starts at β(0), a left Riemann
    # sum) and 0.67 % at i = T (the −Σβ²/2 of log(1 − β)).
    assert rel < 0.01, rel
    # At t = 1 the signal is scaled by m(1) = e^{−5.025} ≈ 0.0066.
    assert abs(vp_marginal(1.0)[0].item() - math.exp(-5.025)) < 1e-6


def test_gaussian_score_matches_autograd(device):
    x = torch.linspace(-3, 3, 13, device=device, dtype=torch.float64)
    for t in (0.0, 0.1, 0.5, 1.0):
        m, v = vp_marginal(t)
        m, v = m.item(), v.item()
        xr = x.clone().requires_grad_()
        p = torch.distributions.Normal(m * MU, math.sqrt(m**2 * STD**2 + v))
        (expected,) = torch.autograd.grad(p.log_prob(xr).sum(), xr)
        torch.testing.assert_close(score(x, t), expected, rtol=1e-6, atol=1e-6)


def test_probability_flow_ode_recovers_the_data_distribution(device):
    # The exact flow map of a Gaussian is affine: x_0 = μ + σ (x_1 − m μ)/s_1,
    # s_1 the std of p_1. Heun with 100 steps must reproduce it pointwise.
    x1 = start(20_000, device, standardise=True)
    m, v = vp_marginal(1.0)
    s1 = math.sqrt(m.item() ** 2 * STD**2 + v.item())
    x0 = probability_flow_sample(score, x1, n_steps=100)
    exact = MU + STD * (x1 - m.item() * MU) / s1
    assert (x0 - exact).abs().max() < 2e-3  # observed 8e-4 (4× less at 200)
    # The standardised start has exact moments, so these are the ODE's error.
    assert abs(x0.mean().item() - MU) < 2e-3 and abs(x0.std().item() - STD) < 2e-3
    # Second order: doubling the steps divides the error by about 4.
    e50 = (probability_flow_sample(score, x1, n_steps=50) - exact).abs().max()
    e100 = (x0 - exact).abs().max()
    assert 3.0 < e50 / e100 < 5.0, (e50, e100)


def test_reverse_sde_samples_the_data_distribution(device):
    g = torch.Generator(device=device).manual_seed(0)
    N = 20_000
    x1 = start(N, device, generator=g)
    torch.manual_seed(1)
    x0 = reverse_sde_sample(score, x1, n_steps=500)
    # SE of the mean σ/√N = 0.0035; of the std σ/√(2N) = 0.0025. Allow 5 SE
    # (Euler–Maruyama's bias at 500 steps was below 0.002 in a 100 000 run).
    assert abs(x0.mean().item() - MU) < 5 * STD / math.sqrt(N)
    assert abs(x0.std().item() - STD) < 5 * STD / math.sqrt(2 * N)
    # Unlike the ODE, the SDE forgets its start: corr(x_1, x_0) is small.
    corr = torch.corrcoef(torch.cat([x1, x0], 1).T)[0, 1]
    assert abs(corr) < 0.2, corr
