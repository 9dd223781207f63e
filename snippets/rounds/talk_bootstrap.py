"""Bootstrap confidence interval for a pairwise win rate.

Each prompt gives one outcome for system A against system B: 1 (A wins),
0.5 (tie) or 0 (A loses). The win rate is the mean outcome. The
percentile bootstrap resamples the prompts with replacement and reads
the interval off the resampled means.
"""

import torch


# --8<-- [start:bootstrap]
def win_rate(outcomes):
    """Mean outcome with ties as 1/2: (..., n) in {0, 0.5, 1} -> (...)."""
    return outcomes.mean(-1)


def bootstrap_ci(outcomes, n_boot=2000, level=0.95, generator=None):
    """Percentile bootstrap interval of the win rate, for each row.

    outcomes: (..., n) in {0, 0.5, 1}; returns (lo, hi), each (...).
    A resample of n outcomes is summarised by its counts of wins and
    ties, so draw the counts (a multinomial, as two binomials) instead
    of n indices: the same distribution, n times less work.
    """
    n = outcomes.shape[-1]
    p_win = (outcomes == 1).double().mean(-1, keepdim=True)  # (..., 1)
    p_tie = (outcomes == 0.5).double().mean(-1, keepdim=True)
    shape = (*outcomes.shape[:-1], n_boot)
    total = torch.full(
        shape, float(n), dtype=torch.float64, device=outcomes.device
    )
    wins = torch.binomial(total, p_win.expand(shape), generator=generator)
    # Ties among the n - wins others: P(tie | not a win).
    q_tie = (p_tie / (1 - p_win)).nan_to_num(0.0).clamp(0, 1)
    ties = torch.binomial(
        total - wins, q_tie.expand(shape), generator=generator
    )
    rates = (wins + 0.5 * ties) / n  # (..., n_boot)
    tails = torch.tensor(
        [(1 - level) / 2, (1 + level) / 2],
        dtype=rates.dtype,
        device=rates.device,
    )
    lo, hi = torch.quantile(rates, tails, dim=-1)
    return lo.to(outcomes.dtype), hi.to(outcomes.dtype)


# --8<-- [end:bootstrap]


# --8<-- [start:simulate]
def simulate_outcomes(p_win, p_tie, n_evals, n, generator=None, device=None):
    """n_evals synthetic evaluations of n prompts each: (n_evals, n).

    Every outcome is independently a win, a tie or a loss with the given
    probabilities, so the true win rate is p_win + p_tie / 2.
    """
    u = torch.rand(n_evals, n, generator=generator, device=device)
    return torch.where(u < p_win, 1.0, torch.where(u < p_win + p_tie, 0.5, 0.0))


# --8<-- [end:simulate]
