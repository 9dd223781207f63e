"""CART classification tree: greedy Gini splits up to a maximum depth."""

from dataclasses import dataclass

import torch
import torch.nn.functional as F


# --8<-- [start:split]
def gini(counts):
    """Gini impurity 1 − Σ p_c² from class counts (..., C) -> (...)."""
    n = counts.sum(-1, keepdim=True)
    p = counts / n.clamp(min=1)
    return 1 - p.square().sum(-1)


def best_split(X, y, n_classes):
    """Best threshold split of X: (N, D), y: (N,) class ids.

    Tries every midpoint between consecutive distinct values of every
    feature and minimises the size-weighted Gini of the two children.
    Returns (feature, threshold, weighted_gini), or None if all rows
    are identical. Ties go to the smaller position, then feature.
    """
    N, D = X.shape
    xs, order = X.sort(dim=0)  # (N, D), sorted per feature
    onehot = F.one_hot(y, n_classes).to(X.dtype)  # (N, C)
    left = onehot[order].cumsum(dim=0)[:-1]  # (N-1, D, C): first i+1 rows
    right = onehot.sum(0) - left  # (N-1, D, C)
    n_left = torch.arange(1, N, device=X.device, dtype=X.dtype)[:, None]
    score = (n_left * gini(left) + (N - n_left) * gini(right)) / N
    valid = xs[1:] > xs[:-1]  # no threshold between equal values
    score = score.masked_fill(~valid, float("inf"))  # (N-1, D)
    i, d = divmod(score.argmin().item(), D)
    if not valid[i, d]:
        return None
    threshold = (xs[i, d] + xs[i + 1, d]) / 2
    return d, threshold.item(), score[i, d].item()


# --8<-- [end:split]


# --8<-- [start:tree]
@dataclass
class Node:
    prediction: int  # majority class of the training rows that reach it
    feature: int = -1  # -1 marks a leaf
    threshold: float = 0.0
    left: "Node | None" = None  # rows with x[feature] <= threshold
    right: "Node | None" = None


def build_tree(X, y, n_classes, max_depth):
    """Grow greedily; stop at max_depth, on a pure node, or when no split
    exists. A split is taken even when it does not lower the Gini (XOR
    needs one such split at the root)."""
    counts = torch.bincount(y, minlength=n_classes)
    node = Node(prediction=counts.argmax().item())
    if max_depth == 0 or (counts > 0).sum() == 1:
        return node
    split = best_split(X, y, n_classes)
    if split is None:
        return node
    node.feature, node.threshold, _ = split
    go_left = X[:, node.feature] <= node.threshold
    node.left = build_tree(X[go_left], y[go_left], n_classes, max_depth - 1)
    node.right = build_tree(X[~go_left], y[~go_left], n_classes, max_depth - 1)
    return node


def predict(node, X):
    """Class ids (N,) for X: (N, D), routing all rows level by level."""
    if node.feature < 0:
        return torch.full((X.size(0),), node.prediction, device=X.device)
    go_left = X[:, node.feature] <= node.threshold
    out = torch.empty(X.size(0), dtype=torch.long, device=X.device)
    out[go_left] = predict(node.left, X[go_left])
    out[~go_left] = predict(node.right, X[~go_left])
    return out


# --8<-- [end:tree]
