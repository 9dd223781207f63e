import math

import torch

from snippets.rounds.debug_flat_validation import (
    buggy_accuracy,
    fit,
    fixed_accuracy,
    make_split,
)

K = 4
CHANCE = 1 / K


def five_standard_errors(n, p=CHANCE):
    # Matching n shuffled predictions to labels is a draw without
    # replacement: its variance is at most the binomial p(1 - p) / n.
    return 5 * math.sqrt(p * (1 - p) / n)


def test_buggy_validation_is_at_chance_while_training_improves(device):
    model, train_loss, val_acc = fit(buggy_accuracy, device=device)
    assert train_loss[-1] < train_loss[0] / 2  # 1.16 -> 0.38 on the CPU
    tol = five_standard_errors(2000)  # 0.048
    assert all(abs(a - CHANCE) < tol for a in val_acc), val_acc
    # The cheapest check: training data through the validation code path.
    (x, y), _ = make_split(device=device)
    assert abs(buggy_accuracy(model, x, y) - CHANCE) < five_standard_errors(512)
    assert fixed_accuracy(model, x, y) > 0.85  # the model did learn


def test_fixed_validation_improves_with_training(device):
    _, train_loss, val_acc = fit(fixed_accuracy, device=device)
    assert train_loss[-1] < train_loss[0] / 2
    assert val_acc[-1] > 0.85  # 0.90 on the CPU; chance is 0.25
    assert val_acc[-1] > val_acc[0] + 0.3
    assert val_acc[-1] >= val_acc[1] - five_standard_errors(2000, 0.8)


def test_both_agree_when_the_order_is_not_shuffled(device):
    # With batch_size >= N and the identity permutation the two paths see the
    # same pairs, so they must return the same number.
    (x, y), _ = make_split(device=device)
    model = torch.nn.Linear(8, K).to(device)
    preds = model(x).argmax(-1)
    expected = (preds == y).float().mean().item()
    torch.manual_seed(0)
    fixed = fixed_accuracy(model, x, y)
    assert abs(fixed - expected) < 1e-12
    # The buggy path is right only on the pairs the shuffle happens to keep.
    torch.manual_seed(0)
    order = torch.randperm(len(x), device=device)
    torch.manual_seed(0)
    buggy = buggy_accuracy(model, x, y)
    assert abs(buggy - (preds[order] == y).float().mean().item()) < 1e-6
