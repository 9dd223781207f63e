"""Layer normalisation from scratch: statistics over the channels."""

import torch
from torch import nn


# --8<-- [start:module]
class LayerNorm(nn.Module):
    """Normalise each token over its C channels, then scale and shift.

    x: (..., C), e.g. (B, T, C). No batch statistics, no running
    buffers: train and eval compute the same function.
    """

    def __init__(self, C, eps=1e-5, bias=True, device=None, dtype=None):
        super().__init__()
        self.eps = eps
        kw = dict(device=device, dtype=dtype)
        self.weight = nn.Parameter(torch.ones(C, **kw))
        self.bias = nn.Parameter(torch.zeros(C, **kw)) if bias else None

    def forward(self, x):
        mean = x.mean(-1, keepdim=True)  # (..., 1)
        var = x.var(-1, keepdim=True, correction=0)  # (..., 1), biased
        x_hat = (x - mean) * torch.rsqrt(var + self.eps)  # (..., C)
        out = x_hat * self.weight
        return out if self.bias is None else out + self.bias


# --8<-- [end:module]
