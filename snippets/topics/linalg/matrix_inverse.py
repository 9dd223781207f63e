"""Gauss–Jordan inversion, and the Sherman–Morrison rank-one update."""

import torch


# --8<-- [start:gauss_jordan]
def gauss_jordan_inverse(A):
    """A⁻¹ for a non-singular A: (N, N), by row-reducing [A | I] to
    [I | A⁻¹], with partial pivoting. About 2N³ flops, against
    ⅔N³ + 2N² for one LU-based solve of Ax = b.
    """
    N = A.size(0)
    eye = torch.eye(N, dtype=A.dtype, device=A.device)
    M = torch.cat([A, eye], dim=1)  # (N, 2N), the augmented matrix
    for k in range(N):
        p = k + int(M[k:, k].abs().argmax())  # largest pivot
        if M[p, k] == 0:
            raise ValueError("matrix is singular")
        M[[k, p]] = M[[p, k]]
        M[k] = M[k] / M[k, k]
        # Eliminate column k from every other row, above and below.
        factors = M[:, k].clone()
        factors[k] = 0
        M -= factors[:, None] * M[k]
    return M[:, N:]


# --8<-- [end:gauss_jordan]


# --8<-- [start:sherman_morrison]
def sherman_morrison(A_inv, u, v):
    """(A + u vᵀ)⁻¹ from A⁻¹: (N, N) and u, v: (N,), in O(N²):

        (A + uvᵀ)⁻¹ = A⁻¹ − (A⁻¹u)(vᵀA⁻¹) / (1 + vᵀA⁻¹u).

    The update is singular exactly when 1 + vᵀA⁻¹u = 0.
    """
    Au = A_inv @ u  # (N,)
    vA = v @ A_inv  # (N,)
    return A_inv - torch.outer(Au, vA) / (1 + v @ Au)


# --8<-- [end:sherman_morrison]
