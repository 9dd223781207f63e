"""Relative position in attention: ALiBi, T5 buckets, Shaw et al."""

import math

import torch


# --8<-- [start:alibi]
def alibi_slopes(n_heads):
    """Slope of head h = 1..n_heads: 2^(-8h / n_heads), a geometric series.

    Returns (n_heads,). For 8 heads: 1/2, 1/4, ..., 1/256.
    """
    h = torch.arange(1, n_heads + 1, dtype=torch.float64)
    return 2.0 ** (-8.0 * h / n_heads)


def alibi_bias(n_heads, Tq, Tk, device=None, dtype=torch.float32):
    """-slope_h · (distance from query i back to key j): (nh, Tq, Tk).

    Queries are the last Tq of Tk positions, as with a KV cache. Keys in
    the future get a positive distance here; the causal mask hides them.
    """
    i = torch.arange(Tk - Tq, Tk, device=device)[:, None]  # query positions
    j = torch.arange(Tk, device=device)[None, :]  # key positions
    offset = (j - i).to(torch.float64)  # (Tq, Tk), <= 0 in the past
    slopes = alibi_slopes(n_heads).to(device)[:, None, None]
    return (slopes * offset).to(dtype)  # -slope · distance, (nh, Tq, Tk)


# --8<-- [end:alibi]


# --8<-- [start:t5]
def t5_bucket(rel, n_buckets=32, max_distance=128, bidirectional=True):
    """Map relative positions rel = key - query to bucket ids (same shape).

    Half the buckets are exact (|rel| < n/2), the other half grow
    logarithmically up to max_distance; anything farther shares the last
    bucket. Bidirectional: keys after the query use buckets n .. 2n - 1.
    """
    n = n_buckets // 2 if bidirectional else n_buckets
    offset = torch.zeros_like(rel)
    if bidirectional:
        offset = (rel > 0).long() * n
        dist = rel.abs()
    else:
        dist = (-rel).clamp(min=0)  # causal: only keys in the past
    exact = n // 2
    # log(dist / exact) / log(max_distance / exact) in [0, 1) below max.
    frac = torch.log(dist.double().clamp(min=1) / exact)
    frac = frac / math.log(max_distance / exact)
    log_bucket = exact + (frac * (n - exact)).floor().long()
    log_bucket = log_bucket.clamp(max=n - 1)
    return offset + torch.where(dist < exact, dist, log_bucket)


# --8<-- [end:t5]


# --8<-- [start:shaw]
def shaw_scores(q, k, rel_k, max_rel):
    """Shaw et al.: score_ij = q_i · (k_j + a_clip(j - i)) / √hs.

    q: (B, nh, T, hs); k: (B, nh, T, hs); rel_k: (2 max_rel + 1, hs)
    learned vectors, one per clipped offset in [-max_rel, max_rel].
    Returns the scores (B, nh, T, T), before any mask.
    """
    T, hs = q.size(-2), q.size(-1)
    pos = torch.arange(T, device=q.device)
    rel = (pos[None, :] - pos[:, None]).clamp(-max_rel, max_rel)  # (T, T)
    a = rel_k[rel + max_rel]  # (T, T, hs)
    content = q @ k.transpose(-2, -1)  # (B, nh, T, T)
    position = torch.einsum("bhid,ijd->bhij", q, a)  # (B, nh, T, T)
    return (content + position) / math.sqrt(hs)


# --8<-- [end:shaw]
