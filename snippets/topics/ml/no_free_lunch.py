"""No free lunch, checked exhaustively: averaged over every boolean target
function, every learner scores exactly 50% off the training set."""

import itertools

import torch


# --8<-- [start:setup]
def boolean_cube(d, device=None):
    """All 2^d points of {0, 1}^d as rows: (2^d, d)."""
    rows = list(itertools.product((0, 1), repeat=d))
    return torch.tensor(rows, device=device)


def all_functions(n, device=None):
    """Every labelling of n points: (2^n, n), one target per row."""
    return boolean_cube(n, device=device)


# --8<-- [end:setup]


# --8<-- [start:learners]
def majority(X_tr, Y_tr, X_te):
    """Predict the training majority (ties -> 1). Y_tr: (F, n) -> (F, m)."""
    vote = (2 * Y_tr.sum(1) >= Y_tr.size(1)).long()  # (F,)
    return vote[:, None].expand(-1, X_te.size(0))


def nearest_neighbour(X_tr, Y_tr, X_te):
    """1-NN in Hamming distance; ties go to the lowest training index."""
    dist = (X_te[:, None, :] != X_tr[None, :, :]).sum(-1)  # (m, n)
    nearest = dist.argmin(dim=1)  # first minimum: lowest index
    return Y_tr[:, nearest]  # (F, m)


def anti_nearest_neighbour(X_tr, Y_tr, X_te):
    """The opposite of 1-NN's guess: a deliberately perverse learner."""
    return 1 - nearest_neighbour(X_tr, Y_tr, X_te)


def off_training_set_correct(learner, X, train_idx, targets):
    """Correct predictions on the points outside train_idx, per target.

    Integer counts (F,), so that averages can be checked exactly.
    """
    test_mask = torch.ones(X.size(0), dtype=torch.bool, device=X.device)
    test_mask[train_idx] = False
    pred = learner(X[train_idx], targets[:, train_idx], X[test_mask])
    return (pred == targets[:, test_mask]).sum(1)


# --8<-- [end:learners]
