"""Logistic regression: log-loss, its gradient, and two solvers."""

import torch
import torch.nn.functional as F


# --8<-- [start:loss]
def log_loss(X, y, w, lam=0.0):
    """Mean negative log-likelihood plus ½λ‖w‖².

    X: (N, D), y: (N,) in {0, 1}, w: (D,). Uses −log σ(z) = softplus(−z)
    so that large |z| neither overflows nor takes log(0).
    """
    z = X @ w  # (N,) logits
    nll = F.softplus(z) - y * z  # = −y log σ(z) − (1 − y) log(1 − σ(z))
    return nll.mean() + 0.5 * lam * w.square().sum()


def log_loss_grad(X, y, w, lam=0.0):
    """∇ = Xᵀ(σ(Xw) − y) / N + λw, shape (D,): error times input."""
    return X.T @ (torch.sigmoid(X @ w) - y) / X.size(0) + lam * w


def log_loss_hessian(X, w, lam=0.0):
    """H = Xᵀ S X / N + λI with S = diag(p(1 − p)), shape (D, D)."""
    p = torch.sigmoid(X @ w)  # (N,)
    s = p * (1 - p)
    D = X.size(1)
    eye = torch.eye(D, dtype=X.dtype, device=X.device)
    return (X.T * s) @ X / X.size(0) + lam * eye


# --8<-- [end:loss]


# --8<-- [start:solvers]
def fit_gradient_descent(X, y, lam=0.0, steps=1000, lr=None):
    """Gradient descent from w = 0. The default step 1/L uses
    L = λ_max(XᵀX) / (4N) + λ, since p(1 − p) ≤ ¼."""
    if lr is None:
        top = torch.linalg.eigvalsh(X.T @ X).max()
        lr = 1.0 / (top / (4 * X.size(0)) + lam)
    w = torch.zeros(X.size(1), dtype=X.dtype, device=X.device)
    for _ in range(steps):
        w = w - lr * log_loss_grad(X, y, w, lam)
    return w


def fit_newton(X, y, lam=0.0, steps=20):
    """Newton's method, i.e. iteratively reweighted least squares:
    every step solves a weighted least-squares problem with weights
    p(1 − p). Quadratic convergence near the optimum."""
    w = torch.zeros(X.size(1), dtype=X.dtype, device=X.device)
    for _ in range(steps):
        H = log_loss_hessian(X, w, lam)
        w = w - torch.linalg.solve(H, log_loss_grad(X, y, w, lam))
    return w


# --8<-- [end:solvers]
