"""The score ∇ₓ log p(x) of a Gaussian mixture, in closed form, and
Langevin dynamics that samples from a density given only its score."""

import math

import torch


# --8<-- [start:score]
def gmm_log_prob(x, weights, means, stds):
    """log Σ_k π_k N(x; μ_k, σ_k² I).

    x: (N, D); weights: (K,) summing to 1; means: (K, D); stds: (K,).
    Returns (N,).
    """
    D = x.size(-1)
    sq = (x[:, None, :] - means).square().sum(-1)  # (N, K)
    log_norm = -0.5 * D * torch.log(2 * math.pi * stds.square())  # (K,)
    log_comp = log_norm - 0.5 * sq / stds.square()  # (N, K)
    return torch.logsumexp(weights.log() + log_comp, dim=-1)


def gmm_score(x, weights, means, stds):
    """∇ₓ log p(x) = Σ_k r_k(x) (μ_k − x) / σ_k², with r_k(x) the
    posterior responsibility of component k. x: (N, D) → (N, D)."""
    D = x.size(-1)
    sq = (x[:, None, :] - means).square().sum(-1)  # (N, K)
    log_norm = -0.5 * D * torch.log(2 * math.pi * stds.square())
    logits = weights.log() + log_norm - 0.5 * sq / stds.square()
    r = torch.softmax(logits, dim=-1)  # (N, K)
    pull = (means - x[:, None, :]) / stds.square()[:, None]  # (N, K, D)
    return (r[..., None] * pull).sum(1)


@torch.no_grad()
def langevin_sample(score, x, step=1e-2, n_steps=500):
    """Unadjusted Langevin: x ← x + step·score(x) + √(2·step)·ξ.

    Converges to p as step → 0 and n_steps·step → ∞; the bias is O(step).
    """
    for _ in range(n_steps):
        x = x + step * score(x) + math.sqrt(2 * step) * torch.randn_like(x)
    return x


# --8<-- [end:score]
