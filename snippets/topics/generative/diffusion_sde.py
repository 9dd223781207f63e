"""The variance-preserving SDE: its Gaussian marginals, the reverse-time
SDE (Euler–Maruyama) and the probability-flow ODE (Heun), driven by a
score function score(x, t)."""

import math

import torch


# --8<-- [start:vp]
def beta(t, beta_min=0.1, beta_max=20.0):
    """The noise rate β(t) on t ∈ [0, 1] (DDPM's schedule as T → ∞)."""
    return beta_min + t * (beta_max - beta_min)


def vp_marginal(t, beta_min=0.1, beta_max=20.0):
    """x_t | x_0 ~ N(m(t) x_0, (1 − m(t)²) I), m(t) = exp(−½ ∫₀ᵗ β).

    Returns (m(t), 1 − m(t)²).
    """
    integral = beta_min * t + 0.5 * t**2 * (beta_max - beta_min)
    m = torch.exp(-0.5 * torch.as_tensor(integral))
    return m, 1 - m**2


def gaussian_score(x, t, mu, std):
    """Exact score ∇ log p_t(x) when the data are N(μ, std² I):
    p_t = N(m μ, m² std² + 1 − m²)."""
    m, v = vp_marginal(t)
    return -(x - m * mu) / (m**2 * std**2 + v)


# --8<-- [end:vp]


# --8<-- [start:reverse]
@torch.no_grad()
def reverse_sde_sample(score, x_1, n_steps=500, t_end=0.0):
    """Euler–Maruyama on the reverse SDE, t from 1 down to t_end:
    dx = [−½β x − β ∇log p_t(x)] dt + √β dW̄ (dt < 0). x_1: (B, D)."""
    x, dt = x_1, (1.0 - t_end) / n_steps
    for i in range(n_steps):
        t = 1.0 - i * dt
        b = beta(t)
        drift = -0.5 * b * x - b * score(x, t)
        x = x - drift * dt + math.sqrt(b * dt) * torch.randn_like(x)
    return x


@torch.no_grad()
def probability_flow_sample(score, x_1, n_steps=100, t_end=0.0):
    """Heun (2nd order) on the probability-flow ODE from t = 1 to t_end:
    dx/dt = −½β(t) [x + ∇log p_t(x)]. Deterministic. x_1: (B, D)."""

    def velocity(x, t):
        return -0.5 * beta(t) * (x + score(x, t))

    x, dt = x_1, (1.0 - t_end) / n_steps
    for i in range(n_steps):
        t = 1.0 - i * dt
        k1 = velocity(x, t)
        k2 = velocity(x - dt * k1, t - dt)
        x = x - 0.5 * dt * (k1 + k2)
    return x


# --8<-- [end:reverse]
