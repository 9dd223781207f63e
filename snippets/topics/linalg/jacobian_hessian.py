"""Hand-derived Jacobians and Hessians, and the Gauss–Newton matrix."""

import torch


# --8<-- [start:softmax]
def softmax_jacobian(z):
    """J[i, j] = ∂pᵢ/∂zⱼ = pᵢ(δᵢⱼ − pⱼ) for p = softmax(z), z: (K,).

    J = diag(p) − ppᵀ: symmetric, PSD, and J·1 = 0 (adding a constant
    to every logit changes nothing), so its rank is K − 1.
    """
    p = torch.softmax(z, dim=-1)  # (K,)
    return torch.diag(p) - torch.outer(p, p)  # (K, K)


# --8<-- [end:softmax]


# --8<-- [start:quadratic]
def quadratic(A, b, x):
    """f(x) = ½ xᵀAx + bᵀx for A: (N, N), b, x: (N,)."""
    return 0.5 * x @ A @ x + b @ x


def quadratic_grad(A, b, x):
    """∇f = ½(A + Aᵀ)x + b: only the symmetric part of A matters."""
    return 0.5 * (A + A.T) @ x + b


def quadratic_hessian(A):
    """∇²f = ½(A + Aᵀ), the same at every x."""
    return 0.5 * (A + A.T)


# --8<-- [end:quadratic]


# --8<-- [start:gauss_newton]
def gauss_newton_matrix(residuals, x):
    """JᵀJ for f(x) = ½‖r(x)‖², where J: (M, N) is the Jacobian of the
    residuals r: (N,) -> (M,) at x: (N,).

    The full Hessian is JᵀJ + Σₘ rₘ ∇²rₘ; Gauss–Newton drops the second
    term, which is small near a good fit and vanishes for linear r.
    JᵀJ is always PSD, so the step −(JᵀJ)⁻¹Jᵀr is a descent direction.
    """
    J = torch.autograd.functional.jacobian(residuals, x)  # (M, N)
    return J.T @ J


# --8<-- [end:gauss_newton]
