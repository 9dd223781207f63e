"""Gradient boosting of small regression trees on the squared loss."""

import torch


# --8<-- [start:tree]
def fit_regression_tree(X, r, max_depth):
    """Least-squares regression tree. X: (N, D), r: (N,) targets.

    Returns a nested tuple: ("leaf", value) or
    ("split", feature, threshold, left, right). A split minimises the
    children's summed squared error, i.e. maximises S_L²/n_L + S_R²/n_R
    where S is the sum of the targets on each side.
    """
    N, D = X.shape
    if max_depth == 0 or N < 2:
        return ("leaf", r.mean().item())
    xs, order = X.sort(dim=0)  # (N, D)
    s_left = r[order].cumsum(dim=0)[:-1]  # (N-1, D)
    s_right = r.sum() - s_left
    n_left = torch.arange(1, N, device=X.device, dtype=r.dtype)[:, None]
    gain = s_left.square() / n_left + s_right.square() / (N - n_left)
    gain = gain.masked_fill(xs[1:] <= xs[:-1], float("-inf"))  # (N-1, D)
    i, d = divmod(gain.argmax().item(), D)
    if gain[i, d].isinf():  # every row has the same x
        return ("leaf", r.mean().item())
    t = ((xs[i, d] + xs[i + 1, d]) / 2).item()
    go_left = X[:, d] <= t
    left = fit_regression_tree(X[go_left], r[go_left], max_depth - 1)
    right = fit_regression_tree(X[~go_left], r[~go_left], max_depth - 1)
    return ("split", d, t, left, right)


def predict_tree(tree, X):
    """Tree output (N,) for X: (N, D)."""
    if tree[0] == "leaf":
        return X.new_full((X.size(0),), tree[1])
    _, d, t, left, right = tree
    go_left = X[:, d] <= t
    return torch.where(go_left, predict_tree(left, X), predict_tree(right, X))


# --8<-- [end:tree]


# --8<-- [start:boosting]
def gradient_boost(X, y, n_rounds=100, lr=0.1, max_depth=2):
    """Fit F(x) = f₀ + ν Σ_m h_m(x) on the loss ½(y − F)².

    X: (N, D), y: (N,). Every round fits a tree h_m to the negative
    gradient −∂L/∂F = y − F (the residuals) and adds it, shrunk by
    ν = lr. Returns (f0, trees, history) where history holds, per round,
    the targets the tree was fitted to and the training MSE after it.
    """
    f0 = y.mean().item()  # the best constant under squared loss
    F = torch.full_like(y, f0)  # (N,)
    trees, history = [], []
    for _ in range(n_rounds):
        residual = y - F  # negative gradient of ½(y − F)²
        tree = fit_regression_tree(X, residual, max_depth)
        F = F + lr * predict_tree(tree, X)
        trees.append(tree)
        history.append((residual, (y - F).square().mean().item()))
    return f0, trees, history


def predict_boosted(f0, trees, X, lr=0.1):
    """Ensemble output (N,) for X: (N, D); lr must match training."""
    out = X.new_full((X.size(0),), f0)
    for tree in trees:
        out = out + lr * predict_tree(tree, X)
    return out


# --8<-- [end:boosting]
