import itertools

import torch

from snippets.topics.ml.no_free_lunch import (
    all_functions,
    anti_nearest_neighbour,
    boolean_cube,
    majority,
    nearest_neighbour,
    off_training_set_correct,
)

LEARNERS = (majority, nearest_neighbour, anti_nearest_neighbour)


def test_every_learner_averages_exactly_half_over_all_targets(device):
    X = boolean_cube(3, device=device)  # 8 points
    targets = all_functions(8, device=device)  # all 256 boolean functions
    assert targets.shape == (256, 8) and targets.unique(dim=0).size(0) == 256
    # Every training set of size 2, 4 and 6 (28 + 70 + 28 of them).
    for size in (2, 4, 6):
        for train in itertools.combinations(range(8), size):
            idx = torch.tensor(train, device=device)
            for learner in LEARNERS:
                correct = off_training_set_correct(learner, X, idx, targets)
                # Exactly half of the 256 × (8 − size) predictions are
                # right: among the targets that agree on the training set,
                # each test label is 0 for half and 1 for the other half.
                total = correct.sum().item()
                assert 2 * total == 256 * (8 - size), (train, learner)


def test_learners_differ_on_individual_targets(device):
    X = boolean_cube(3, device=device)
    targets = all_functions(8, device=device)
    idx = torch.tensor([0, 3, 5, 6], device=device)
    nn_acc = off_training_set_correct(nearest_neighbour, X, idx, targets)
    anti = off_training_set_correct(anti_nearest_neighbour, X, idx, targets)
    # The two are exact mirror images on every target (4 test points) ...
    assert ((nn_acc + anti) == 4).all()
    # ... so wherever one is perfect, the other is always wrong: 16 targets
    # each (the 2⁴ labellings of the training points).
    assert (nn_acc == 4).sum().item() == (anti == 4).sum().item() == 16


def test_a_prior_over_targets_breaks_the_tie(device):
    # Targets that depend only on the first bit (a "simple" world):
    # x ↦ x₀ and x ↦ 1 − x₀. Nearest neighbour now wins, its mirror loses.
    X = boolean_cube(3, device=device)
    simple = torch.stack([X[:, 0], 1 - X[:, 0]])  # (2, 8)
    # Train on 000, 001, 100, 101; every test point's nearest training
    # point differs only in x₁, so it shares x₀.
    idx = torch.tensor([0, 1, 4, 5], device=device)
    nn_acc = off_training_set_correct(nearest_neighbour, X, idx, simple)
    anti = off_training_set_correct(anti_nearest_neighbour, X, idx, simple)
    assert nn_acc.tolist() == [4, 4] and anti.tolist() == [0, 0]
