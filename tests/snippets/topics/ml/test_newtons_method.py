import torch

from snippets.topics.ml.logistic_regression import log_loss_grad, log_loss_hessian
from snippets.topics.ml.newtons_method import gradient_descent, newton

F64 = torch.float64
C_NEWTON = 1.0  # observed e_{k+1} / e_k² below this on this problem


def logistic_problem(device, lam=1e-3):
    # Features on different scales make the problem ill-conditioned.
    g = torch.Generator(device=device).manual_seed(0)
    scale = torch.tensor([1.0, 3.0, 0.3, 1.0, 0.1], dtype=F64, device=device)
    X = torch.randn(200, 5, generator=g, dtype=F64, device=device) * scale
    w_true = torch.tensor([1.5, -0.7, 2.0, 0.0, 5.0], dtype=F64, device=device)
    p = torch.sigmoid(X @ w_true)
    y = (torch.rand(200, generator=g, dtype=F64, device=device) < p).to(F64)
    grad = lambda w: log_loss_grad(X, y, w, lam)  # noqa: E731
    hess = lambda w: log_loss_hessian(X, w, lam)  # noqa: E731
    return X, grad, hess


def test_newton_solves_a_quadratic_in_one_step(device):
    A = torch.randn(6, 6, dtype=F64, device=device)
    H = A @ A.T + 6 * torch.eye(6, dtype=F64, device=device)  # SPD
    b = torch.randn(6, dtype=F64, device=device)
    w = newton(lambda w: H @ w - b, lambda w: H, torch.zeros(6, dtype=F64, device=device), 1)
    torch.testing.assert_close(w[1], torch.linalg.solve(H, b), rtol=1e-12, atol=1e-12)


def test_newton_converges_quadratically(device):
    _, grad, hess = logistic_problem(device)
    w0 = torch.zeros(5, dtype=F64, device=device)
    iterates = newton(grad, hess, w0, 8)
    w_star = iterates[-1]
    assert grad(w_star).norm().item() < 1e-14
    err = (iterates - w_star).norm(dim=1)
    # Once close, the error is squared each step, e_{k+1} ≤ C e_k², so the
    # correct digits double (checked while e_k² is above float64 noise).
    ks = [k for k in range(1, 8) if 1e-7 < err[k] < 0.5]
    assert len(ks) >= 2, err
    for k in ks:
        assert err[k + 1] < C_NEWTON * err[k] ** 2, err
    assert err[6].item() < 1e-12, err


def test_gradient_descent_is_linear_at_rate_one_minus_inverse_condition(device):
    # f(w) = ½ wᵀ H w with eigenvalues 1 … 100 (condition number κ = 100).
    Q, _ = torch.linalg.qr(torch.randn(4, 4, dtype=F64, device=device))
    lams = torch.tensor([1.0, 5.0, 30.0, 100.0], dtype=F64, device=device)
    H = Q @ torch.diag(lams) @ Q.T
    w0 = torch.ones(4, dtype=F64, device=device)
    err = gradient_descent(lambda w: H @ w, w0, 1 / 100, 300).norm(dim=1)
    # Step 1/λ_max: every eigen-direction shrinks by 1 − λ_i/100; the
    # slowest, 1 − 1/κ = 0.99, dominates after a few steps.
    rate = (err[300] / err[200]) ** (1 / 100)
    assert abs(rate.item() - 0.99) < 1e-9, rate.item()


def test_newton_beats_gradient_descent_on_logistic_regression(device):
    X, grad, hess = logistic_problem(device)
    w0 = torch.zeros(5, dtype=F64, device=device)
    w_star = newton(grad, hess, w0, 10)[-1]
    L = torch.linalg.eigvalsh(X.T @ X).max() / (4 * X.size(0)) + 1e-3
    gd = gradient_descent(grad, w0, 1 / L, 400)
    # Condition number ≈ 340 at the optimum: 400 steps of GD leave an
    # error of 2.5 (observed), 6 Newton steps leave < 1e-12.
    assert (gd[-1] - w_star).norm().item() > 1.0
    assert (newton(grad, hess, w0, 6)[-1] - w_star).norm().item() < 1e-12
