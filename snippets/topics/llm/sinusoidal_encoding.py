"""Sinusoidal position encoding and the rotation that shifts it."""

import torch


# --8<-- [start:encoding]
def frequencies(d_model, base=10000.0, device=None, dtype=torch.float32):
    """ω_i = base^(-2i / d_model) for i = 0 .. d_model/2 - 1, radians/token."""
    two_i = torch.arange(0, d_model, 2, device=device, dtype=torch.float64)
    return (base ** (-two_i / d_model)).to(dtype)  # (d_model/2,)


def sinusoidal_encoding(T, d_model, base=10000.0, device=None, dtype=None):
    """PE[pos, 2i] = sin(pos ω_i), PE[pos, 2i+1] = cos(pos ω_i).

    Returns (T, d_model); d_model must be even. Angles are computed in
    float64 so that large positions keep their precision.
    """
    dtype = dtype or torch.get_default_dtype()
    pos = torch.arange(T, device=device, dtype=torch.float64)
    angle = pos[:, None] * frequencies(d_model, base, device, torch.float64)
    pe = torch.stack((angle.sin(), angle.cos()), dim=-1)  # (T, d/2, 2)
    return pe.flatten(-2).to(dtype)  # sin, cos, sin, cos, ...


# --8<-- [end:encoding]


# --8<-- [start:shift]
def shift_matrix(k, d_model, base=10000.0, device=None, dtype=None):
    """The (d_model, d_model) matrix M_k with PE[pos + k] = M_k PE[pos].

    Block diagonal: on each (sin, cos) pair it is the 2x2 rotation by
    k ω_i, from sin(a + b) = sin a cos b + cos a sin b and
    cos(a + b) = cos a cos b - sin a sin b. It does not depend on pos.
    """
    dtype = dtype or torch.get_default_dtype()
    b = k * frequencies(d_model, base, device, torch.float64)  # (d/2,)
    c, s = b.cos(), b.sin()
    blocks = torch.stack((c, s, -s, c), dim=-1).view(-1, 2, 2)
    return torch.block_diag(*blocks).to(dtype)


# --8<-- [end:shift]
