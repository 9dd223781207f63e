"""L2 (ridge) versus L1 (lasso): shrinkage against exact zeros."""

import torch

from snippets.topics.ml.linear_regression import normal_equations


# --8<-- [start:ridge]
def ridge(X, y, lam):
    """argmin ‖Xw − y‖² / (2N) + ½λ‖w‖²: (XᵀX + NλI) w = Xᵀy."""
    return normal_equations(X, y, lam=lam * X.size(0))


# --8<-- [end:ridge]


# --8<-- [start:lasso]
def soft_threshold(z, t):
    """Proximal operator of t‖·‖₁: shrink towards 0 by t, clip at 0."""
    return z.sign() * (z.abs() - t).clamp(min=0)


def lasso(X, y, lam, steps=500):
    """argmin ‖Xw − y‖² / (2N) + λ‖w‖₁ by proximal gradient (ISTA).

    Each step is a gradient step on the smooth squared error followed by
    soft-thresholding, which sets small coordinates exactly to zero.
    """
    N = X.size(0)
    L = torch.linalg.eigvalsh(X.T @ X / N).max()  # gradient's Lipschitz
    w = torch.zeros(X.size(1), dtype=X.dtype, device=X.device)
    for _ in range(steps):
        grad = X.T @ (X @ w - y) / N
        w = soft_threshold(w - grad / L, lam / L)
    return w


# --8<-- [end:lasso]
