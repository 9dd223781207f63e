import itertools
import math

import torch

from snippets.topics.ml.gradient_boosting import (
    fit_regression_tree,
    gradient_boost,
    predict_boosted,
    predict_tree,
)

F64 = torch.float64


def toy(device, N):
    """y = sin(2πx) + N(0, 0.1²) on x ~ U(0, 1): noise floor MSE 0.01."""
    X = torch.rand(N, 1, dtype=F64, device=device)
    y = torch.sin(2 * math.pi * X[:, 0]) + 0.1 * torch.randn(N, dtype=F64, device=device)
    return X, y


def test_stump_on_a_step_by_hand(device):
    # Targets (1, 1, 1, 5, 5): the best cut is between x = 3 and x = 4,
    # with leaf means 1 and 5 and zero error.
    X = torch.tensor([[1.0], [2.0], [3.0], [4.0], [5.0]], dtype=F64, device=device)
    r = torch.tensor([1.0, 1.0, 1.0, 5.0, 5.0], dtype=F64, device=device)
    assert fit_regression_tree(X, r, max_depth=1) == ("split", 0, 3.5, ("leaf", 1.0), ("leaf", 5.0))


def test_tree_split_minimises_squared_error(device):
    # Brute force over every threshold of every feature.
    X = torch.randn(30, 3, dtype=F64, device=device)
    r = torch.randn(30, dtype=F64, device=device)
    _, d, t, _, _ = fit_regression_tree(X, r, max_depth=1)

    def sse(mask):
        return (r[mask] - r[mask].mean()).square().sum() if mask.any() else 0.0

    best = min(
        sse(X[:, j] <= v) + sse(X[:, j] > v) for j in range(3) for v in X[:, j].tolist()[:-1]
    )
    got = sse(X[:, d] <= t) + sse(X[:, d] > t)
    assert got <= best + 1e-12


def test_each_round_fits_the_negative_gradient(device):
    X, y = toy(device, 64)
    lr = 0.3
    f0, trees, history = gradient_boost(X, y, n_rounds=10, lr=lr, max_depth=2)
    F = torch.full_like(y, f0, requires_grad=True)
    for tree, (target, _) in zip(trees, history, strict=True):
        # Autograd of the loss ½Σ(y − F)² at the current F.
        (grad,) = torch.autograd.grad(0.5 * (y - F).square().sum(), F)
        torch.testing.assert_close(target, -grad, atol=1e-12, rtol=0)
        F = (F + lr * predict_tree(tree, X)).detach().requires_grad_(True)
    torch.testing.assert_close(F.detach(), predict_boosted(f0, trees, X, lr), atol=1e-12, rtol=0)


def test_training_mse_decreases_every_round(device):
    X, y = toy(device, 200)
    f0, _, history = gradient_boost(X, y, n_rounds=50, lr=0.1, max_depth=2)
    mse = [(y - f0).square().mean().item()] + [m for _, m in history]
    # Leaf values are residual means, so each round removes (2ν − ν²) times
    # the fitted sum of squares: never an increase.
    for before, after in itertools.pairwise(mse):
        assert after < before
    assert mse[-1] < 0.1 * mse[0]


def test_test_mse_on_toy_regression(device):
    X, y = toy(device, 200)
    X_test, y_test = toy(device, 500)
    f0, trees, _ = gradient_boost(X, y, n_rounds=100, lr=0.1, max_depth=2)
    test_mse = (predict_boosted(f0, trees, X_test, 0.1) - y_test).square().mean().item()
    # Noise floor is 0.01; the constant predictor scores about 0.51.
    assert test_mse < 0.02
