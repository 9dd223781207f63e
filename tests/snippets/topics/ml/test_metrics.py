import math

import pytest
import torch

from snippets.topics.ml.metrics import (
    average_precision,
    confusion_matrix,
    precision_recall_f1,
    roc_auc,
    roc_curve,
    tpr_at_fpr,
)

F64 = torch.float64


def t(values, device, dtype=F64):
    return torch.tensor(values, dtype=dtype, device=device)


def rank_statistic(scores, labels):
    """Mann–Whitney U / (n⁺ n⁻) over all pairs, ties counting ½."""
    pos, neg = scores[labels == 1], scores[labels == 0]
    diff = pos[:, None] - neg[None, :]
    return ((diff > 0).double() + 0.5 * (diff == 0).double()).mean()


def test_confusion_matrix_and_binary_prf_by_hand(device):
    # TP = 3, FN = 1, FP = 2, TN = 4.
    y_true = t([1, 1, 1, 1, 0, 0, 0, 0, 0, 0], device, torch.long)
    y_pred = t([1, 1, 1, 0, 1, 1, 0, 0, 0, 0], device, torch.long)
    C = confusion_matrix(y_true, y_pred, 2)
    assert C.tolist() == [[4, 2], [1, 3]]
    p, r, f1 = precision_recall_f1(C)
    torch.testing.assert_close(p[1], t(3 / 5, device)[()])
    torch.testing.assert_close(r[1], t(3 / 4, device)[()])
    torch.testing.assert_close(f1[1], t(2 * 3 / (2 * 3 + 2 + 1), device)[()])  # 2TP/(2TP+FP+FN)
    torch.testing.assert_close(p[0], t(4 / 5, device)[()])
    torch.testing.assert_close(r[0], t(4 / 6, device)[()])


def test_multiclass_and_zero_division(device):
    y_true = t([0, 0, 1, 1, 2, 2], device, torch.long)
    y_pred = t([0, 1, 1, 1, 0, 0], device, torch.long)  # class 2 never predicted
    C = confusion_matrix(y_true, y_pred, 3)
    assert C.tolist() == [[1, 1, 0], [0, 2, 0], [2, 0, 0]]
    p, r, f1 = precision_recall_f1(C)
    torch.testing.assert_close(p, t([1 / 3, 2 / 3, 0.0], device))
    torch.testing.assert_close(r, t([1 / 2, 1.0, 0.0], device))
    torch.testing.assert_close(f1, t([0.4, 0.8, 0.0], device))
    assert C.sum() == 6 and C.diagonal().sum() == 3  # accuracy 1/2


def test_roc_curve_with_ties_by_hand(device):
    # Scores 0.8 tie a positive with a negative: one diagonal step.
    s = t([0.9, 0.8, 0.8, 0.3], device)
    y = t([1, 1, 0, 0], device, torch.long)
    fpr, tpr, thr = roc_curve(s, y)
    torch.testing.assert_close(fpr, t([0.0, 0.0, 0.5, 1.0], device))
    torch.testing.assert_close(tpr, t([0.0, 0.5, 1.0, 1.0], device))
    torch.testing.assert_close(thr, t([0.9, 0.8, 0.3], device))
    # Pairs: (0.9 > 0.8), (0.9 > 0.3), (0.8 = 0.8) → ½, (0.8 > 0.3): 3.5 / 4.
    torch.testing.assert_close(roc_auc(s, y), t(3.5 / 4, device)[()])


def test_average_precision_by_hand(device):
    # Ranking + − + + − −, 3 positives: precision at each hit is 1, 2/3, 3/4.
    s = t([0.9, 0.8, 0.7, 0.6, 0.5, 0.4], device)
    y = t([1, 0, 1, 1, 0, 0], device, torch.long)
    expected = (1 + 2 / 3 + 3 / 4) / 3
    torch.testing.assert_close(average_precision(s, y), t(expected, device)[()])
    torch.testing.assert_close(roc_auc(s, y), t(7 / 9, device)[()])
    # A tie group enters at once: 0.8 holds one positive and one negative,
    # so recall goes 1/2 → 1 with precision 2/3 there: AP = ½·1 + ½·⅔.
    s2 = t([0.9, 0.8, 0.8, 0.3], device)
    y2 = t([1, 1, 0, 0], device, torch.long)
    torch.testing.assert_close(average_precision(s2, y2), t(0.5 + 0.5 * 2 / 3, device)[()])


def test_ties_do_not_depend_on_input_order(device):
    s = t([0.5, 0.5, 0.5, 0.2, 0.9, 0.5], device)
    y = t([0, 1, 0, 1, 1, 1], device, torch.long)
    perm = torch.randperm(6, device=device)
    torch.testing.assert_close(roc_auc(s, y), roc_auc(s[perm], y[perm]))
    torch.testing.assert_close(average_precision(s, y), average_precision(s[perm], y[perm]))


