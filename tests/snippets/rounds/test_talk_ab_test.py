import math

import torch

from snippets.rounds.talk_ab_test import (
    bonferroni_boundary,
    naive_boundary,
    obrien_fleming_boundary,
    p_value,
    rejection_rate,
    sample_size_per_arm,
    simulate_looks,
    z_statistic,
)

# Rejection rates below come from 20,000 simulated experiments: the
# standard error of a rate near 0.05 is sqrt(0.05 * 0.95 / 20000) =
# 0.0015, so TOL = 0.006 is four standard errors.
N_EXP, TOL = 20_000, 0.006


def test_sample_size_by_hand():
    # p1 = 0.10, p2 = 0.12: pooled p = 0.11, 2pq = 0.1958;
    # p1q1 + p2q2 = 0.09 + 0.1056 = 0.1956; z = 1.959964 and 0.841621.
    # (1.959964 * 0.442493 + 0.841621 * 0.442267)^2 / 0.02^2 = 3840.85.
    by_hand = 1.959964 * math.sqrt(0.1958) + 0.841621 * math.sqrt(0.1956)
    assert math.isclose(by_hand**2 / 0.02**2, 3840.85, abs_tol=0.01)
    assert sample_size_per_arm(0.10, 0.12) == 3841
    # The worked example: resolution rate 31 % -> 33 %.
    assert sample_size_per_arm(0.31, 0.33) == 8539
    # Half the effect needs about four times the users (3.84 here: the
    # variance at 0.11 is a little smaller than at 0.12).
    assert sample_size_per_arm(0.10, 0.11) == 14751


def test_z_and_p_value_by_hand(device):
    one = torch.tensor(1000.0, dtype=torch.float64, device=device)
    x1, x2 = 100 * one / 1000, 120 * one / 1000
    z = z_statistic(x1, one, x2, one)
    # pooled 0.11: se = sqrt(0.11 * 0.89 * 2 / 1000) = 0.0139929
    assert math.isclose(z.item(), 0.02 / math.sqrt(0.11 * 0.89 * 0.002), rel_tol=1e-12)
    assert math.isclose(p_value(z).item(), math.erfc(z.item() / 2**0.5), rel_tol=1e-9)
    assert math.isclose(p_value(z).item(), 0.15292, abs_tol=1e-5)


def test_planned_sample_size_has_the_planned_power(device):
    # Power estimated from 20,000 experiments: SE sqrt(.8 * .2 / 2e4) =
    # 0.0028, so 0.015 is about five standard errors.
    g = torch.Generator(device=device).manual_seed(0)
    n = sample_size_per_arm(0.10, 0.12)
    z = simulate_looks(0.10, 0.12, n, 1, N_EXP, g, device)
    assert abs(rejection_rate(z, naive_boundary(1, device=device)) - 0.8) < 0.015


def test_peeking_inflates_false_positives_and_boundaries_fix_it(device):
    g = torch.Generator(device=device).manual_seed(0)
    looks = 10
    z = simulate_looks(0.10, 0.10, 500, looks, N_EXP, g, device)  # A/A
    # One look at the end: the nominal 5 %.
    assert abs(rejection_rate(z[:, -1:], naive_boundary(1, device=device)) - 0.05) < TOL
    # Ten looks, stop at the first p < 0.05: about 19 %.
    naive = rejection_rate(z, naive_boundary(looks, device=device))
    assert naive > 0.15
    # Bonferroni: at most 5 % (about 2.5 %: the looks are correlated).
    bonf = rejection_rate(z, bonferroni_boundary(looks, device=device))
    assert bonf <= 0.05 + TOL
    # O'Brien-Fleming spends almost all of the 5 %, none of it early.
    obf = obrien_fleming_boundary(looks, generator=g, device=device)
    rate = rejection_rate(z, obf)
    assert abs(rate - 0.05) < TOL
    assert bonf < rate < naive


def test_obrien_fleming_constants_match_the_published_table(device):
    # Tabulated two-sided alpha = 0.05 constants: 2.040 for 5 looks,
    # 2.087 for 10. Over seeds the simulated c varies with sd 0.004 at
    # 400,000 paths: 0.02 is five standard deviations.
    g = torch.Generator(device=device).manual_seed(1)
    for looks, c in ((5, 2.040), (10, 2.087)):
        b = obrien_fleming_boundary(looks, generator=g, device=device)
        assert abs(b[-1].item() - c) < 0.02
        ratio = b / b[-1]
        ref = (looks / torch.arange(1, looks + 1).double()).sqrt()
        assert (ratio.cpu() - ref).abs().max() < 1e-12  # exact shape
