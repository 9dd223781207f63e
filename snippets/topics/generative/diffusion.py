"""DDPM's forward noising process and its ε-prediction training objective,
on 2-D toy data. The samplers live in ddpm_ddim.py, guidance in
classifier_free_guidance.py."""

import math

import torch
from torch import nn


# --8<-- [start:data]
def mixture_2d(n, n_modes=8, radius=2.0, std=0.2, device=None):
    """n points (n, 2) from n_modes Gaussians spaced evenly on a circle."""
    k = torch.randint(n_modes, (n,), device=device)
    angle = 2 * math.pi * k / n_modes
    centres = radius * torch.stack([angle.cos(), angle.sin()], dim=-1)
    return centres + std * torch.randn(n, 2, device=device)


# --8<-- [end:data]


# --8<-- [start:forward]
def linear_schedule(T=1000, beta_1=1e-4, beta_T=0.02, device=None):
    """β_1..β_T spaced linearly and ᾱ_t = Π_{s≤t} (1 − β_s); index t−1."""
    betas = torch.linspace(
        beta_1, beta_T, T, dtype=torch.float64, device=device
    )
    alpha_bar = torch.cumprod(1.0 - betas, dim=0)
    return betas.float(), alpha_bar.float()  # (T,), (T,)


def q_sample(x0, t, alpha_bar, eps):
    """Sample x_t ~ q(x_t | x_0) = N(√ᾱ_t x_0, (1 − ᾱ_t) I) in one step.

    x0, eps: (B, D); t: (B,) integer steps in 1..T.
    """
    ab = alpha_bar[t - 1][:, None]  # (B, 1)
    return ab.sqrt() * x0 + (1 - ab).sqrt() * eps


def q_step(x_prev, t, betas, eps):
    """One forward step: x_t = √(1 − β_t) x_{t−1} + √β_t ε."""
    b = betas[t - 1]
    return (1 - b).sqrt() * x_prev + b.sqrt() * eps


# --8<-- [end:forward]


# --8<-- [start:model]
class TimeMLP(nn.Module):
    """f(x, t, y): (B, D) → (B, D), for t in [0, 1] (fraction of the way).

    Time enters as sinusoidal features; an optional class label y (B,)
    is embedded, with index n_classes meaning "no label" (for guidance).
    """

    def __init__(self, d=2, d_hidden=128, n_freq=8, n_classes=0, device=None):
        super().__init__()
        self.n_classes = n_classes
        self.freqs = 2.0 ** torch.arange(n_freq, device=device)  # (n_freq,)
        d_in = d + 2 * n_freq
        self.label = nn.Embedding(n_classes + 1, d_hidden, device=device)
        self.inp = nn.Linear(d_in, d_hidden, device=device)
        self.net = nn.Sequential(
            nn.SiLU(),
            nn.Linear(d_hidden, d_hidden, device=device),
            nn.SiLU(),
            nn.Linear(d_hidden, d, device=device),
        )

    def forward(self, x, t, y=None):
        ang = t[:, None] * self.freqs * math.pi  # (B, n_freq)
        h = self.inp(torch.cat([x, ang.sin(), ang.cos()], dim=-1))
        if y is None:  # unconditional: the null label
            y = torch.full_like(t, self.n_classes, dtype=torch.long)
        return self.net(h + self.label(y))


def ddpm_loss(model, x0, alpha_bar):
    """E_{t, ε} ‖ε − ε_θ(√ᾱ_t x_0 + √(1−ᾱ_t) ε, t)‖², t ~ U{1..T}."""
    T = len(alpha_bar)
    t = torch.randint(1, T + 1, (len(x0),), device=x0.device)
    eps = torch.randn_like(x0)
    x_t = q_sample(x0, t, alpha_bar, eps)
    return (eps - model(x_t, t / T)).square().sum(-1).mean()


# --8<-- [end:model]


# --8<-- [start:optimal]
def gaussian_eps(x_t, t, alpha_bar, mu, std):
    """The loss-minimising ε-predictor when the data are N(μ, std² I).

    Then q(x_t) = N(√ᾱ_t μ, v_t I), v_t = ᾱ_t std² + 1 − ᾱ_t, and
    ε*(x_t) = E[ε | x_t] = −√(1 − ᾱ_t) ∇ log q(x_t)
            = √(1 − ᾱ_t) (x_t − √ᾱ_t μ) / v_t.
    x_t: (B, D); t: (B,) integer steps in 1..T.
    """
    ab = alpha_bar[t - 1][:, None]  # (B, 1)
    v = ab * std**2 + 1 - ab
    return (1 - ab).sqrt() * (x_t - ab.sqrt() * mu) / v


def gaussian_min_loss(alpha_bar, std, D=1):
    """The irreducible part of the loss, E_t E‖ε − ε*‖², for N(μ, std² I)
    data: per dimension Var(ε | x_t) = ᾱ_t std² / v_t."""
    v = alpha_bar * std**2 + 1 - alpha_bar
    return D * (alpha_bar * std**2 / v).mean()


# --8<-- [end:optimal]
