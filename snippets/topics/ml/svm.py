"""Linear SVM trained by sub-gradient descent on the hinge loss."""

import torch


# --8<-- [start:svm]
def svm_objective(X, y, w, b, lam):
    """½λ‖w‖² + mean(max(0, 1 − y(Xw + b))).

    X: (N, D), y: (N,) in {−1, +1}, w: (D,), b: scalar bias (not
    regularised).
    """
    margins = y * (X @ w + b)  # (N,)
    return 0.5 * lam * w.square().sum() + (1 - margins).clamp(min=0).mean()


def svm_subgradient(X, y, w, b, lam):
    """A sub-gradient (g_w (D,), g_b ()). Only points with margin < 1
    contribute; at margin exactly 1 we pick the zero sub-gradient."""
    active = (y * (X @ w + b) < 1).to(X.dtype)  # (N,)
    coef = -(active * y) / X.size(0)  # (N,)
    return lam * w + X.T @ coef, coef.sum()


def fit_svm(X, y, lam=0.01, steps=2000):
    """Sub-gradient descent with step 1/(λt), as in Pegasos.

    The last iterate keeps jittering around the optimum (the hinge has
    a kink there), so we return the average of the second half of the
    iterates; for a strongly convex objective its gap is O(1/(λt)).
    """
    w = torch.zeros(X.size(1), dtype=X.dtype, device=X.device)
    b = torch.zeros((), dtype=X.dtype, device=X.device)
    w_avg, b_avg, n_avg = torch.zeros_like(w), torch.zeros_like(b), 0
    for t in range(1, steps + 1):
        g_w, g_b = svm_subgradient(X, y, w, b, lam)
        eta = 1.0 / (lam * t)
        w, b = w - eta * g_w, b - eta * g_b
        if t > steps // 2:
            n_avg += 1
            w_avg += (w - w_avg) / n_avg
            b_avg += (b - b_avg) / n_avg
    return w_avg, b_avg


# --8<-- [end:svm]
