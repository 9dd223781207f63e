"""Differential privacy for federated training: per-client clipping, the
Gaussian mechanism, and a Renyi-DP accountant for the Poisson-subsampled
Gaussian mechanism (each client joins a round with probability q).
"""

import math

import torch


# --8<-- [start:mechanism]
def clip_and_noise(updates, C, sigma, generator=None):
    """Clip each client's update to L2 norm <= C, sum, add N(0, s^2 C^2).

    updates: (K, P), one row per client. Returns the noisy sum (P,).
    Adding or removing one client moves the clipped sum by at most C,
    so noise of standard deviation sigma * C per coordinate gives
    (epsilon, delta)-DP at the client level. Divide by the expected
    number of clients afterwards to get a mean.
    """
    norms = updates.norm(dim=1, keepdim=True)  # (K, 1)
    factor = (C / norms.clamp_min(1e-12)).clamp(max=1.0)
    total = (updates * factor).sum(0)  # (P,)
    noise = torch.randn(total.shape, generator=generator, dtype=total.dtype).to(
        total.device
    )
    return total + sigma * C * noise


# --8<-- [end:mechanism]


# --8<-- [start:accountant]
# Renyi orders to try; the best order grows as epsilon shrinks.
ORDERS = (1.25, 1.5, 1.75, 2.5, 3.5, *range(2, 17))
ORDERS += (20, 24, 32, 48, 64, 128, 256)


def rdp_subsampled_gaussian(q, sigma, alpha, points_per_sigma=50):
    """Renyi DP of order alpha for one round: sensitivity 1, noise sigma,
    Poisson sampling rate q. Computes D_alpha(mix || N(0, s^2)) with
    mix = (1 - q) N(0, s^2) + q N(1, s^2), by quadrature of
    E_{z ~ N(0, s^2)}[(mix(z) / N(z; 0, s^2))^alpha] in log space.
    """
    # The integrand's mass lies in [0, alpha] plus a few sigma either side.
    lo, hi = -12 * sigma, alpha + 12 * sigma
    n = int((hi - lo) / sigma * points_per_sigma) + 1
    z = torch.linspace(lo, hi, n, dtype=torch.float64)
    log_1mq = torch.full_like(z, math.log1p(-q) if q < 1 else -math.inf)
    # log of mix(z) / N(z; 0, s^2) = log(1 - q + q e^{(2z - 1) / (2 s^2)})
    log_ratio = torch.logaddexp(
        log_1mq, math.log(q) + (2 * z - 1) / (2 * sigma**2)
    )
    log_p0 = -(z**2) / (2 * sigma**2) - math.log(sigma * math.sqrt(2 * math.pi))
    dz = (hi - lo) / (n - 1)
    log_a = torch.logsumexp(log_p0 + alpha * log_ratio, 0) + math.log(dz)
    return log_a.item() / (alpha - 1)


def epsilon(q, sigma, steps, delta, orders=ORDERS):
    """(epsilon, best order) after `steps` rounds. RDP adds up over
    rounds; the conversion to (epsilon, delta) is that of Balle et al.
    (2020): eps = T rdp + log((a-1)/a) - (log delta + log a) / (a - 1).
    """
    best = (math.inf, None)
    for a in orders:
        rdp = steps * rdp_subsampled_gaussian(q, sigma, a)
        eps = (
            rdp + math.log1p(-1 / a) - (math.log(delta) + math.log(a)) / (a - 1)
        )
        best = min(best, (eps, a))
    return best


# --8<-- [end:accountant]
