"""Gram–Schmidt orthogonalisation (classical and modified)."""

import torch


# --8<-- [start:gram_schmidt]
def gram_schmidt(A, modified=True):
    """Thin QR of A: (M, N), M ≥ N, full column rank, by Gram–Schmidt.

    Column j of Q is column j of A minus its components along the
    earlier q's, normalised; R (N, N) upper triangular stores those
    components, so A = QR. Classical GS takes every component from the
    original column; modified GS removes them one at a time from the
    running remainder, which keeps Q far closer to orthogonal.
    """
    N = A.size(1)
    Q = torch.zeros_like(A)
    R = torch.zeros(N, N, dtype=A.dtype, device=A.device)
    for j in range(N):
        v = A[:, j].clone()
        for i in range(j):
            # classical: project the original column; modified: project
            # what is left after removing q_0 .. q_{i-1}
            R[i, j] = Q[:, i] @ (v if modified else A[:, j])
            v = v - R[i, j] * Q[:, i]
        R[j, j] = v.norm()
        Q[:, j] = v / R[j, j]
    return Q, R


def orthogonality_loss(Q):
    """‖QᵀQ − I‖_F: 0 for exactly orthonormal columns."""
    eye = torch.eye(Q.size(1), dtype=Q.dtype, device=Q.device)
    return (Q.T @ Q - eye).norm()


# --8<-- [end:gram_schmidt]
