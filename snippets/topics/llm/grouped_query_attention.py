"""Grouped-query attention: n_heads query heads share n_kv_heads K/V heads.

n_kv_heads = n_heads is multi-head attention, n_kv_heads = 1 is
multi-query attention.
"""

from torch import nn

from snippets.topics.llm.attention import attention


# --8<-- [start:gqa]
def grouped_query_attention(q, k, v, causal=False):
    """Attention where query head h reads key/value head h // group.

    q: (B, nh, Tq, hs); k, v: (B, n_kv, Tk, hs) with nh % n_kv == 0.
    The K/V heads are broadcast over their group, never copied.
    Returns out (B, nh, Tq, hs) and weights (B, nh, Tq, Tk).
    """
    B, nh, Tq, hs = q.shape
    n_kv, Tk = k.size(1), k.size(2)
    group = nh // n_kv
    assert nh == group * n_kv, "n_heads must be a multiple of n_kv_heads"
    q = q.view(B, n_kv, group, Tq, hs)  # heads kv*group .. kv*group+group-1
    k, v = k.unsqueeze(2), v.unsqueeze(2)  # (B, n_kv, 1, Tk, hs)
    out, weights = attention(q, k, v, causal)  # (B, n_kv, group, Tq, ..)
    return out.view(B, nh, Tq, hs), weights.view(B, nh, Tq, Tk)


# --8<-- [end:gqa]


# --8<-- [start:module]
class GroupedQueryAttention(nn.Module):
    """Self-attention with n_heads query heads and n_kv_heads K/V heads."""

    def __init__(
        self, d_model, n_heads, n_kv_heads, bias=False, device=None, dtype=None
    ):
        super().__init__()
        assert d_model % n_heads == 0 and n_heads % n_kv_heads == 0
        self.n_heads, self.n_kv_heads = n_heads, n_kv_heads
        self.d_head = d_model // n_heads
        kv_width = n_kv_heads * self.d_head  # narrower than d_model
        kw = dict(bias=bias, device=device, dtype=dtype)
        self.q_proj = nn.Linear(d_model, d_model, **kw)
        self.k_proj = nn.Linear(d_model, kv_width, **kw)
        self.v_proj = nn.Linear(d_model, kv_width, **kw)
        self.out_proj = nn.Linear(d_model, d_model, **kw)

    def heads(self, x, n):  # (B, T, n * hs) -> (B, n, T, hs)
        B, T, _ = x.shape
        return x.view(B, T, n, self.d_head).transpose(1, 2)

    def kv(self, x):
        """What a KV cache stores for x (B, T, C): two (B, n_kv, T, hs)."""
        k, v = self.k_proj(x), self.v_proj(x)
        return self.heads(k, self.n_kv_heads), self.heads(v, self.n_kv_heads)

    def forward(self, x, causal=False):
        """x: (B, T, C) -> (B, T, C)."""
        B, T, C = x.shape
        q = self.heads(self.q_proj(x), self.n_heads)  # (B, nh, T, hs)
        k, v = self.kv(x)  # (B, n_kv, T, hs)
        out, _ = grouped_query_attention(q, k, v, causal)
        return self.out_proj(out.transpose(1, 2).reshape(B, T, C))


def kv_cache_bytes(n_layers, n_kv_heads, d_head, n_tokens, bytes_per=2):
    """Bytes of a KV cache: a K and a V vector per layer, KV head, token."""
    return 2 * n_layers * n_kv_heads * d_head * n_tokens * bytes_per


# --8<-- [end:module]
