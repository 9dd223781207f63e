"""A pre-norm transformer decoder block: causal self-attention, then an MLP."""

from torch import nn

from snippets.topics.llm.multi_head_attention import MultiHeadAttention


# --8<-- [start:mlp]
class FeedForward(nn.Module):
    """Position-wise MLP: C -> 4C -> GELU -> C, applied to every token."""

    def __init__(self, d_model, device=None, dtype=None):
        super().__init__()
        kw = dict(device=device, dtype=dtype)
        self.fc = nn.Linear(d_model, 4 * d_model, **kw)
        self.proj = nn.Linear(4 * d_model, d_model, **kw)

    def forward(self, x):  # (B, T, C) -> (B, T, C)
        return self.proj(nn.functional.gelu(self.fc(x)))


# --8<-- [end:mlp]


# --8<-- [start:block]
class DecoderBlock(nn.Module):
    """x + Attn(LN(x)), then x + MLP(LN(x)): the GPT-2 layout.

    pre_norm=False gives the original post-norm layout,
    LN(x + Attn(x)) then LN(x + MLP(x)), for comparison.
    """

    def __init__(
        self, d_model, n_heads, pre_norm=True, device=None, dtype=None
    ):
        super().__init__()
        kw = dict(device=device, dtype=dtype)
        self.pre_norm = pre_norm
        self.ln1 = nn.LayerNorm(d_model, **kw)
        self.attn = MultiHeadAttention(d_model, n_heads, **kw)
        self.ln2 = nn.LayerNorm(d_model, **kw)
        self.mlp = FeedForward(d_model, **kw)

    def forward(self, x):
        """x: (B, T, C) -> (B, T, C); token t sees tokens 0..t only."""
        if self.pre_norm:
            x = x + self.attn(self.ln1(x), causal=True)[0]
            return x + self.mlp(self.ln2(x))
        x = self.ln1(x + self.attn(x, causal=True)[0])
        return self.ln2(x + self.mlp(x))


# --8<-- [end:block]
