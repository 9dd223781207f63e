"""Causal masks for autoregressive attention: boolean and additive forms."""

import torch


# --8<-- [start:mask]
def causal_mask(Tq, Tk, device=None):
    """allowed[i, j] = j <= i + (Tk - Tq): (Tq, Tk) bool, True = may attend.

    Bottom-right aligned: the Tq queries are the last Tq of the Tk
    positions, so the last query sees every key (what a KV cache needs).
    With Tq == Tk this is the lower triangle, diagonal included.
    """
    i = torch.arange(Tq, device=device)[:, None]  # (Tq, 1) query index
    j = torch.arange(Tk, device=device)[None, :]  # (1, Tk) key index
    return j <= i + (Tk - Tq)  # (Tq, Tk)


def additive_causal_mask(Tq, Tk, device=None, dtype=torch.float32):
    """0 where allowed, -inf where blocked: (Tq, Tk), added to the scores.

    exp(-inf) = 0, so a blocked key gets exactly zero weight and the
    softmax still sums to one over the allowed keys.
    """
    allowed = causal_mask(Tq, Tk, device)
    mask = torch.zeros(Tq, Tk, device=device, dtype=dtype)
    return mask.masked_fill(~allowed, float("-inf"))


# --8<-- [end:mask]
