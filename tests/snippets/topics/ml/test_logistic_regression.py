import torch
import torch.nn.functional as F

from snippets.topics.ml.logistic_regression import (
    fit_gradient_descent,
    fit_newton,
    log_loss,
    log_loss_grad,
    log_loss_hessian,
)

F64 = torch.float64
LAM = 1e-2


def noisy_separable(device, N=200, flip=0.05):
    """2-D points labelled by a line, then 5% of labels flipped."""
    X = torch.randn(N, 2, dtype=F64, device=device)
    X = torch.cat([X, torch.ones(N, 1, dtype=F64, device=device)], dim=1)
    w_true = torch.tensor([2.0, -1.0, 0.5], dtype=F64, device=device)
    y = (X @ w_true > 0).to(F64)
    flips = torch.rand(N, device=device) < flip
    return X, torch.where(flips, 1 - y, y), flips


def test_loss_matches_bce_with_logits(device):
    X, y, _ = noisy_separable(device)
    w = torch.randn(3, dtype=F64, device=device)
    expected = F.binary_cross_entropy_with_logits(X @ w, y)
    torch.testing.assert_close(log_loss(X, y, w), expected, atol=1e-12, rtol=0)


def test_gradient_and_hessian_match_autograd(device):
    X, y, _ = noisy_separable(device)
    w = torch.randn(3, dtype=F64, device=device, requires_grad=True)
    (auto,) = torch.autograd.grad(log_loss(X, y, w, LAM), w)
    torch.testing.assert_close(log_loss_grad(X, y, w.detach(), LAM), auto, atol=1e-12, rtol=0)
    hess = torch.autograd.functional.hessian(lambda v: log_loss(X, y, v, LAM), w.detach())
    torch.testing.assert_close(log_loss_hessian(X, w.detach(), LAM), hess, atol=1e-12, rtol=0)


def test_gradient_descent_matches_newton_and_classifies(device):
    X, y, flips = noisy_separable(device)
    w_newton = fit_newton(X, y, LAM)
    assert log_loss_grad(X, y, w_newton, LAM).abs().max() < 1e-12
    # Newton reaches machine precision in about 6 steps; gradient descent
    # with step 1/L needs about 100 steps for 1e-8 here (300 for margin).
    w_gd = fit_gradient_descent(X, y, LAM, steps=300)
    torch.testing.assert_close(w_gd, w_newton, atol=1e-8, rtol=0)
    accuracy = ((X @ w_newton > 0).to(F64) == y).to(F64).mean().item()
    # Flipped labels cannot be fitted by a line: accuracy near 1 − 5%.
    assert accuracy >= 0.9
    # No linear rule beats the true line by much on the flipped points.
    assert accuracy <= 1 - flips.to(F64).mean().item() + 0.02
