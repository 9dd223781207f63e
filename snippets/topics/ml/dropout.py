"""Inverted dropout: zero with probability p, rescale the rest by 1/(1-p)."""

import torch
from torch import nn


# --8<-- [start:dropout]
def dropout(x, p=0.5, training=True, generator=None):
    """Zero each entry of x with probability p; scale survivors by 1/(1-p).

    x: any shape. The scaling keeps E[out] = x in training, so at
    inference (training=False) the layer is the identity.
    generator: an optional torch.Generator on x's device, for
    reproducible masks.
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability must be in [0, 1], got {p}")
    if not training or p == 0.0:
        return x
    if p == 1.0:  # 1 / (1 - p) would be inf, and 0 * inf is NaN
        return torch.zeros_like(x)
    u = torch.rand(x.shape, generator=generator, device=x.device)
    keep = u >= p  # P(keep) = 1 - p, since u is uniform on [0, 1)
    return x * keep / (1.0 - p)


class Dropout(nn.Module):
    """Module wrapper: active under .train(), identity under .eval()."""

    def __init__(self, p=0.5):
        super().__init__()
        self.p = p

    def forward(self, x):
        return dropout(x, self.p, self.training)


# --8<-- [end:dropout]
