"""Focal loss for rare positives (project A: fall detection on a watch).

Cross-entropy spends most of its gradient on the many easy negatives.
The focal term (1 - p_y)^gamma shrinks the loss of confident, correct
examples; alpha re-weights the classes.
"""

import torch
import torch.nn.functional as F


# --8<-- [start:focal]
def focal_loss(logits, y, gamma=2.0, alpha=None):
    """Mean of -alpha_y (1 - p_y)^gamma log p_y over the batch.

    logits: (N, K) raw scores; y: (N,) class indices; alpha: None or a
    (K,) tensor of class weights. gamma = 0 and alpha = None give
    exactly the cross-entropy.
    """
    log_p = F.log_softmax(logits, dim=-1)  # (N, K)
    log_py = log_p.gather(1, y[:, None]).squeeze(1)  # (N,)
    # (1 - p)^gamma from log p: no cancellation when p is near 1.
    weight = (-torch.expm1(log_py)).pow(gamma)  # (N,)
    loss = -weight * log_py
    if alpha is not None:
        loss = alpha[y] * loss
    return loss.mean()


def easy_example_discount(p, gamma=2.0):
    """How many times smaller the focal loss is than the cross-entropy
    for an example whose true class has probability p: 1 / (1 - p)^gamma.
    """
    return 1.0 / (1.0 - p) ** gamma


# --8<-- [end:focal]
