"""Rotary position embedding (RoPE): rotate each 2-D pair by pos · θ_i."""

import torch


# --8<-- [start:rope]
def rope_angles(positions, hs, base=10000.0):
    """Angles pos · θ_i, θ_i = base^(-2i / hs): (T, hs/2), float64.

    positions: (T,) token positions (integers, or fractions for
    position interpolation).
    """
    two_i = torch.arange(0, hs, 2, device=positions.device)
    theta = base ** (-two_i.double() / hs)  # (hs/2,) radians per token
    return positions.double()[:, None] * theta  # (T, hs/2)


def apply_rope(x, positions, base=10000.0):
    """Rotate the pairs (x[2i], x[2i+1]) of x by the angle pos · θ_i.

    x: (..., T, hs) queries or keys, hs even; positions: (T,).
    Returns a tensor of the same shape and dtype as x.
    """
    angle = rope_angles(positions, x.size(-1), base)
    cos, sin = angle.cos().to(x.dtype), angle.sin().to(x.dtype)
    x1, x2 = x[..., 0::2], x[..., 1::2]  # the two coordinates of each pair
    rotated = torch.stack((x1 * cos - x2 * sin, x1 * sin + x2 * cos), -1)
    return rotated.flatten(-2)  # (..., T, hs), pairs interleaved again


# --8<-- [end:rope]


# --8<-- [start:extend]
def interpolated_positions(positions, scale):
    """Position interpolation: squeeze scale x longer inputs into the
    trained range by feeding pos / scale (every frequency slowed by scale).
    """
    return positions.double() / scale


def ntk_base(hs, scale, base=10000.0):
    """NTK-aware base: base · scale^(hs / (hs - 2)).

    The fastest pair (i = 0) keeps θ_0 = 1; the slowest,
    θ = base'^(-(hs-2)/hs), is slowed by exactly `scale`.
    """
    return base * scale ** (hs / (hs - 2))


# --8<-- [end:extend]
