"""Overfitting made visible: a polynomial degree sweep and early stopping."""

import math

import torch


# --8<-- [start:data]
def make_data(n, sigma=0.3, generator=None, device=None):
    """n noisy samples of sin(πx): (n,), (n,).

    x is a jittered grid on [−1, 1] (one uniform point per cell of width
    2/n), so no gap at the ends forces the fit to extrapolate.
    """
    kw = dict(generator=generator, device=device, dtype=torch.float64)
    cells = torch.arange(n, device=device, dtype=torch.float64)
    x = (cells + torch.rand(n, **kw)) * (2 / n) - 1
    return x, torch.sin(math.pi * x) + sigma * torch.randn(n, **kw)


def features(x, degree):
    """Legendre polynomials P_0..P_degree at x: (n,) -> (n, degree + 1).

    Orthogonal on [−1, 1], so the least-squares problem stays well
    conditioned where raw powers x^k would not.
    """
    return torch.stack(
        [torch.special.legendre_polynomial_p(x, k) for k in range(degree + 1)],
        dim=-1,
    )


# --8<-- [end:data]


# --8<-- [start:sweep]
def degree_sweep(x_tr, y_tr, x_val, y_val, degrees):
    """Least-squares fit of each degree; returns train and validation MSE."""
    train, val = [], []
    for d in degrees:
        w = torch.linalg.lstsq(features(x_tr, d), y_tr[:, None]).solution
        train.append(
            (features(x_tr, d) @ w).squeeze(1).sub(y_tr).square().mean()
        )
        val.append(
            (features(x_val, d) @ w).squeeze(1).sub(y_val).square().mean()
        )
    return torch.stack(train), torch.stack(val)


# --8<-- [end:sweep]


# --8<-- [start:early_stopping]
def gd_early_stopping(Phi, y, Phi_val, y_val, max_steps, patience):
    """Full-batch gradient descent on the MSE, stopped when the validation
    loss has not improved for `patience` steps; returns the best weights,
    the step they came from, and the validation curve."""
    lr = 1 / torch.linalg.eigvalsh(Phi.T @ Phi / len(y)).max()
    w = torch.zeros(Phi.size(1), dtype=Phi.dtype, device=Phi.device)
    best_w, best_step, best_val, curve = w, 0, math.inf, []
    for step in range(1, max_steps + 1):
        w = w - lr * Phi.T @ (Phi @ w - y) / len(y)
        val = (Phi_val @ w - y_val).square().mean().item()
        curve.append(val)
        if val < best_val:
            best_w, best_step, best_val = w, step, val
        elif step - best_step >= patience:
            break  # no improvement for `patience` steps
    return best_w, best_step, curve


# --8<-- [end:early_stopping]
