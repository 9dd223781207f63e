"""Classification metrics: confusion matrix, precision/recall/F1, ROC, PR."""

import torch


# --8<-- [start:counts]
def confusion_matrix(y_true, y_pred, num_classes):
    """Counts C (K, K): C[i, j] = #examples of class i predicted as j.

    y_true, y_pred: (N,) integer labels in [0, K).
    """
    idx = y_true * num_classes + y_pred  # (N,) flat cell index
    C = torch.bincount(idx, minlength=num_classes**2)
    return C.view(num_classes, num_classes)


def precision_recall_f1(C):
    """Per-class precision, recall and F1, each (K,), from C (K, K).

    precision_k = C[k,k] / Σ_i C[i,k]  (of those predicted k)
    recall_k    = C[k,k] / Σ_j C[k,j]  (of those truly k)
    F1 = 2PR / (P + R). A 0/0 (class never predicted, or never
    present) is reported as 0, the convention of most libraries.
    For binary labels, index 1 is the positive class.
    """
    C = C.double()
    tp = C.diagonal()
    predicted, actual = C.sum(dim=0), C.sum(dim=1)
    p = torch.where(predicted > 0, tp / predicted.clamp(min=1), 0.0)
    r = torch.where(actual > 0, tp / actual.clamp(min=1), 0.0)
    f1 = torch.where(p + r > 0, 2 * p * r / (p + r).clamp(min=1e-300), 0.0)
    return p, r, f1


# --8<-- [end:counts]


# --8<-- [start:curves]
def _cumulative_counts(scores, labels):
    """TP and FP counts when predicting 'positive' for score ≥ t, for
    every distinct score t in decreasing order. Tied scores enter
    together: one point per distinct score, not one per example."""
    order = torch.argsort(scores, descending=True, stable=True)
    s = scores[order]
    y = labels[order].double()  # (N,) 1 = positive
    tp, fp = y.cumsum(0), (1 - y).cumsum(0)
    last_of_tie = torch.ones_like(s, dtype=torch.bool)
    last_of_tie[:-1] = s[1:] != s[:-1]
    return tp[last_of_tie], fp[last_of_tie], s[last_of_tie]


def roc_curve(scores, labels):
    """FPR, TPR (each starting at 0) and the thresholds, for scores (N,)
    and 0/1 labels (N,). Point i predicts positive when score ≥ t_i."""
    tp, fp, t = _cumulative_counts(scores, labels)
    zero = tp.new_zeros(1)
    tpr = torch.cat([zero, tp / tp[-1]])
    fpr = torch.cat([zero, fp / fp[-1]])
    return fpr, tpr, t


def roc_auc(scores, labels):
    """Area under the ROC curve by the trapezoid rule. A tie group is a
    diagonal segment, so a tied (positive, negative) pair counts ½:
    AUC = P(s⁺ > s⁻) + ½ P(s⁺ = s⁻)."""
    fpr, tpr, _ = roc_curve(scores, labels)
    return torch.trapezoid(tpr, fpr)


def average_precision(scores, labels):
    """AP = Σ_k (R_k − R_{k−1}) P_k over the distinct thresholds: the
    area under the step-wise precision–recall curve, no interpolation."""
    tp, fp, _ = _cumulative_counts(scores, labels)
    precision = tp / (tp + fp)
    recall = tp / tp[-1]
    recall_step = torch.diff(recall, prepend=recall.new_zeros(1))
    return (recall_step * precision).sum()


# --8<-- [end:curves]


# --8<-- [start:tpr_at_fpr]
def tpr_at_fpr(scores, labels, max_fpr):
    """Best TPR whose FPR is at most max_fpr, e.g. TPR@FPR=1%.

    The threshold is set on the negatives alone: with n⁻ negatives we
    may flag m = ⌊max_fpr·n⁻⌋ of them, so t is the (m+1)-th highest
    negative score and we predict positive when score > t. Negatives
    tied at t are not flagged, so ties can only lower the FPR, never
    push it over the budget; positives tied at t are missed too.
    Returns (tpr, threshold).
    """
    neg = scores[labels == 0].sort(descending=True).values
    m = int(max_fpr * neg.numel() + 1e-9)  # 0.29·100 is 28.999… in floats
    if m >= neg.numel():
        t = torch.tensor(float("-inf"), device=scores.device)
    else:
        t = neg[m]
    pos = scores[labels == 1]
    return (pos > t).double().mean(), t


# --8<-- [end:tpr_at_fpr]
