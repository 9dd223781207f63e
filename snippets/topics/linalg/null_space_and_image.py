"""Orthonormal bases of the four fundamental subspaces, from one SVD."""

import torch

from snippets.topics.linalg.rank_and_span import rank


# --8<-- [start:null_space]
def null_space(A, rtol=None):
    """Orthonormal basis of {x : Ax = 0}, shape (N, N − rank)."""
    r = rank(A, rtol)
    _, _, Vh = torch.linalg.svd(A)  # full: Vh is (N, N)
    # The rows of Vᵀ past the rank are mapped to 0 by A.
    return Vh[r:].T.conj()


# --8<-- [end:null_space]


# --8<-- [start:subspaces]
def fundamental_subspaces(A, rtol=None):
    """Bases of the four subspaces of A: (M, N) with rank r.

    A = U Σ Vᵀ and A vᵢ = σᵢ uᵢ, so the first r columns of U span the
    image (column space), the first r of V the row space, and the
    remaining columns of V and U the null space and the left null
    space. Returns a dict of orthonormal column bases.
    """
    r = rank(A, rtol)
    U, _, Vh = torch.linalg.svd(A)  # U: (M, M), Vh: (N, N)
    V = Vh.T
    return {
        "image": U[:, :r],  # (M, r)
        "left_null": U[:, r:],  # (M, M − r)
        "row": V[:, :r],  # (N, r)
        "null": V[:, r:],  # (N, N − r)
    }


def projector(B):
    """Orthogonal projector B Bᵀ onto the span of orthonormal columns
    B: (D, k); symmetric and idempotent."""
    return B @ B.T


# --8<-- [end:subspaces]
