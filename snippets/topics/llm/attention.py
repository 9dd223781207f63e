"""Scaled dot-product attention with causal and key-padding masks."""

import math

import torch

from snippets.topics.llm.causal_attention import causal_mask


# --8<-- [start:attention]
def attention(q, k, v, causal=False, key_padding_mask=None):
    """softmax(q kᵀ / √d_head) v, with optional masks.

    q: (B, nh, Tq, hs); k, v: (B, nh, Tk, hs).
    causal: query i sees keys j <= i + (Tk - Tq), so the last query
        sees every key (the alignment a KV cache needs).
    key_padding_mask: (B, Tk) bool, True where the key is padding.
    Returns out (B, nh, Tq, hs) and weights (B, nh, Tq, Tk); a query
    that may see no key gets zero weights and a zero output, not NaN.
    """
    Tq, Tk = q.size(-2), k.size(-2)
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))  # (B,nh,Tq,Tk)

    allowed = torch.ones(Tq, Tk, dtype=torch.bool, device=q.device)
    if causal:
        allowed = causal_mask(Tq, Tk, device=q.device)
    if key_padding_mask is not None:
        allowed = allowed & ~key_padding_mask[:, None, None, :]

    # A row with no allowed key would be softmax(-inf, ..., -inf) = NaN,
    # and its NaN gradient would leak into q and k: give it finite
    # scores, then zero its weights.
    has_key = allowed.any(dim=-1, keepdim=True)
    scores = scores.masked_fill(~allowed, float("-inf"))
    scores = scores.masked_fill(~has_key, 0.0)
    weights = torch.softmax(scores, dim=-1) * has_key
    return weights @ v, weights


# --8<-- [end:attention]
