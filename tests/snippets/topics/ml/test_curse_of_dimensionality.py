import itertools
import math

import torch

from snippets.topics.ml.curse_of_dimensionality import (
    ball_in_cube_fraction,
    ball_volume,
    relative_contrast,
    shell_fraction,
    squared_distance_spread,
)


def test_ball_volume_closed_forms():
    assert math.isclose(ball_volume(1, 2.0), 4.0, rel_tol=1e-12)
    assert math.isclose(ball_volume(2, 3.0), 9 * math.pi, rel_tol=1e-12)
    assert math.isclose(ball_volume(3), 4 / 3 * math.pi, rel_tol=1e-12)
    assert math.isclose(ball_volume(4), math.pi**2 / 2, rel_tol=1e-12)
    # The unit ball's volume peaks at d = 5 (5.264) and then falls to 0.
    vols = [ball_volume(d) for d in range(1, 31)]
    assert max(range(30), key=vols.__getitem__) == 4
    assert math.isclose(vols[4], 8 * math.pi**2 / 15, rel_tol=1e-12)
    assert vols[-1] < 1e-4
    assert math.isclose(shell_fraction(100, 0.01), 1 - 0.99**100, rel_tol=1e-12)
    assert shell_fraction(500, 0.01) > 0.99


def test_ball_in_cube_fraction_by_monte_carlo(device):
    g = torch.Generator(device=device).manual_seed(0)
    n = 200_000
    for d in (2, 3, 5, 8):
        x = torch.rand(n, d, generator=g, device=device, dtype=torch.float64) * 2 - 1
        frac = (x.square().sum(1) <= 1).double().mean().item()
        p = ball_in_cube_fraction(d)
        # Binomial standard error; allow 5 SE (at most 0.0056).
        assert abs(frac - p) < 5 * math.sqrt(p * (1 - p) / n), (d, frac, p)
    assert math.isclose(ball_in_cube_fraction(2), math.pi / 4, rel_tol=1e-12)
    assert ball_in_cube_fraction(10) < 0.0025  # 0.00249


def test_distances_concentrate(device):
    g = torch.Generator(device=device).manual_seed(0)
    contrast = [relative_contrast(d, generator=g, device=device) for d in (2, 10, 100, 1000)]
    assert all(a > b for a, b in itertools.pairwise(contrast)), contrast
    assert contrast[0] > 10 and contrast[-1] < 0.2, contrast


def test_squared_distance_spread_matches_closed_form(device):
    g = torch.Generator(device=device).manual_seed(0)
    for d in (1, 10, 100, 400):
        ratio = squared_distance_spread(d, n=10_000, generator=g, device=device)
        expected = math.sqrt(7 / 5) / math.sqrt(d)
        # 10 000 pairs: the relative SE of a sample std is about
        # √((κ − 1)/4n) ≈ 0.8% for kurtosis κ ≤ 3.5; allow 5% (> 5 SE).
        assert abs(ratio / expected - 1) < 0.05, (d, ratio, expected)
