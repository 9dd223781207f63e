import torch

from snippets.topics.ml.linear_regression import (
    gradient_descent,
    mse_grad,
    newton_step,
    normal_equations,
)

F64 = torch.float64


def data(device, N=200, D=5):
    X = torch.randn(N, D, dtype=F64, device=device)
    X = torch.cat([X, torch.ones(N, 1, dtype=F64, device=device)], dim=1)  # intercept
    w_true = torch.randn(D + 1, dtype=F64, device=device)
    y = X @ w_true + 0.1 * torch.randn(N, dtype=F64, device=device)
    return X, y


def test_normal_equations_match_lstsq(device):
    X, y = data(device)
    w = normal_equations(X, y)
    # The gelsd driver is CPU-only; the default driver works on both.
    expected = torch.linalg.lstsq(X, y[:, None]).solution[:, 0]
    torch.testing.assert_close(w, expected, atol=1e-6, rtol=0)
    # First-order condition: the residual is orthogonal to every column.
    assert (X.T @ (X @ w - y)).abs().max() < 1e-10


def test_gradient_descent_converges_to_the_same_solution(device):
    X, y = data(device)
    # Condition number of XᵀX/N is about 2 here: 100 steps of 1/L suffice.
    w = gradient_descent(X, y, steps=100)
    torch.testing.assert_close(w, normal_equations(X, y), atol=1e-6, rtol=0)


def test_one_newton_step_lands_on_the_minimiser(device):
    X, y = data(device)
    w_star = normal_equations(X, y)
    for scale in (0.0, 1.0, 100.0):
        w0 = scale * torch.randn(X.size(1), dtype=F64, device=device)
        w1 = newton_step(X, y, w0)
        torch.testing.assert_close(w1, w_star, atol=1e-8, rtol=0)
        assert mse_grad(X, y, w1).abs().max() < 1e-10


def test_ridge_closed_form(device):
    X, y = data(device)
    lam = 3.0
    w = normal_equations(X, y, lam=lam)
    # Ridge is least squares on X stacked over √λ I with zero targets.
    D = X.size(1)
    X_aug = torch.cat([X, lam**0.5 * torch.eye(D, dtype=F64, device=device)])
    y_aug = torch.cat([y, torch.zeros(D, dtype=F64, device=device)])
    expected = torch.linalg.lstsq(X_aug, y_aug[:, None]).solution[:, 0]
    torch.testing.assert_close(w, expected, atol=1e-8, rtol=0)
    # Gradient of ½‖Xw − y‖² + ½λ‖w‖² is zero, and the norm shrinks.
    assert (X.T @ (X @ w - y) + lam * w).abs().max() < 1e-9
    assert w.norm() < normal_equations(X, y).norm()


def test_ridge_one_dimension_by_hand(device):
    # x = (1, 2), y = (2, 4), λ = 5: w = Σxy / (Σx² + λ) = 10 / 10 = 1.
    X = torch.tensor([[1.0], [2.0]], dtype=F64, device=device)
    y = torch.tensor([2.0, 4.0], dtype=F64, device=device)
    assert normal_equations(X, y, lam=5.0).item() == 1.0
    assert normal_equations(X, y).item() == 2.0
