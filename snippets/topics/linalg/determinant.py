"""The determinant through LU factorisation with partial pivoting."""

import torch


# --8<-- [start:lu_det]
def lu(A):
    """PA = LU by Gaussian elimination with partial pivoting.

    A: (N, N). Returns perm (N,) with P = I[perm], L (N, N) unit lower
    triangular, U (N, N) upper triangular, and the number of row swaps.
    Pivoting picks the largest |entry| in each column, so every
    multiplier has |l| ≤ 1; without it a zero or tiny pivot fails.
    """
    N = A.size(0)
    U = A.clone()
    L = torch.eye(N, dtype=A.dtype, device=A.device)
    perm = torch.arange(N, device=A.device)
    swaps = 0
    for k in range(N - 1):
        p = k + int(U[k:, k].abs().argmax())
        if p != k:  # swap rows k and p of U, perm and the built part of L
            U[[k, p]] = U[[p, k]]
            perm[[k, p]] = perm[[p, k]]
            L[[k, p], :k] = L[[p, k], :k]
            swaps += 1
        if U[k, k] == 0:  # the whole column is zero: singular
            continue
        L[k + 1 :, k] = U[k + 1 :, k] / U[k, k]
        U[k + 1 :] -= L[k + 1 :, k, None] * U[k]
    return perm, L, U, swaps


def det(A):
    """det A = (−1)^swaps · ∏ U_kk, in O(N³) rather than N! terms."""
    _, _, U, swaps = lu(A)
    return (-1) ** swaps * U.diagonal().prod()


def slogdet(A):
    """(sign, log|det A|): the product of N pivots under- or overflows
    long before the log of their absolute values does."""
    _, _, U, swaps = lu(A)
    d = U.diagonal()
    sign = (-1) ** swaps * torch.sign(d).prod()
    return sign, d.abs().log().sum()


# --8<-- [end:lu_det]
