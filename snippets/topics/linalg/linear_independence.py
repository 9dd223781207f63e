"""Testing linear independence by rank and by the Gram determinant."""

import torch

from snippets.topics.linalg.rank_and_span import rank


# --8<-- [start:independence]
def independent(V, rtol=None):
    """True if the N columns of V: (D, N) are linearly independent,
    i.e. the numerical rank of V is N (never true when N > D)."""
    return rank(V, rtol) == V.size(1)


def gram_determinant(V):
    """det(VᵀV) for V: (D, N): the squared N-volume of the
    parallelotope spanned by the columns; 0 iff they are dependent.

    Computed as ∏ σᵢ² from the singular values of V, which never forms
    VᵀV (that would square the condition number).
    """
    s = torch.linalg.svdvals(V)  # (min(D, N),)
    if V.size(1) > V.size(0):
        return torch.zeros((), dtype=V.dtype, device=V.device)
    return s.square().prod()


def dependency(V, rtol=None):
    """A unit vector c with V c ≈ 0 (the coefficients of a linear
    dependency), or None when the columns are independent."""
    if independent(V, rtol):
        return None
    _, _, Vh = torch.linalg.svd(V)  # Vh: (N, N)
    return Vh[-1]  # direction of the smallest singular value


# --8<-- [end:independence]
