"""DDPM: the forward noising process, ε-prediction training, DDPM and DDIM
samplers, and classifier-free guidance, on 2-D toy data."""

import itertools
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


# --8<-- [start:samplers]
@torch.no_grad()
def ddpm_sample(model, x_T, betas, alpha_bar):
    """Ancestral sampling, t = T..1, with σ_t² = β_t. x_T: (B, D)."""
    T, x = len(betas), x_T
    for t in range(T, 0, -1):
        b, ab = betas[t - 1], alpha_bar[t - 1]
        eps = model(x, torch.full((len(x),), t / T, device=x.device))
        mean = (x - b / (1 - ab).sqrt() * eps) / (1 - b).sqrt()
        x = mean + b.sqrt() * torch.randn_like(x) if t > 1 else mean
    return x


@torch.no_grad()
def ddim_sample(model, x_T, alpha_bar, n_steps=50, eta=0.0):
    """DDIM on n_steps evenly spaced steps; eta = 0 is deterministic,
    eta = 1 injects the DDPM posterior noise β̃ on the same steps."""
    T, x = len(alpha_bar), x_T
    ts = torch.linspace(T, 0, n_steps + 1).round().long().tolist()
    one = torch.ones((), device=x.device)
    for t, s in itertools.pairwise(ts):  # from step t down to step s < t
        ab_t = alpha_bar[t - 1]
        ab_s = alpha_bar[s - 1] if s > 0 else one
        eps = model(x, torch.full((len(x),), t / T, device=x.device))
        x0_hat = (x - (1 - ab_t).sqrt() * eps) / ab_t.sqrt()
        sigma = eta * ((1 - ab_s) / (1 - ab_t) * (1 - ab_t / ab_s)).sqrt()
        x = ab_s.sqrt() * x0_hat + (1 - ab_s - sigma**2).sqrt() * eps
        if eta > 0:
            x = x + sigma * torch.randn_like(x)
    return x


# --8<-- [end:samplers]


# --8<-- [start:guidance]
def cfg_combine(eps_uncond, eps_cond, w):
    """Classifier-free guidance: ε_u + w (ε_c − ε_u).

    w = 0: unconditional; w = 1: conditional; w > 1 pushes further in
    the direction the label adds, trading diversity for fidelity.
    """
    return eps_uncond + w * (eps_cond - eps_uncond)


def guided_eps(model, x, t, y, w):
    """Both predictions in one batched call, then the guided combination."""
    null = torch.full_like(y, model.n_classes)
    eps = model(torch.cat([x, x]), torch.cat([t, t]), torch.cat([y, null]))
    eps_cond, eps_uncond = eps.chunk(2)
    return cfg_combine(eps_uncond, eps_cond, w)


# --8<-- [end:guidance]
