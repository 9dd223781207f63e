"""Transformer-XL: segment-level recurrence over a cached memory, with
attention scores that depend on relative positions only."""

import math

import torch
from torch import nn

from snippets.topics.llm.sinusoidal_encoding import sinusoidal_encoding


# --8<-- [start:relative]
class RelativeAttention(nn.Module):
    """Multi-head attention scored on content and on the distance i - j:

    s_ij = (q_i + u)·k_j + (q_i + v)·W_R R_{i-j}, R sinusoidal.
    u and v are learned per head and shared by every query position.
    """

    def __init__(self, d_model, n_heads, device=None, dtype=None):
        super().__init__()
        kw = dict(device=device, dtype=dtype)
        self.nh, self.hs = n_heads, d_model // n_heads
        self.q_proj = nn.Linear(d_model, d_model, bias=False, **kw)
        self.kv_proj = nn.Linear(d_model, 2 * d_model, bias=False, **kw)
        self.r_proj = nn.Linear(d_model, d_model, bias=False, **kw)
        self.out_proj = nn.Linear(d_model, d_model, bias=False, **kw)
        self.u = nn.Parameter(0.1 * torch.randn(n_heads, 1, self.hs, **kw))
        self.v = nn.Parameter(0.1 * torch.randn(n_heads, 1, self.hs, **kw))

    def heads(self, x):  # (B, T, C) -> (B, nh, T, hs)
        return x.unflatten(-1, (self.nh, self.hs)).transpose(1, 2)

    def forward(self, x, context, allowed):
        """x: (B, Tq, C), the last Tq rows of context: (B, Tk, C).

        allowed: (Tq, Tk) bool. Returns (B, Tq, C).
        """
        Tq, Tk, C = x.size(1), context.size(1), x.size(2)
        q = self.heads(self.q_proj(x))  # (B, nh, Tq, hs)
        k, v = map(self.heads, self.kv_proj(context).chunk(2, dim=-1))
        R = sinusoidal_encoding(Tk, C, device=x.device, dtype=x.dtype)
        r = self.heads(self.r_proj(R)[None])  # (1, nh, Tk, hs): distance
        i = torch.arange(Tq, device=x.device)[:, None] + Tk - Tq
        dist = (i - torch.arange(Tk, device=x.device)).clamp(min=0)
        by_dist = (q + self.v) @ r.transpose(-2, -1)  # (B, nh, Tq, dist)
        position = by_dist.gather(-1, dist.expand_as(by_dist))  # (.., Tk)
        content = (q + self.u) @ k.transpose(-2, -1)  # (B, nh, Tq, Tk)
        scores = (content + position) / math.sqrt(self.hs)
        scores = scores.masked_fill(~allowed, float("-inf"))
        out = torch.softmax(scores, dim=-1) @ v  # (B, nh, Tq, hs)
        return self.out_proj(out.transpose(1, 2).flatten(2))


# --8<-- [end:relative]


# --8<-- [start:recurrence]
def xl_forward(layers, x, seg_len, mem_len):
    """Run residual attention layers over x: (B, T, C), one segment at a
    time. Layer l keeps the last mem_len inputs it saw as its memory:
    reused in the forward pass, detached so no gradient flows back.
    """
    mems = [x[:, :0]] * len(layers)  # empty (B, 0, C) memories
    outs = []
    for h in x.split(seg_len, dim=1):  # h: (B, L, C)
        for n, layer in enumerate(layers):
            context = torch.cat([mems[n], h], dim=1)  # (B, M + L, C)
            mems[n] = context[:, -mem_len:].detach()  # stop-gradient
            Tq, Tk = h.size(1), context.size(1)
            allowed = torch.ones(Tq, Tk, dtype=torch.bool, device=x.device)
            h = h + layer(h, context, allowed.tril(diagonal=Tk - Tq))
        outs.append(h)
    return torch.cat(outs, dim=1)  # (B, T, C)


# --8<-- [end:recurrence]
