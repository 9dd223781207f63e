"""Bias–variance decomposition of polynomial regression, by simulation."""

import math

import torch


# --8<-- [start:simulate]
def true_function(x):
    return torch.sin(math.pi * x)


def fit_predict(x_train, y_train, x_test, degree):
    """Least-squares polynomial fits, one per training set.

    x_train, y_train: (R, n) for R training sets of n points;
    x_test: (J,). Returns predictions (R, J).
    """
    powers = torch.arange(degree + 1, device=x_test.device)
    Phi = x_train[..., None] ** powers  # (R, n, degree + 1)
    w = torch.linalg.lstsq(Phi, y_train[..., None]).solution  # (R, d+1, 1)
    return (x_test[:, None] ** powers @ w).squeeze(-1)  # (R, J)


def decompose(pred, y_test):
    """Exact sample version of  E[(y − ŷ)²] = bias² + variance + noise.

    pred: (R, J), fits from R training sets at J test points;
    y_test: (M, J), M fresh noisy labels at each test point.
    The test error averages (y − ŷ)² over all R·M pairs at each point.
    The mean label ȳ stands in for f(x), the mean prediction ŷ̄ for
    E[ŷ]; every cross term then averages to exactly 0.
    Returns (error, bias², variance, noise), each averaged over J.
    """
    y_bar, pred_bar = y_test.mean(0), pred.mean(0)  # (J,), (J,)
    error = (y_test[None] - pred[:, None]).square().mean((0, 1))  # (J,)
    bias2 = (y_bar - pred_bar).square()
    variance = pred.var(0, correction=0)
    noise = y_test.var(0, correction=0)
    return tuple(q.mean() for q in (error, bias2, variance, noise))


def simulate(degrees, R=200, n=30, M=200, J=50, sigma=0.3, device=None):
    """Fit every degree on the same R noisy training sets of n points
    drawn uniformly on [−1, 1]; test at J fixed points against M fresh
    labels each. Returns {degree: (error, bias², variance, noise)}."""
    kw = dict(dtype=torch.float64, device=device)
    x_train = 2 * torch.rand(R, n, **kw) - 1
    y_train = true_function(x_train) + sigma * torch.randn(R, n, **kw)
    x_test = torch.linspace(-1, 1, J, **kw)
    y_test = true_function(x_test) + sigma * torch.randn(M, J, **kw)
    return {
        d: decompose(fit_predict(x_train, y_train, x_test, d), y_test)
        for d in degrees
    }


# --8<-- [end:simulate]
