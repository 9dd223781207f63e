import math

import pytest
import torch

from snippets.topics.ml.decision_tree import best_split, build_tree, gini, predict


@pytest.mark.parametrize(
    "counts, expected",
    [
        ([4, 0], 0.0),  # pure
        ([2, 2], 0.5),  # 1 − (¼ + ¼)
        ([3, 1], 0.375),  # 1 − (9 + 1)/16
        ([1, 1, 1], 2 / 3),  # 1 − 3/9, the maximum for 3 classes
        ([2, 1, 1], 0.625),  # 1 − (4 + 1 + 1)/16
    ],
)
def test_gini_by_hand(counts, expected, device):
    value = gini(torch.tensor(counts, dtype=torch.float64, device=device))
    assert math.isclose(value.item(), expected, abs_tol=1e-15)


def hand_dataset(device):
    # Feature 0 sorted labels 0 0 0 1 1 0. Weighted Gini of each threshold:
    #   1.5: 5/6·(1 − (9+4)/25)            = 0.4
    #   2.5: 4/6·0.5                       = 1/3
    #   3.5: 3/6·(1 − (4+1)/9)             = 2/9  <- best
    #   4.5: 4/6·0.375 + 2/6·0.5           = 5/12
    #   5.5: 5/6·0.48                      = 0.4
    # Feature 1 is (10, 20, 10, 20, 10, 20): threshold 15 puts {0,0,1} on
    # both sides, 6/6·(4/9) = 4/9.
    X = torch.tensor(
        [[1, 10], [2, 20], [3, 10], [4, 20], [5, 10], [6, 20]],
        dtype=torch.float64,
        device=device,
    )
    y = torch.tensor([0, 0, 0, 1, 1, 0], device=device)
    return X, y


def test_best_split_is_the_hand_computed_one(device):
    X, y = hand_dataset(device)
    feature, threshold, score = best_split(X, y, n_classes=2)
    assert (feature, threshold) == (0, 3.5)
    assert math.isclose(score, 2 / 9, rel_tol=1e-12)
    # The winner also beats every split of feature 1 alone (4/9).
    _, t1, s1 = best_split(X[:, 1:], y, n_classes=2)
    assert (t1, pytest.approx(s1, rel=1e-12)) == (15.0, 4 / 9)


def xor_data(device):
    # XOR on the corners of the unit square, repeated 3, 2, 2, 1 times.
    # Only x = 0.5 thresholds exist, and the root split leaves children
    # [3, 2] and [1, 2] (label counts), whichever feature it picks.
    corners = torch.tensor([[0, 0], [0, 1], [1, 0], [1, 1]], device=device)
    reps = torch.tensor([3, 2, 2, 1], device=device)
    X = corners.repeat_interleave(reps, dim=0).float()  # (8, 2)
    y = X[:, 0].ne(X[:, 1]).long()  # (8,)
    return X, y


def test_depth_two_fits_xor_and_depth_one_cannot(device):
    X, y = xor_data(device)
    deep = build_tree(X, y, n_classes=2, max_depth=2)
    assert torch.equal(predict(deep, X), y)
    # A stump predicts the majority of [3, 2] and of [1, 2]: 5 of 8 right.
    stump = build_tree(X, y, n_classes=2, max_depth=1)
    assert stump.threshold == 0.5
    assert (predict(stump, X) == y).sum().item() == 5


def test_max_depth_and_pure_nodes_stop_growth(device):
    X, y = hand_dataset(device)
    assert build_tree(X, y, 2, max_depth=0).feature == -1
    pure = build_tree(X, torch.zeros_like(y), 2, max_depth=5)
    assert pure.feature == -1 and pure.prediction == 0


def test_tree_fits_distinct_points_exactly(device):
    # With no depth limit, distinct inputs are fitted perfectly.
    X = torch.randn(40, 3, device=device)
    y = torch.randint(0, 3, (40,), device=device)
    tree = build_tree(X, y, n_classes=3, max_depth=40)
    assert torch.equal(predict(tree, X), y)
