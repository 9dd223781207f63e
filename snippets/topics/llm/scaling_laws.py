"""Scaling laws: training compute, compute-optimal size, power-law fits."""

import math

import torch


# --8<-- [start:compute]
def training_flops(n_params, n_tokens):
    """C ≈ 6 N D: 2 FLOPs per parameter per token forward (one multiply,
    one add), twice that backward (gradients of inputs and of weights).
    """
    return 6 * n_params * n_tokens


def chinchilla_optimal(compute, tokens_per_param=20.0):
    """Compute-optimal (N, D) under C = 6 N D with D = r N.

    N = sqrt(C / (6 r)), D = r N: both grow as C^0.5.
    """
    n_params = (compute / (6 * tokens_per_param)) ** 0.5
    return n_params, tokens_per_param * n_params


def parametric_optimal(compute, A=406.4, B=410.7, alpha=0.34, beta=0.28):
    """Minimise L = E + A / N^α + B / D^β subject to 6 N D = C.

    Setting dL/dN = 0 along D = C / (6N) gives N^(α+β) ∝ (C/6)^β:
    N = G (C/6)^(β/(α+β)), G = (αA / (βB))^(1/(α+β)). The defaults are
    the fitted constants of Hoffmann et al. (2022), approach 3.
    """
    G = (alpha * A / (beta * B)) ** (1 / (alpha + beta))
    n_params = G * (compute / 6) ** (beta / (alpha + beta))
    return n_params, compute / (6 * n_params)


# --8<-- [end:compute]


# --8<-- [start:fit]
def fit_power_law(N, L, E=None):
    """Fit L = E + A / N^α by least squares on log(L - E) = log A - α log N.

    N, L: (k,) model sizes and losses. With E unknown, scan E below
    min(L) and keep the one whose log-space fit has the least residual.
    Returns (E, A, alpha) as floats.
    """
    N, L = N.double(), L.double()
    X = torch.stack((torch.ones_like(N), -N.log()), dim=1)  # (k, 2)

    def fit(e):
        y = (L - e).log()[:, None]  # (k, 1)
        coef = torch.linalg.lstsq(X, y).solution[:, 0]  # log A, α
        return (X @ coef - y[:, 0]).square().sum().item(), coef

    if E is None:
        lo, hi = 0.0, L.min().item()
        for _ in range(4):  # a grid over [lo, hi), zooming in 100x a round
            grid = torch.linspace(lo, hi, 201, dtype=torch.float64)[:-1]
            E = min(grid.tolist(), key=lambda e: fit(e)[0])
            step = (hi - lo) / 200
            lo, hi = max(0.0, E - step), min(hi, E + step)
    log_a, alpha = fit(E)[1].tolist()
    return E, math.exp(log_a), alpha


# --8<-- [end:fit]
