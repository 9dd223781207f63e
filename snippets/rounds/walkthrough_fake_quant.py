"""Fake quantisation for quantisation-aware training (QAT).

The forward pass rounds to the int8 grid and back, so the network trains
against the errors it will meet at int8 inference. Rounding has zero
gradient almost everywhere, so the backward pass uses the straight-through
estimator: pass the gradient unchanged where the value was representable,
zero where it was clipped.
"""

import torch


# --8<-- [start:fake_quant]
def fake_quant(x, scale, zero_point=0, qmin=-128, qmax=127):
    """Quantise-dequantise x with a straight-through gradient.

    x: any shape, float. scale: float (the step between levels);
    zero_point: int (the level that stands for 0.0). Forward:
    scale * (clamp(round(x / scale) + zero_point, qmin, qmax) - zero_point).
    Backward: dy/dx = 1 where round(x / scale) + zero_point lies in
    [qmin, qmax], else 0.
    """
    q = torch.round(x * (1.0 / scale)) + zero_point  # unclamped levels
    keep = ((q >= qmin) & (q <= qmax)).to(x.dtype)  # (same shape as x)
    y = (q.clamp(qmin, qmax) - zero_point) * scale
    # Value of y, gradient of x * keep: the straight-through estimator.
    return y.detach() + (x - x.detach()) * keep


def scale_for_range(lo, hi, qmin=-128, qmax=127):
    """Affine scale and zero point that map [lo, hi] (lo <= 0 <= hi)
    onto [qmin, qmax] with 0.0 exactly representable."""
    scale = (hi - lo) / (qmax - qmin)
    zero_point = round(qmin - lo / scale)
    return scale, zero_point


# --8<-- [end:fake_quant]
