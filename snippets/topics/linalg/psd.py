"""Positive semi-definite matrices: the Cholesky factor and a PSD test."""

import torch


# --8<-- [start:cholesky]
def cholesky(A):
    """Lower-triangular L with A = L Lᵀ, for a symmetric positive
    definite A: (N, N). Row by row (Cholesky–Banachiewicz), N³/3 flops.

    Raises ValueError when a pivot is ≤ 0: A is not positive definite,
    which makes the attempt the cheapest test of definiteness.
    """
    N = A.size(0)
    L = torch.zeros_like(A)
    for i in range(N):
        for j in range(i + 1):
            s = A[i, j] - L[i, :j] @ L[j, :j]
            if i == j:
                if s <= 0:
                    raise ValueError(f"not positive definite (pivot {i})")
                L[i, i] = s.sqrt()
            else:
                L[i, j] = s / L[j, j]
    return L


def is_psd(A, tol=None):
    """Symmetric A: (N, N) is PSD iff its smallest eigenvalue is ≥ 0;
    allow −tol·λ_max for rounding (default N·ε·λ_max)."""
    lam = torch.linalg.eigvalsh(A)  # ascending
    if tol is None:
        tol = A.size(0) * torch.finfo(A.dtype).eps
    return bool(lam[0] >= -tol * lam.abs().max())


# --8<-- [end:cholesky]
