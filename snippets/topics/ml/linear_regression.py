"""Least squares three ways: normal equations, gradient descent, Newton."""

import torch


# --8<-- [start:closed_form]
def normal_equations(X, y, lam=0.0):
    """Minimise ½‖Xw − y‖² + ½λ‖w‖². X: (N, D), y: (N,) -> w: (D,).

    Solves (XᵀX + λI) w = Xᵀy. Append a column of ones to X for an
    intercept (and then λ shrinks the intercept too).
    """
    D = X.size(1)
    A = X.T @ X + lam * torch.eye(D, dtype=X.dtype, device=X.device)
    return torch.linalg.solve(A, X.T @ y)


# --8<-- [end:closed_form]


# --8<-- [start:iterative]
def mse_grad(X, y, w):
    """Gradient of L(w) = ‖Xw − y‖² / (2N): Xᵀ(Xw − y) / N, shape (D,)."""
    return X.T @ (X @ w - y) / X.size(0)


def gradient_descent(X, y, lr=None, steps=500):
    """Plain gradient descent on L from w = 0.

    lr defaults to 1/L, where L = λ_max(XᵀX / N) is the gradient's
    Lipschitz constant: the largest step that is safe in every direction.
    """
    if lr is None:
        lr = 1.0 / torch.linalg.eigvalsh(X.T @ X / X.size(0)).max()
    w = torch.zeros(X.size(1), dtype=X.dtype, device=X.device)
    for _ in range(steps):
        w = w - lr * mse_grad(X, y, w)
    return w


def newton_step(X, y, w):
    """w − H⁻¹∇L with H = XᵀX / N. L is quadratic, so from any w this
    lands on the minimiser in one step."""
    H = X.T @ X / X.size(0)  # (D, D)
    return w - torch.linalg.solve(H, mse_grad(X, y, w))


# --8<-- [end:iterative]
