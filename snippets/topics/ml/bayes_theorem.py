"""Bayes' theorem on a diagnostic test: why rare conditions mislead."""

import torch


# --8<-- [start:bayes]
def posterior_positive(prevalence, sensitivity, specificity):
    """P(condition | positive test) by Bayes' theorem.

    prevalence = P(D), sensitivity = P(+ | D), specificity = P(− | not D).
    Works elementwise on tensors or on plain floats.
    """
    true_pos = sensitivity * prevalence  # P(+, D)
    false_pos = (1 - specificity) * (1 - prevalence)  # P(+, not D)
    return true_pos / (true_pos + false_pos)


def simulate_positive_rate(
    prevalence, sensitivity, specificity, n, generator=None, device=None
):
    """Monte Carlo estimate of P(D | +) from n simulated patients."""
    kw = dict(generator=generator, device=device, dtype=torch.float64)
    sick = torch.rand(n, **kw) < prevalence
    u = torch.rand(n, **kw)
    positive = torch.where(sick, u < sensitivity, u >= specificity)
    return sick[positive].double().mean(), positive.sum()


# --8<-- [end:bayes]
