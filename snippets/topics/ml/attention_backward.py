"""Backward pass of scaled dot-product attention, written by hand."""

import math

import torch

from snippets.topics.llm.attention import attention
from snippets.topics.ml.softmax_backward import softmax_backward


# --8<-- [start:backward]
def attention_backward(dout, q, k, v, weights):
    """Gradients of out = softmax(q kᵀ / √hs) v with respect to q, k, v.

    dout: dL/dout (B, nh, Tq, hs); q: (B, nh, Tq, hs); k, v: (B, nh, Tk, hs).
    weights: the softmax output P saved by the forward (B, nh, Tq, Tk).
    Masked positions have P = 0, so their score gradient is 0 as well:
    the same code serves causal, padded and unmasked attention.
    """
    scale = 1.0 / math.sqrt(q.size(-1))
    dv = weights.transpose(-2, -1) @ dout  # (B, nh, Tk, hs)
    dweights = dout @ v.transpose(-2, -1)  # (B, nh, Tq, Tk)
    dscores = softmax_backward(weights, dweights)  # (B, nh, Tq, Tk)
    dq = dscores @ k * scale  # (B, nh, Tq, hs)
    dk = dscores.transpose(-2, -1) @ q * scale  # (B, nh, Tk, hs)
    return dq, dk, dv


class Attention(torch.autograd.Function):
    """attention(q, k, v, causal) with the hand-written backward."""

    @staticmethod
    def forward(ctx, q, k, v, causal=False):
        out, weights = attention(q, k, v, causal=causal)
        ctx.save_for_backward(q, k, v, weights)
        return out

    @staticmethod
    def backward(ctx, dout):
        dq, dk, dv = attention_backward(dout, *ctx.saved_tensors)
        return dq, dk, dv, None  # no gradient for the `causal` flag


# --8<-- [end:backward]
