"""Condition numbers and a regularised (Tikhonov) solve."""

import torch


# --8<-- [start:conditioning]
def condition_number(A):
    """κ₂(A) = σ_max / σ_min for A: (N, N); infinite when singular.

    A relative change δ in b can change the solution of Ax = b by up
    to κ·δ, so log10 κ is roughly the number of digits you lose.
    """
    s = torch.linalg.svdvals(A)  # decreasing
    return s[0] / s[-1]


def regularised_solve(A, b, lam):
    """argmin ‖Ax − b‖² + λ‖x‖² for A: (M, N), b: (M,), λ > 0.

    Through the SVD: x = Σ σᵢ/(σᵢ² + λ) (uᵢ·b) vᵢ. Directions with
    σᵢ² ≫ λ are solved as usual; those with σᵢ² ≪ λ are damped
    instead of amplified by 1/σᵢ. Defined even when A is singular.
    """
    U, s, Vh = torch.linalg.svd(A, full_matrices=False)
    filt = s / (s.square() + lam)  # (r,) the filter factors over σ
    return Vh.T @ (filt * (U.T @ b))


# --8<-- [end:conditioning]
