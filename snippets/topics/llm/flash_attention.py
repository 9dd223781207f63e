"""Tiled ("flash") attention forward pass with the online softmax."""

import math

import torch


# --8<-- [start:online-softmax]
def partial_softmax(s, v):
    """Softmax-weighted sum of v over one block of keys, not yet normalised.

    s: (..., Tq, bk) scores; v: (..., bk, hs).
    Returns the state (m, ell, acc): m (..., Tq, 1) the row maximum,
    ell (..., Tq, 1) = Σ exp(s - m), acc (..., Tq, hs) = exp(s - m) @ v.
    """
    # A row whose keys are all masked in this block has max -inf; clamp
    # it so exp(s - m) is exp(-inf) = 0 instead of exp(nan).
    m = s.amax(dim=-1, keepdim=True).clamp(min=torch.finfo(s.dtype).min)
    p = torch.exp(s - m)  # every entry in [0, 1]: no overflow
    return m, p.sum(dim=-1, keepdim=True), p @ v


def combine(a, b):
    """Merge the states of two disjoint key blocks into one.

    Each state's sums were taken relative to its own maximum; rescale
    both to the common maximum m before adding.
    """
    (m_a, ell_a, acc_a), (m_b, ell_b, acc_b) = a, b
    m = torch.maximum(m_a, m_b)
    alpha, beta = torch.exp(m_a - m), torch.exp(m_b - m)  # both <= 1
    return m, alpha * ell_a + beta * ell_b, alpha * acc_a + beta * acc_b


# --8<-- [end:online-softmax]


# --8<-- [start:flash]
def flash_attention(q, k, v, causal=False, block_q=64, block_k=64):
    """softmax(q kᵀ / √hs) v without ever holding a (Tq, Tk) matrix.

    q: (B, nh, Tq, hs); k, v: (B, nh, Tk, hs). Any block sizes work;
    the last block of a row or column may be shorter. causal aligns
    to the bottom right, as in attention(), and needs Tq <= Tk so that
    every query sees a key. Returns out (B, nh, Tq, hs) and the row
    log-sum-exp (B, nh, Tq), which is all the backward pass keeps.
    """
    Tq, Tk = q.size(-2), k.size(-2)
    assert not causal or Tq <= Tk, "causal: every query must see a key"
    out = torch.empty_like(q)
    lse = q.new_empty(q.shape[:-1])
    for i in range(0, Tq, block_q):
        qi = q[..., i : i + block_q, :] / math.sqrt(q.size(-1))  # (B,nh,bq,hs)
        # Query i + r may see keys up to last[r] (bottom-right causal).
        last = torch.arange(i, i + qi.size(-2), device=q.device) + Tk - Tq
        # Causal: key blocks past the block's last visible key are skipped.
        k_end = min(i + block_q, Tq) + Tk - Tq if causal else Tk
        state = None
        for j in range(0, k_end, block_k):
            kj, vj = k[..., j : j + block_k, :], v[..., j : j + block_k, :]
            s = qi @ kj.transpose(-2, -1)  # (B, nh, bq, bk)
            if causal:
                cols = torch.arange(j, j + s.size(-1), device=q.device)
                s = s.masked_fill(cols > last[:, None], float("-inf"))
            block = partial_softmax(s, vj)
            state = block if state is None else combine(state, block)
        m, ell, acc = state
        out[..., i : i + block_q, :] = acc / ell
        lse[..., i : i + block_q] = (m + ell.log()).squeeze(-1)
    return out, lse


# --8<-- [end:flash]
