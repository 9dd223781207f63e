import torch
from torch.autograd.functional import hessian, jacobian

from snippets.topics.linalg.jacobian_hessian import (
    gauss_newton_matrix,
    quadratic,
    quadratic_grad,
    quadratic_hessian,
    softmax_jacobian,
)

F64 = torch.float64


def test_softmax_jacobian_matches_autograd(device):
    z = torch.randn(6, dtype=F64, device=device)
    J = softmax_jacobian(z)
    ref = jacobian(lambda t: torch.softmax(t, dim=-1), z)
    torch.testing.assert_close(J, ref, atol=1e-14, rtol=0)
    torch.testing.assert_close(J, J.T)
    zero = torch.zeros(6, dtype=F64, device=device)
    torch.testing.assert_close(J @ torch.ones(6, dtype=F64, device=device), zero)
    assert torch.linalg.matrix_rank(J).item() == 5
    assert torch.linalg.eigvalsh(J).min().item() > -1e-15


def test_softmax_jacobian_by_hand_and_as_cross_entropy_hessian(device):
    # Uniform logits over K = 4: p = ¼, J = ¼ I − 1/16.
    J = softmax_jacobian(torch.zeros(4, dtype=F64, device=device))
    eye = torch.eye(4, dtype=F64, device=device)
    torch.testing.assert_close(J, eye / 4 - 1 / 16, atol=0, rtol=0)
    # The Hessian of cross-entropy −log softmax(z)_y in z is the same J.
    z = torch.randn(5, dtype=F64, device=device)
    H = hessian(lambda t: -torch.log_softmax(t, dim=-1)[2], z)
    torch.testing.assert_close(H, softmax_jacobian(z), atol=1e-14, rtol=0)


def test_quadratic_gradient_and_hessian_match_autograd(device):
    A = torch.randn(5, 5, dtype=F64, device=device)  # not symmetric
    b = torch.randn(5, dtype=F64, device=device)
    x = torch.randn(5, dtype=F64, device=device)
    g = jacobian(lambda t: quadratic(A, b, t), x)
    torch.testing.assert_close(quadratic_grad(A, b, x), g, atol=1e-12, rtol=0)
    H = hessian(lambda t: quadratic(A, b, t), x)
    torch.testing.assert_close(quadratic_hessian(A), H, atol=1e-12, rtol=0)
    # The Hessian is the Jacobian of the gradient, and is symmetric.
    Hj = jacobian(lambda t: quadratic_grad(A, b, t), x)
    torch.testing.assert_close(Hj, H, atol=1e-12, rtol=0)
    torch.testing.assert_close(H, H.T)
    # Newton's step from any x lands on the minimiser of a PD quadratic.
    S = A @ A.T + torch.eye(5, dtype=F64, device=device)
    x1 = x - torch.linalg.solve(quadratic_hessian(S), quadratic_grad(S, b, x))
    torch.testing.assert_close(quadratic_grad(S, b, x1), torch.zeros_like(x), atol=1e-12, rtol=0)


def test_gauss_newton_equals_hessian_for_linear_residuals(device):
    # r(x) = Ax − y: Hessian of ½‖r‖² is AᵀA exactly.
    A = torch.randn(7, 3, dtype=F64, device=device)
    y = torch.randn(7, dtype=F64, device=device)
    x = torch.randn(3, dtype=F64, device=device)
    G = gauss_newton_matrix(lambda t: A @ t - y, x)
    H = hessian(lambda t: 0.5 * (A @ t - y).square().sum(), x)
    torch.testing.assert_close(G, A.T @ A, atol=1e-12, rtol=0)
    torch.testing.assert_close(G, H, atol=1e-12, rtol=0)


def test_gauss_newton_drops_the_residual_curvature(device):
    # Non-linear residuals rₘ(x) = exp(aₘ·x) − yₘ. The Hessian is
    # JᵀJ + Σ rₘ ∇²rₘ with ∇²rₘ = exp(aₘ·x) aₘaₘᵀ. GN is PSD even where
    # the Hessian is not, and the two agree when the residuals vanish.
    a = 0.5 * torch.randn(6, 2, dtype=F64, device=device)
    x_true = torch.tensor([0.3, -0.7], dtype=F64, device=device)

    def resid(y):
        return lambda t: torch.exp(a @ t) - y

    y = torch.exp(a @ x_true)
    y_bad = y + 3.0 * torch.randn(6, dtype=F64, device=device)
    x = torch.randn(2, dtype=F64, device=device)
    for target in (y, y_bad):
        G = gauss_newton_matrix(resid(target), x)
        H = hessian(lambda t: 0.5 * resid(target)(t).square().sum(), x)  # noqa: B023
        r = resid(target)(x)
        e = torch.exp(a @ x)
        second = (a.T * (r * e)) @ a  # Σ rₘ eₘ aₘaₘᵀ
        torch.testing.assert_close(H, G + second, atol=1e-12, rtol=1e-10)
        assert torch.linalg.eigvalsh(G).min().item() > -1e-12
    # At the solution the residuals are zero, so GN is the Hessian there.
    G = gauss_newton_matrix(resid(y), x_true)
    H = hessian(lambda t: 0.5 * resid(y)(t).square().sum(), x_true)
    torch.testing.assert_close(G, H, atol=1e-12, rtol=0)
