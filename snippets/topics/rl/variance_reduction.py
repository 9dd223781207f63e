"""Variance reduction for score-function gradients and Monte Carlo means."""

import torch
import torch.nn.functional as F


# --8<-- [start:estimators]
def episode_gradients(logits, means, T, n, noise_std=1.0):
    """n episodes of T steps with one softmax policy over K arms (the
    state never changes); reward r_t = μ_{a_t} + noise.

    J = T π·μ. Returns three per-episode estimates of ∇_θ J, each
    (n, K): the full return G_0 times Σ_t ∇ log π(a_t); reward-to-go
    Σ_t G_t ∇ log π(a_t); and reward-to-go minus the value baseline
    V(s_t) = (T − t) π·μ.
    """
    K = logits.numel()
    probs = torch.softmax(logits, dim=-1)  # (K,)
    a = torch.multinomial(probs, n * T, replacement=True).view(n, T)
    r = means[a] + noise_std * torch.randn(
        n, T, dtype=means.dtype, device=means.device
    )
    score = F.one_hot(a, K).to(probs) - probs  # (n, T, K)
    to_go = r.flip(-1).cumsum(-1).flip(-1)  # (n, T): G_t = Σ_{k≥t} r_k
    steps_left = torch.arange(T, 0, -1, device=means.device)  # T − t
    value = steps_left * (probs @ means)  # (T,)
    full = (score * to_go[:, :1, None]).sum(1)  # G_0 = to_go[:, 0]
    reward_to_go = (score * to_go[..., None]).sum(1)
    baselined = (score * (to_go - value)[..., None]).sum(1)
    return full, reward_to_go, baselined


# --8<-- [end:estimators]


# --8<-- [start:control_variate]
def control_variate(f, g, g_mean):
    """Estimate E[f] from paired samples f, g: (N,) where E[g] = g_mean
    is known. Uses f − c (g − g_mean) with c = Cov(f, g) / Var(g), the
    coefficient that minimises variance: it leaves Var f · (1 − ρ²).
    Returns the estimate, c and the corrected samples (N,).
    """
    fc, gc = f - f.mean(), g - g.mean()
    c = (fc * gc).mean() / (gc * gc).mean()
    corrected = f - c * (g - g_mean)
    return corrected.mean(), c, corrected


# --8<-- [end:control_variate]
