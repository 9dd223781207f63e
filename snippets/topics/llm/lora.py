"""LoRA: a frozen linear layer plus a trainable low-rank update."""

import math

import torch
from torch import nn


# --8<-- [start:module]
class LoRALinear(nn.Module):
    """y = x W0ᵀ + b + (alpha / r) · x Aᵀ Bᵀ, with W0 and b frozen.

    A: (r, d_in), random; B: (d_out, r), zero, so training starts from
    exactly the base layer. Trainable parameters: r · (d_in + d_out).
    """

    def __init__(self, base: nn.Linear, r=8, alpha=16):
        super().__init__()
        self.base = base.requires_grad_(False)
        d_out, d_in = base.weight.shape
        kw = dict(device=base.weight.device, dtype=base.weight.dtype)
        self.A = nn.Parameter(torch.empty(r, d_in, **kw))
        self.B = nn.Parameter(torch.zeros(d_out, r, **kw))
        nn.init.kaiming_uniform_(self.A, a=math.sqrt(5))  # as nn.Linear
        self.scale = alpha / r

    def forward(self, x):  # x: (..., d_in) -> (..., d_out)
        return self.base(x) + self.scale * (x @ self.A.T @ self.B.T)

    @torch.no_grad()
    def merged(self) -> nn.Linear:
        """A plain nn.Linear with W = W0 + (alpha / r) B A: no extra
        latency at inference."""
        d_out, d_in = self.base.weight.shape
        has_bias = self.base.bias is not None
        kw = dict(device=self.A.device, dtype=self.A.dtype)
        out = nn.Linear(d_in, d_out, bias=has_bias, **kw)
        out.weight.copy_(self.base.weight + self.scale * self.B @ self.A)
        if has_bias:
            out.bias.copy_(self.base.bias)
        return out


# --8<-- [end:module]
