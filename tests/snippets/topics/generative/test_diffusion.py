import math

import torch

from snippets.topics.generative.diffusion import (
    ddpm_loss,
    gaussian_eps,
    gaussian_min_loss,
    linear_schedule,
    q_sample,
    q_step,
)

T = 100  # a short schedule for the toy tests: ᾱ_T ≈ 0.005


def schedule(device):
    return linear_schedule(T, 1e-3, 0.1, device=device)


def test_alpha_bar_at_known_steps(device):
    betas, alpha_bar = linear_schedule(device=device)  # DDPM: 1e-4 .. 0.02
    b2 = 1e-4 + (0.02 - 1e-4) / 999
    torch.testing.assert_close(betas[[0, 1, -1]].cpu(), torch.tensor([1e-4, b2, 0.02]))
    expected_2 = 0.9999 * (1 - b2)
    # ᾱ_T from a float64 product written out independently.
    ab_T = math.prod(1 - (1e-4 + i * (0.02 - 1e-4) / 999) for i in range(1000))
    torch.testing.assert_close(
        alpha_bar[[0, 1, -1]].cpu().double(),
        torch.tensor([0.9999, expected_2, ab_T], dtype=torch.float64),
        rtol=1e-5,
        atol=0,
    )
    assert 4.0e-5 < ab_T < 4.1e-5  # the number to remember: ᾱ_1000 ≈ 4e-5


def test_closed_form_matches_iterated_steps(device):
    betas, alpha_bar = schedule(device)
    g = torch.Generator(device=device).manual_seed(3)
    N = 100_000
    x0 = torch.tensor([[1.5, -2.0]], device=device).expand(N, 2)
    x = x0
    for t in range(1, T + 1):
        x = q_step(x, t, betas, torch.randn(N, 2, generator=g, device=device))
        if t in (10, 50, T):
            ab = alpha_bar[t - 1]
            mean, var = ab.sqrt() * x0[0], 1 - ab
            # SE of the mean is √(var/N); of the variance, var·√(2/N).
            assert ((x.mean(0) - mean).abs() < 5 * (var / N).sqrt()).all()
            assert ((x.var(0) - var).abs() < 5 * var * math.sqrt(2 / N)).all()
            # q_sample with the same t draws from the same Gaussian.
            eps = torch.randn(N, 2, generator=g, device=device)
            tt = torch.full((N,), t, device=device)
            y = q_sample(x0, tt, alpha_bar, eps)
            assert ((y.mean(0) - mean).abs() < 5 * (var / N).sqrt()).all()


def test_optimal_eps_is_the_scaled_score(device):
    # ε*(x_t) = −√(1 − ᾱ_t) ∇ log q(x_t), q(x_t) = N(√ᾱ_t μ, ᾱ_t σ² + 1 − ᾱ_t):
    # compare with autograd of torch.distributions.Normal's log-density.
    _, alpha_bar = schedule(device)
    alpha_bar = alpha_bar.double()
    mu, std = 1.5, 0.5
    t = torch.arange(1, T + 1, device=device)
    x = torch.randn(T, 1, device=device, dtype=torch.float64).requires_grad_()
    ab = alpha_bar[t - 1][:, None]
    q = torch.distributions.Normal(ab.sqrt() * mu, (ab * std**2 + 1 - ab).sqrt())
    (score,) = torch.autograd.grad(q.log_prob(x).sum(), x)
    expected = -(1 - ab).sqrt() * score
    got = gaussian_eps(x.detach(), t, alpha_bar, mu, std)
    torch.testing.assert_close(got, expected, rtol=1e-10, atol=1e-12)


def test_loss_of_the_optimal_predictor_is_the_irreducible_loss(device):
    # With the exact ε* the Monte Carlo loss equals E_t[ᾱ_t σ² / v_t].
    _, alpha_bar = schedule(device)
    mu, std, N = 1.5, 0.5, 200_000

    def oracle(x_t, t_frac):
        return gaussian_eps(x_t, (t_frac * T).round().long(), alpha_bar, mu, std)

    x0 = mu + std * torch.randn(N, 1, device=device)
    loss = ddpm_loss(oracle, x0, alpha_bar).item()
    expected = gaussian_min_loss(alpha_bar, std).item()
    # Per example the loss is v·χ²₁ with v ≤ 1, so its variance is at most 3
    # and the SE of the mean at most √(3/N) = 0.0039; allow 5 SE.
    assert abs(loss - expected) < 5 * math.sqrt(3 / N), (loss, expected)
    # A predictor that ignores x_t (ε̂ = 0) pays the full unit variance.
    zero = ddpm_loss(lambda x, t: torch.zeros_like(x), x0, alpha_bar).item()
    assert abs(zero - 1.0) < 5 * math.sqrt(2 / N) and expected < 0.5 * zero
