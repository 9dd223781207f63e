"""Pseudo-inverse and least squares from the SVD and QR."""

import math

import torch

from snippets.topics.linalg.rank_and_span import default_rtol
from snippets.topics.ml.linear_regression import normal_equations


# --8<-- [start:svd]
def pinv(A, rtol=None):
    """Moore–Penrose pseudo-inverse V Σ⁺ Uᵀ, shape (N, M).

    Σ⁺ inverts the singular values above the cut-off and zeroes the
    rest; inverting a tiny σ instead would amplify noise by 1/σ.
    """
    rtol = default_rtol(A) if rtol is None else rtol
    U, s, Vh = torch.linalg.svd(A, full_matrices=False)
    keep = s > rtol * s[0]
    s_inv = torch.where(keep, 1 / torch.where(keep, s, 1), 0)
    return (Vh.T.conj() * s_inv) @ U.T.conj()


# --8<-- [end:svd]


# --8<-- [start:lstsq]
def lstsq_qr(A, b):
    """argmin ‖Ax − b‖ for A: (M, N) of full column rank, b: (M,).

    A = QR with Q (M, N) orthonormal columns and R (N, N) upper
    triangular; ‖Ax − b‖² = ‖Rx − Qᵀb‖² + ‖(I − QQᵀ)b‖², so x solves
    the triangular system Rx = Qᵀb. Works with A itself: κ(R) = κ(A).
    """
    Q, R = torch.linalg.qr(A)  # reduced: (M, N), (N, N)
    return torch.linalg.solve_triangular(
        R, (Q.T @ b)[:, None], upper=True
    ).squeeze(-1)


def lstsq_normal(A, b):
    """The same minimiser via AᵀA x = Aᵀb: cheaper, but κ(AᵀA) = κ(A)²."""
    return normal_equations(A, b)


def condition_number(A):
    """κ₂(A) = σ_max / σ_min."""
    s = torch.linalg.svdvals(A)
    return s[0] / s[-1]


# --8<-- [end:lstsq]


# --8<-- [start:ill_conditioned]
def ill_conditioned(M, N, kappa, dtype=torch.float64, device=None):
    """A random (M, N) matrix, M ≥ N, with singular values spaced
    log-uniformly from 1 down to 1/kappa, so κ(A) = kappa exactly."""
    kw = dict(dtype=dtype, device=device)
    U, _ = torch.linalg.qr(torch.randn(M, N, **kw))  # (M, N)
    V, _ = torch.linalg.qr(torch.randn(N, N, **kw))  # (N, N)
    S = torch.logspace(0, -math.log10(kappa), N, **kw)
    return (U * S) @ V.T


# --8<-- [end:ill_conditioned]
