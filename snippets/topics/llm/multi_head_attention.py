"""Multi-head attention: project, split into heads, attend, merge, project."""

import torch
from torch import nn

from snippets.topics.llm.attention import attention


# --8<-- [start:module]
class MultiHeadAttention(nn.Module):
    """n_heads attention heads of size d_model // n_heads, run in parallel.

    Self-attention by default; pass `context` for cross-attention (queries
    from x, keys and values from context).
    """

    def __init__(self, d_model, n_heads, bias=True, device=None, dtype=None):
        super().__init__()
        assert d_model % n_heads == 0, "d_model must split evenly into heads"
        self.n_heads, self.d_head = n_heads, d_model // n_heads
        kw = dict(bias=bias, device=device, dtype=dtype)
        self.q_proj = nn.Linear(d_model, d_model, **kw)
        self.k_proj = nn.Linear(d_model, d_model, **kw)
        self.v_proj = nn.Linear(d_model, d_model, **kw)
        self.out_proj = nn.Linear(d_model, d_model, **kw)

    def split_heads(self, x):  # (B, T, C) -> (B, nh, T, hs)
        B, T, _ = x.shape
        return x.view(B, T, self.n_heads, self.d_head).transpose(1, 2)

    def merge_heads(self, x):  # (B, nh, T, hs) -> (B, T, C)
        B, _, T, _ = x.shape
        return x.transpose(1, 2).reshape(B, T, self.n_heads * self.d_head)

    def forward(self, x, context=None, causal=False, key_padding_mask=None):
        """x: (B, Tq, C); context: (B, Tk, C) or None.

        Returns out (B, Tq, C) and per-head weights (B, nh, Tq, Tk).
        """
        context = x if context is None else context
        q = self.split_heads(self.q_proj(x))  # (B, nh, Tq, hs)
        k = self.split_heads(self.k_proj(context))  # (B, nh, Tk, hs)
        v = self.split_heads(self.v_proj(context))  # (B, nh, Tk, hs)
        out, weights = attention(q, k, v, causal, key_padding_mask)
        return self.out_proj(self.merge_heads(out)), weights


# --8<-- [end:module]


# --8<-- [start:from-torch]
@torch.no_grad()
def from_torch(mha: nn.MultiheadAttention) -> MultiHeadAttention:
    """Our module with the weights of a torch.nn.MultiheadAttention.

    PyTorch stores W_q, W_k, W_v stacked in one (3C, C) in_proj_weight.
    """
    C, bias, w = mha.embed_dim, mha.in_proj_bias is not None, mha.in_proj_weight
    ours = MultiHeadAttention(C, mha.num_heads, bias, w.device, w.dtype)
    projections = (ours.q_proj, ours.k_proj, ours.v_proj)
    for i, proj in enumerate(projections):
        proj.weight.copy_(mha.in_proj_weight[i * C : (i + 1) * C])
        if bias:
            proj.bias.copy_(mha.in_proj_bias[i * C : (i + 1) * C])
    ours.out_proj.load_state_dict(mha.out_proj.state_dict())
    return ours


# --8<-- [end:from-torch]
