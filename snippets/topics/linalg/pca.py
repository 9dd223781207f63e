"""PCA through the SVD of the centred data matrix."""

import torch


# --8<-- [start:pca]
def pca(X, k=None):
    """Principal components of the rows of X: (N, D).

    Returns mean (D,); components (k, D), orthonormal rows in order of
    decreasing variance; explained variance (k,), the eigenvalues of
    the sample covariance XcᵀXc / (N − 1); and the explained variance
    ratio (k,), each variance over the total. k defaults to min(N, D).
    """
    N = X.size(0)
    mean = X.mean(dim=0)  # (D,)
    Xc = X - mean  # (N, D)
    # Xc = U S Vᵀ gives XcᵀXc / (N − 1) = V diag(S² / (N − 1)) Vᵀ, so
    # the rows of Vᵀ are the covariance's eigenvectors, without ever
    # forming the covariance (which would square the condition number).
    _, S, Vh = torch.linalg.svd(Xc, full_matrices=False)  # Vh: (r, D)
    # Fix each sign so that the largest entry is positive: the SVD is
    # unique only up to ±, and we want the same answer on every device.
    big = Vh.abs().argmax(dim=1, keepdim=True)  # (r, 1)
    Vh = Vh * torch.sign(Vh.gather(1, big))
    var = S.square() / (N - 1)  # (r,)
    ratio = var / var.sum()
    k = S.numel() if k is None else k
    return mean, Vh[:k], var[:k], ratio[:k]


def project(X, mean, components):
    """Coordinates of X (N, D) along components (k, D): (N, k)."""
    return (X - mean) @ components.T


def reconstruct(Z, mean, components):
    """Map coordinates Z (N, k) back to data space: (N, D)."""
    return Z @ components + mean


# --8<-- [end:pca]
