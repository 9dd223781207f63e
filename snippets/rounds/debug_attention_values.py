"""Debugging exercise 3: attention with the right shapes, wrong values.

Both functions run self-attention with the projections of our
MultiHeadAttention (load any nn.MultiheadAttention's weights with
`from_torch`). The buggy one splits heads with `view(B, nh, T, hs)`
straight from (B, T, C): every shape is right, and each "head" holds
pieces of several tokens.
"""

from snippets.topics.llm.attention import attention


# --8<-- [start:buggy]
def buggy_self_attention(x, mha):
    """x: (B, T, C); mha: a MultiHeadAttention, for its projections.

    Returns out (B, T, C) and weights (B, nh, T, T).
    """
    B, T, C = x.shape
    nh, hs = mha.n_heads, mha.d_head
    q = mha.q_proj(x).view(B, nh, T, hs)  # (B, nh, T, hs)
    k = mha.k_proj(x).view(B, nh, T, hs)
    v = mha.v_proj(x).view(B, nh, T, hs)
    out, weights = attention(q, k, v)  # (B, nh, T, hs), (B, nh, T, T)
    out = out.reshape(B, T, C)
    return mha.out_proj(out), weights


# --8<-- [end:buggy]


# --8<-- [start:fixed]
def fixed_self_attention(x, mha):
    """x: (B, T, C); mha: a MultiHeadAttention, for its projections.

    Returns out (B, T, C) and weights (B, nh, T, T).
    """
    B, T, C = x.shape
    nh, hs = mha.n_heads, mha.d_head
    q = mha.q_proj(x).view(B, T, nh, hs).transpose(1, 2)  # (B, nh, T, hs)
    k = mha.k_proj(x).view(B, T, nh, hs).transpose(1, 2)
    v = mha.v_proj(x).view(B, T, nh, hs).transpose(1, 2)
    out, weights = attention(q, k, v)  # (B, nh, T, hs), (B, nh, T, T)
    out = out.transpose(1, 2).reshape(B, T, C)
    return mha.out_proj(out), weights


# --8<-- [end:fixed]
