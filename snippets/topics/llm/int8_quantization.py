"""Symmetric int8 weight quantisation, per tensor and per output channel,
an asymmetric (zero-point) quantiser, and a weight-only int8 linear layer.
"""

import torch
from torch import nn


# --8<-- [start:quantize]
def quantize_symmetric(W, per_channel=True, bits=8):
    """W: (out, in) float. Returns q (out, in) int8 and scale (out, 1).

    scale = max|W| / qmax over each row (or the whole tensor), with
    qmax = 2^(bits-1) - 1 = 127 for int8, so q = round(W / scale) lies
    in [-qmax, qmax] and |W - scale * q| <= scale / 2 element-wise.
    """
    qmax = 2 ** (bits - 1) - 1
    if per_channel:
        amax = W.abs().amax(dim=1, keepdim=True)  # (out, 1)
    else:
        amax = W.abs().amax().expand(W.size(0), 1)  # (out, 1), all equal
    scale = amax.clamp_min(1e-12) / qmax  # an all-zero row stays zero
    q = torch.clamp(torch.round(W / scale), -qmax, qmax).to(torch.int8)
    return q, scale


def dequantize(q, scale, zero_point=0):
    """Back to float: scale * (q - zero_point)."""
    return scale * (q.float() - zero_point)


def quantize_asymmetric(x, bits=8):
    """Affine uint8-style quantiser for a tensor whose range [lo, hi] is
    not centred on 0 (e.g. after a ReLU). Returns q, scale, zero_point.

    scale = (hi - lo) / (2^bits - 1); zero_point is the integer that
    represents 0.0 exactly, so zero padding stays exactly zero.
    """
    levels = 2**bits - 1
    lo, hi = x.min().clamp(max=0), x.max().clamp(min=0)  # range holds 0
    scale = (hi - lo).clamp_min(1e-12) / levels
    zero_point = torch.round(-lo / scale)
    q = torch.clamp(torch.round(x / scale) + zero_point, 0, levels)
    return q.to(torch.uint8), scale, zero_point


# --8<-- [end:quantize]


# --8<-- [start:linear]
class Int8Linear(nn.Module):
    """Weight-only int8 linear: int8 weights, float activations.

    Stores 1 byte per weight plus one float scale per output channel,
    and applies the scale after the matmul: y = (x @ q^T) * scale^T + b.
    """

    def __init__(self, linear):
        super().__init__()
        q, scale = quantize_symmetric(linear.weight.detach())
        self.register_buffer("q", q)  # (out, in) int8
        self.register_buffer("scale", scale.squeeze(1))  # (out,)
        bias = linear.bias
        self.register_buffer("bias", None if bias is None else bias.detach())

    def forward(self, x):  # x: (..., in) -> (..., out)
        y = (x @ self.q.t().to(x.dtype)) * self.scale
        return y if self.bias is None else y + self.bias


# --8<-- [end:linear]
