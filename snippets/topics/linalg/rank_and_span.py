"""Numerical rank from the SVD, span membership and low-rank factors."""

import torch


# --8<-- [start:rank]
def default_rtol(A):
    """Relative cut-off for 'zero' singular values: max(M, N)·ε,
    the default of torch.linalg.matrix_rank and torch.linalg.pinv."""
    return max(A.shape[-2:]) * torch.finfo(A.dtype).eps


def rank(A, rtol=None):
    """Numerical rank of A: (M, N), the number of σᵢ > rtol·σ_max."""
    rtol = default_rtol(A) if rtol is None else rtol
    s = torch.linalg.svdvals(A)  # (min(M, N),), decreasing
    return int((s > rtol * s[0]).sum())


# --8<-- [end:rank]


# --8<-- [start:span]
def in_span(V, x, rtol=None):
    """Is x (D,) a linear combination of the columns of V (D, N)?
    Yes iff appending x as a column leaves the rank unchanged."""
    return rank(torch.cat([V, x[:, None]], dim=1), rtol) == rank(V, rtol)


def low_rank_factors(A, r):
    """Best rank-r approximation of A: (M, N) as a product B @ C,
    B: (M, r), C: (r, N), with √σ split evenly between the factors.

    By Eckart–Young, ‖A − BC‖_F = √(σ²_{r+1} + … ) is the smallest
    error of any rank-r matrix. Storage: r(M + N) numbers, not M·N.
    """
    U, s, Vh = torch.linalg.svd(A, full_matrices=False)
    root = s[:r].sqrt()  # (r,)
    return U[:, :r] * root, root[:, None] * Vh[:r]  # (M, r), (r, N)


# --8<-- [end:span]
