"""KL and Jensen–Shannon divergences: closed forms and discrete versions."""

import math

import torch


# --8<-- [start:kl]
def kl_gaussian(mu_p, var_p, mu_q, var_q):
    """KL(N(mu_p, var_p) || N(mu_q, var_q)) for diagonal Gaussians, (..., D).

    Sums the per-dimension closed form over the last axis -> (...).
    """
    per_dim = 0.5 * (
        (var_p / var_q)
        + (mu_p - mu_q).square() / var_q
        - 1
        + (var_q / var_p).log()
    )
    return per_dim.sum(-1)


def kl_discrete(p, q):
    """KL(p || q) = Σ p log(p / q) over the last axis; 0 log 0 = 0."""
    terms = torch.where(p > 0, p * (p / q).log(), torch.zeros_like(p))
    return terms.sum(-1)


def js_divergence(p, q):
    """Jensen–Shannon: mean KL to the mixture m = (p + q)/2. ≤ log 2."""
    m = 0.5 * (p + q)
    return 0.5 * kl_discrete(p, m) + 0.5 * kl_discrete(q, m)


# --8<-- [end:kl]


# --8<-- [start:modes]
def log_normal(x, mu, s):
    """log N(x; mu, s²) elementwise."""
    return (
        -0.5 * ((x - mu) / s).square() - s.log() - 0.5 * math.log(2 * math.pi)
    )


def fit_gaussian_to_mixture(
    mode="forward", mu0=1.0, steps=300, lr=0.1, device=None
):
    """Fit q = N(mu, s²) to p = ½N(−3, 1) + ½N(3, 1) on a 1-D grid.

    mode="forward" minimises KL(p || q) (mass-covering);
    mode="reverse" minimises KL(q || p) (mode-seeking).
    Returns the fitted (mu, s).
    """
    kw = dict(dtype=torch.float64, device=device)
    x = torch.linspace(-10, 10, 801, **kw)
    dx = x[1] - x[0]
    one = torch.tensor(1.0, **kw)
    log_p = torch.logaddexp(
        log_normal(x, -3.0, one), log_normal(x, 3.0, one)
    ) - math.log(2)
    mu = torch.tensor(mu0, **kw, requires_grad=True)
    log_s = torch.zeros((), **kw, requires_grad=True)
    opt = torch.optim.Adam([mu, log_s], lr=lr)
    for _ in range(steps):
        log_q = log_normal(x, mu, log_s.exp())
        a, b = (log_p, log_q) if mode == "forward" else (log_q, log_p)
        loss = (a.exp() * (a - b)).sum() * dx  # Riemann sum of KL(a || b)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return mu.item(), log_s.exp().item()


# --8<-- [end:modes]
