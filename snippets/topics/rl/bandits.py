"""Exploration on a Bernoulli bandit: ε-greedy, UCB1, Thompson sampling."""

import torch
from torch.distributions import Gamma


# --8<-- [start:bandits]
def choose(method, counts, sums, t, eps=0.1):
    """Arm ids (R,) for R independent runs at step t (t ≥ K: every arm
    has been pulled once). counts, sums: (R, K) pulls and total reward.
    """
    R, K = counts.shape
    mean = sums / counts  # (R, K) empirical means
    if method == "eps_greedy":
        explore = torch.rand(R, device=counts.device) < eps
        random_arm = torch.randint(0, K, (R,), device=counts.device)
        return torch.where(explore, random_arm, mean.argmax(-1))
    if method == "ucb1":  # optimism: mean + a confidence radius
        return (mean + torch.sqrt(2 * torch.log(t) / counts)).argmax(-1)
    if method == "thompson":  # sample a mean from each Beta posterior
        # Beta(α, β) = X / (X + Y) with X ~ Gamma(α), Y ~ Gamma(β).
        x = Gamma(1 + sums, 1.0, validate_args=False).sample()
        y = Gamma(1 + counts - sums, 1.0, validate_args=False).sample()
        return (x / (x + y)).argmax(-1)
    raise ValueError(method)


def cumulative_regret(method, means, steps, runs, eps=0.1):
    """Mean over `runs` of Σ_t (μ* − μ_{a_t}): (steps,) pseudo-regret.

    means: (K,) success probabilities. Each arm is pulled once first.
    """
    K = means.numel()
    counts = torch.zeros(runs, K, dtype=means.dtype, device=means.device)
    sums = torch.zeros_like(counts)
    gap = means.max() - means  # (K,) regret of each arm
    regret = torch.zeros(steps, dtype=means.dtype, device=means.device)
    rows = torch.arange(runs, device=means.device)
    for t in range(steps):
        if t < K:
            arm = torch.full((runs,), t, device=means.device)
        else:
            tt = torch.tensor(float(t), device=means.device)
            arm = choose(method, counts, sums, tt, eps)
        counts[rows, arm] += 1
        sums[rows, arm] += torch.bernoulli(means[arm])
        regret[t] = gap[arm].mean()
    return regret.cumsum(0)


# --8<-- [end:bandits]
