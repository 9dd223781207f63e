"""The curse of dimensionality, measured: distances concentrate, balls
vanish inside cubes."""

import math

import torch


# --8<-- [start:distances]
def relative_contrast(d, n=1000, generator=None, device=None):
    """(max − min) / min of the distances from a random query to n points,
    all uniform in the unit cube [0, 1]^d."""
    kw = dict(generator=generator, device=device, dtype=torch.float64)
    X, q = torch.rand(n, d, **kw), torch.rand(1, d, **kw)
    dist = (X - q).norm(dim=1)  # (n,)
    return ((dist.max() - dist.min()) / dist.min()).item()


def squared_distance_spread(d, n=20_000, generator=None, device=None):
    """Std / mean of ‖x − y‖² for independent uniform x, y in [0, 1]^d.

    Closed form: mean d/6, variance 7d/180, ratio √(7/5) / √d ≈ 1.18/√d.
    """
    kw = dict(generator=generator, device=device, dtype=torch.float64)
    sq = (torch.rand(n, d, **kw) - torch.rand(n, d, **kw)).square().sum(1)
    return (sq.std() / sq.mean()).item()


# --8<-- [end:distances]


# --8<-- [start:volume]
def ball_volume(d, r=1.0):
    """Volume of the d-ball of radius r: π^{d/2} r^d / Γ(d/2 + 1)."""
    return math.exp(
        0.5 * d * math.log(math.pi) + d * math.log(r) - math.lgamma(d / 2 + 1)
    )


def ball_in_cube_fraction(d):
    """Fraction of the cube [−1, 1]^d inside its inscribed unit ball."""
    return ball_volume(d) / 2**d


def shell_fraction(d, eps):
    """Fraction of a ball's volume within eps·r of its surface."""
    return 1 - (1 - eps) ** d


# --8<-- [end:volume]
