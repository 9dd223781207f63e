"""Soft actor-critic pieces: the squashed Gaussian policy's log-prob and
the soft Bellman target."""

import math

import torch
import torch.nn.functional as F


# --8<-- [start:squash]
def squashed_gaussian(mu, log_std, generator=None):
    """Sample a = tanh(u), u = μ + σ ε (reparameterised), and log π(a).

    mu, log_std: (B, d). Change of variables: log π(a) = log N(u; μ, σ)
    − Σ_i log(1 − tanh² u_i), with the stable identity
    log(1 − tanh² u) = 2 (log 2 − u − softplus(−2u)).
    Returns a: (B, d) in (−1, 1) and log π(a): (B,).
    """
    std = log_std.exp()
    eps = torch.randn(
        mu.shape, generator=generator, dtype=mu.dtype, device=mu.device
    )
    u = mu + std * eps  # gradients flow to mu and log_std
    log_normal = -0.5 * eps**2 - log_std - 0.5 * math.log(2 * math.pi)
    log_jac = 2 * (math.log(2) - u - F.softplus(-2 * u))  # (B, d)
    return torch.tanh(u), (log_normal - log_jac).sum(-1)


# --8<-- [end:squash]


# --8<-- [start:soft_target]
def soft_q_target(r, done, q1_next, q2_next, logp_next, gamma, alpha):
    """y = r + γ (1 − d) [min(Q1, Q2)(s', a') − α log π(a'|s')],
    a' ~ π(·|s') freshly sampled. All inputs (B,); returns (B,), to be
    used as a constant regression target for both critics."""
    soft_v = torch.minimum(q1_next, q2_next) - alpha * logp_next
    return (r + gamma * (1 - done) * soft_v).detach()


def soft_value(q, alpha):
    """Discrete actions: V = max_π E_π[Q] + α H(π) = α logsumexp(Q/α),
    attained by π = softmax(Q/α). q: (..., A) -> (...)."""
    return alpha * torch.logsumexp(q / alpha, dim=-1)


# --8<-- [end:soft_target]
