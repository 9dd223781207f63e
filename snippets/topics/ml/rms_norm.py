"""RMSNorm from scratch: rescale by the root mean square, no centring."""

import torch
from torch import nn


# --8<-- [start:module]
class RMSNorm(nn.Module):
    """x / sqrt(mean(x²) + eps) * weight, over the last axis.

    x: (..., C). eps=None uses the machine epsilon of x's dtype
    (1.19e-7 for float32), as nn.RMSNorm does.
    """

    def __init__(self, C, eps=None, device=None, dtype=None):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(C, device=device, dtype=dtype))

    def forward(self, x):
        eps = torch.finfo(x.dtype).eps if self.eps is None else self.eps
        ms = x.square().mean(-1, keepdim=True)  # (..., 1)
        return x * torch.rsqrt(ms + eps) * self.weight  # (..., C)


# --8<-- [end:module]
