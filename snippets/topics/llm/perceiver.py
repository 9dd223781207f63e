"""Perceiver: a fixed array of latents cross-attends to any number of inputs."""

import torch
from torch import nn

from snippets.topics.llm.decoder_block import FeedForward
from snippets.topics.llm.multi_head_attention import MultiHeadAttention


# --8<-- [start:encoder]
class LatentBlock(nn.Module):
    """Pre-norm self-attention (no mask) and MLP over the latents."""

    def __init__(self, d_model, n_heads, device=None, dtype=None):
        super().__init__()
        kw = dict(device=device, dtype=dtype)
        self.ln1 = nn.LayerNorm(d_model, **kw)
        self.attn = MultiHeadAttention(d_model, n_heads, **kw)
        self.ln2 = nn.LayerNorm(d_model, **kw)
        self.mlp = FeedForward(d_model, **kw)

    def forward(self, z):  # (B, M, C) -> (B, M, C)
        z = z + self.attn(self.ln1(z))[0]
        return z + self.mlp(self.ln2(z))


class PerceiverEncoder(nn.Module):
    """M learned latents read N inputs, then process among themselves.

    Cross-attention scores are (M, N) and latent self-attention (M, M),
    so a layer costs O(MN + M²) instead of O(N²).
    """

    def __init__(self, d_model, n_heads, n_latents, n_self=2, **kw):
        super().__init__()
        self.latents = nn.Parameter(torch.randn(n_latents, d_model, **kw))
        self.ln_z = nn.LayerNorm(d_model, **kw)
        self.ln_x = nn.LayerNorm(d_model, **kw)
        self.cross = MultiHeadAttention(d_model, n_heads, **kw)
        self.blocks = nn.ModuleList(
            LatentBlock(d_model, n_heads, **kw) for _ in range(n_self)
        )

    def forward(self, x, key_padding_mask=None):
        """x: (B, N, C) inputs, any N; key_padding_mask: (B, N) bool.

        Returns the latents (B, M, C) and the cross-attention weights
        (B, nh, M, N).
        """
        z = self.latents.expand(x.size(0), -1, -1)  # (B, M, C)
        # Queries from the latents; keys and values from the inputs.
        read, weights = self.cross(
            self.ln_z(z), self.ln_x(x), key_padding_mask=key_padding_mask
        )
        z = z + read
        for block in self.blocks:
            z = block(z)
        return z, weights


# --8<-- [end:encoder]