@pytest.mark.parametrize("decimals", [None, 1])
def test_auc_equals_mann_whitney_rank_statistic(decimals, device):
    # Overlapping score distributions; rounding to 1 decimal makes many ties.
    y = (torch.rand(300, device=device) < 0.4).long()
    s = torch.randn(300, dtype=F64, device=device) + 0.8 * y
    if decimals is not None:
        s = torch.round(s, decimals=decimals)
        assert s.unique().numel() < 80  # plenty of ties
    torch.testing.assert_close(roc_auc(s, y), rank_statistic(s, y), atol=1e-12, rtol=0)


def test_perfect_and_random_classifiers(device):
    y = (torch.rand(4000, device=device) < 0.5).long()
    perfect = y.double() + 0.1 * torch.rand(4000, dtype=F64, device=device)
    assert roc_auc(perfect, y).item() == 1.0
    assert average_precision(perfect, y).item() == 1.0
    assert tpr_at_fpr(perfect, y, 0.0)[0].item() == 1.0
    # Scores independent of labels: under H0, sd(AUC) = √((n⁺+n⁻+1)/(12 n⁺ n⁻))
    # ≈ 0.009 here; 5 standard deviations is ≈ 0.046.
    noise = torch.rand(4000, dtype=F64, device=device)
    n_pos, n_neg = int(y.sum()), int((1 - y).sum())
    sd = math.sqrt((n_pos + n_neg + 1) / (12 * n_pos * n_neg))
    assert abs(roc_auc(noise, y).item() - 0.5) < 5 * sd
    # A random ranking's AP is about the positive rate.
    assert abs(average_precision(noise, y).item() - n_pos / 4000) < 0.05


def test_tpr_at_fpr_by_hand(device):
    # 10 negatives 0.0 .. 0.9 and 5 positives.
    neg = torch.arange(10, dtype=F64, device=device) / 10
    pos = t([0.95, 0.85, 0.75, 0.55, 0.05], device)
    s = torch.cat([neg, pos])
    y = torch.cat([torch.zeros(10, device=device), torch.ones(5, device=device)]).long()
    # FPR ≤ 10 %: 1 negative may be flagged, t = 0.8 (2nd highest), flag > 0.8.
    tpr, thr = tpr_at_fpr(s, y, 0.1)
    assert thr.item() == pytest.approx(0.8)
    torch.testing.assert_close(tpr, t(2 / 5, device)[()])  # 0.95, 0.85
    # FPR ≤ 5 %: no negative may be flagged, t = 0.9: only 0.95.
    torch.testing.assert_close(tpr_at_fpr(s, y, 0.05)[0], t(1 / 5, device)[()])
    # FPR ≤ 50 %: t = 0.4, so 0.95, 0.85, 0.75, 0.55 pass.
    torch.testing.assert_close(tpr_at_fpr(s, y, 0.5)[0], t(4 / 5, device)[()])
    torch.testing.assert_close(tpr_at_fpr(s, y, 1.0)[0], t(1.0, device)[()])


def test_tpr_at_fpr_with_ties_stays_within_budget(device):
    # Three negatives tie at 0.7. The budget is two false positives; 0.9
    # uses one, and flagging the tie would make four, so none at 0.7 is.
    s = t([0.9, 0.7, 0.7, 0.7, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.8, 0.7, 0.2], device)
    y = t([0] * 10 + [1] * 3, device, torch.long)
    tpr, thr = tpr_at_fpr(s, y, 0.2)  # m = 2 → t = 3rd highest negative = 0.7
    assert thr.item() == pytest.approx(0.7)
    torch.testing.assert_close(tpr, t(1 / 3, device)[()])  # only 0.8; the positive at 0.7 ties
    flagged_neg = (s[y == 0] > thr).double().mean()
    assert flagged_neg.item() == pytest.approx(0.1) and flagged_neg.item() <= 0.2


def test_tpr_at_fpr_is_best_roc_point_within_budget(device):
    y = (torch.rand(500, device=device) < 0.3).long()
    s = torch.round(torch.randn(500, dtype=F64, device=device) + 1.0 * y, decimals=1)
    fpr, tpr, _ = roc_curve(s, y)
    for alpha in (0.01, 0.05, 0.1, 0.3):
        best = tpr[fpr <= alpha + 1e-12].max()
        torch.testing.assert_close(tpr_at_fpr(s, y, alpha)[0], best, atol=1e-12, rtol=0)
