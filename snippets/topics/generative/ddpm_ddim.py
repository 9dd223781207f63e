"""The reverse process of DDPM: the posterior q(x_{t−1} | x_t, x_0), the
ancestral (DDPM) sampler, and DDIM's deterministic sampler."""

import itertools

import torch


# --8<-- [start:posterior]
def q_posterior(x0, x_t, t, betas, alpha_bar):
    """Mean and variance of q(x_{t−1} | x_t, x_0), for t in 2..T.

    x0, x_t: (B, D); t: int. The mean is a weighted average of the clean
    sample and the noisy one; the variance β̃_t does not depend on data.
    """
    b, ab = betas[t - 1], alpha_bar[t - 1]
    ab_prev = alpha_bar[t - 2]
    c0 = ab_prev.sqrt() * b / (1 - ab)  # weight of x_0
    ct = (1 - b).sqrt() * (1 - ab_prev) / (1 - ab)  # weight of x_t
    var = (1 - ab_prev) / (1 - ab) * b  # β̃_t
    return c0 * x0 + ct * x_t, var


def posterior_mean_from_eps(x_t, eps, t, betas, alpha_bar):
    """The same mean with x_0 written through the noise:
    μ̃ = (x_t − β_t / √(1 − ᾱ_t) · ε) / √α_t."""
    b, ab = betas[t - 1], alpha_bar[t - 1]
    return (x_t - b / (1 - ab).sqrt() * eps) / (1 - b).sqrt()


# --8<-- [end:posterior]


# --8<-- [start:samplers]
@torch.no_grad()
def ddpm_sample(model, x_T, betas, alpha_bar):
    """Ancestral sampling, t = T..1, with σ_t² = β_t. x_T: (B, D).

    model(x, t / T) predicts ε; its output replaces the unknown x_0.
    """
    T, x = len(betas), x_T
    for t in range(T, 0, -1):
        eps = model(x, torch.full((len(x),), t / T, device=x.device))
        mean = posterior_mean_from_eps(x, eps, t, betas, alpha_bar)
        noise = betas[t - 1].sqrt() * torch.randn_like(x)
        x = mean + noise if t > 1 else mean  # no noise on the last step
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
