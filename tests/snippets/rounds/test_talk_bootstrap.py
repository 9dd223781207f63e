import math

import torch

from snippets.rounds.talk_bootstrap import (
    bootstrap_ci,
    simulate_outcomes,
    win_rate,
)


def test_win_rate_counts_ties_as_half(device):
    o = torch.tensor([1.0, 1.0, 0.5, 0.0, 0.5], device=device, dtype=torch.float64)
    assert math.isclose(win_rate(o).item(), (2 + 0.5 + 0.5) / 5)  # 0.6


def test_degenerate_samples_give_a_point_interval(device):
    g = torch.Generator(device=device).manual_seed(0)
    for value in (0.0, 0.5, 1.0):  # all losses, all ties, all wins
        o = torch.full((3, 50), value, device=device)
        lo, hi = bootstrap_ci(o, n_boot=200, generator=g)
        assert torch.all(lo == value) and torch.all(hi == value)


def test_count_trick_matches_resampling_indices(device):
    # The textbook bootstrap (resample n indices) and the count trick
    # draw from the same distribution; with 20,000 resamples each the
    # 2.5 % and 97.5 % quantiles carry Monte Carlo noise of about 4e-4
    # and sit on a grid of 1/(2n) = 1.25e-3, so they agree to 3e-3.
    g = torch.Generator(device=device).manual_seed(0)
    o = simulate_outcomes(0.5, 0.2, 1, 400, generator=g, device=device)[0]
    idx = torch.randint(0, 400, (20_000, 400), generator=g, device=device)
    rates = o[idx].mean(-1).double()
    tails = torch.tensor([0.025, 0.975], dtype=torch.float64, device=device)
    ref_lo, ref_hi = torch.quantile(rates, tails)
    lo, hi = bootstrap_ci(o, n_boot=20_000, generator=g)
    assert abs(lo.item() - ref_lo.item()) < 3e-3
    assert abs(hi.item() - ref_hi.item()) < 3e-3


def test_coverage_is_close_to_nominal(device):
    # 2,000 synthetic evaluations of 300 prompts with a known win rate of
    # 0.45 + 0.20 / 2 = 0.55. The coverage estimate has a Monte Carlo
    # standard error sqrt(0.95 * 0.05 / 2000) = 0.0049, so 0.02 is
    # 4 standard errors (the percentile bootstrap itself under-covers
    # by well under 0.01 at n = 300).
    g = torch.Generator(device=device).manual_seed(0)
    p_win, p_tie, n = 0.45, 0.20, 300
    o = simulate_outcomes(p_win, p_tie, 2000, n, generator=g, device=device)
    lo, hi = bootstrap_ci(o, n_boot=1000, generator=g)
    truth = p_win + p_tie / 2
    coverage = ((lo <= truth) & (truth <= hi)).double().mean().item()
    assert abs(coverage - 0.95) < 0.02
    # Width against the normal approximation 2 z sd / sqrt(n), with
    # sd^2 = E[X^2] - E[X]^2 = p_win + p_tie / 4 - truth^2 (3 % slack:
    # the width's own spread over 2,000 evaluations is under 1 %).
    z = torch.special.ndtri(torch.tensor(0.975, dtype=torch.float64)).item()
    sd = math.sqrt(p_win + p_tie / 4 - truth**2)
    width = (hi - lo).mean().item()
    assert abs(width / (2 * z * sd / math.sqrt(n)) - 1) < 0.03
