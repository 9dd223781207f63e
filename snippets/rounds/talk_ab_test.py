"""A/B test arithmetic: sample size per arm, and the cost of peeking.

Two-proportion z-test. Planning: how many users per arm detect a lift
from p1 to p2 with false-positive rate alpha and power 1 - beta.
Running: testing after every batch and stopping at the first p < alpha
raises the false-positive rate far above alpha; a boundary that is
strict early (O'Brien-Fleming) or split across looks (Bonferroni) keeps
it at alpha.
"""

import math

import torch
from torch.special import ndtr, ndtri


def z_quantile(p):
    """Standard normal quantile of a probability p, as a float."""
    return ndtri(torch.tensor(p, dtype=torch.float64)).item()


# --8<-- [start:sample_size]
def sample_size_per_arm(p1, p2, alpha=0.05, power=0.8):
    """Users per arm for a two-sided two-proportion z-test.

    The null spread uses the pooled rate p = (p1 + p2) / 2; the power
    term uses the two rates under the alternative:
        n = (z_{1-a/2} sqrt(2 p q) + z_{power} sqrt(p1 q1 + p2 q2))^2
            / (p2 - p1)^2
    """
    p = (p1 + p2) / 2
    z_a, z_b = z_quantile(1 - alpha / 2), z_quantile(power)
    spread = z_a * math.sqrt(2 * p * (1 - p)) + z_b * math.sqrt(
        p1 * (1 - p1) + p2 * (1 - p2)
    )
    return math.ceil(spread**2 / (p2 - p1) ** 2)


def z_statistic(x1, n1, x2, n2):
    """Pooled two-proportion z: successes x out of n per arm (tensors)."""
    p = (x1 + x2) / (n1 + n2)
    se = torch.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    return (x2 / n2 - x1 / n1) / se


def p_value(z):
    """Two-sided p-value of a standard-normal statistic."""
    return 2 * ndtr(-z.abs())


# --8<-- [end:sample_size]


# --8<-- [start:peeking]
def simulate_looks(
    p1, p2, batch, looks, n_experiments, generator=None, device=None
):
    """z at every look of many experiments: (n_experiments, looks).

    Each look adds `batch` users per arm; conversions are binomial.
    """
    shape = (n_experiments, looks)
    n = torch.full(shape, float(batch), dtype=torch.float64, device=device)
    x1 = torch.binomial(n, torch.full_like(n, p1), generator=generator)
    x2 = torch.binomial(n, torch.full_like(n, p2), generator=generator)
    seen = batch * torch.arange(1, looks + 1, device=device)  # (looks,)
    return z_statistic(x1.cumsum(1), seen, x2.cumsum(1), seen)


def rejection_rate(z, boundary):
    """Fraction of experiments whose |z| ever reaches the boundary.

    z: (E, L); boundary: (L,) critical values of |z| at each look.
    """
    return (z.abs() >= boundary).any(dim=1).double().mean().item()


def naive_boundary(looks, alpha=0.05, device=None):
    """The same fixed-sample critical value at every look (peeking)."""
    z = z_quantile(1 - alpha / 2)
    return torch.full((looks,), z, dtype=torch.float64, device=device)


def bonferroni_boundary(looks, alpha=0.05, device=None):
    """Spend alpha / L at each look: at most alpha by the union bound."""
    z = z_quantile(1 - alpha / (2 * looks))
    return torch.full((looks,), z, dtype=torch.float64, device=device)


def obrien_fleming_boundary(
    looks, alpha=0.05, n_sim=400_000, generator=None, device=None
):
    """Critical values c sqrt(L / l), c calibrated by simulation.

    Under the null the z at look l is S_l / sqrt(l), S a sum of l
    standard normals, so |z_l| >= c sqrt(L / l) iff |S_l| >= c sqrt(L):
    c is the (1 - alpha) quantile of max_l |S_l| / sqrt(L).
    """
    s = torch.randn(
        n_sim, looks, generator=generator, dtype=torch.float64, device=device
    ).cumsum(1)
    c = torch.quantile(s.abs().amax(1) / math.sqrt(looks), 1 - alpha)
    ratio = looks / torch.arange(1, looks + 1, dtype=s.dtype, device=device)
    return c * ratio.sqrt()  # (looks,)


# --8<-- [end:peeking]
