import math

import torch

from snippets.rounds.walkthrough_privacy import (
    clip_and_noise,
    epsilon,
    rdp_subsampled_gaussian,
)

F64 = torch.float64


def exact_gaussian_epsilon(s, delta):
    """Smallest eps with delta(eps) <= delta for the Gaussian mechanism of
    sensitivity 1 and noise s (Balle & Wang, 2018):
    delta(eps) = Phi(-eps s + 1/(2s)) - e^eps Phi(-eps s - 1/(2s)).
    delta(eps) falls as eps grows, so bisection finds it."""
    phi = torch.special.ndtr

    def delta_of(eps):
        e = torch.tensor(eps, dtype=F64)
        return (phi(-e * s + 1 / (2 * s)) - torch.exp(e) * phi(-e * s - 1 / (2 * s))).item()

    lo, hi = 0.0, 100.0
    for _ in range(100):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if delta_of(mid) > delta else (lo, mid)
    return hi


def binomial_rdp(q, sigma, alpha):
    """Integer-order RDP of the subsampled Gaussian in closed form:
    A = sum_k C(a, k) (1-q)^(a-k) q^k exp(k (k - 1) / (2 s^2)),
    rdp = log A / (a - 1), summed in log space."""
    terms = []
    for k in range(alpha + 1):
        t = math.log(math.comb(alpha, k)) + k * (k - 1) / (2 * sigma**2)
        if k < alpha:
            t += (alpha - k) * math.log1p(-q)
        if k > 0:
            t += k * math.log(q)
        terms.append(t)
    m = max(terms)
    log_a = m + math.log(sum(math.exp(t - m) for t in terms))
    return log_a / (alpha - 1)


def test_clipping_bounds_each_client_and_keeps_small_updates(device):
    u = torch.randn(8, 5, device=device, dtype=F64)
    u[0] *= 100  # one huge update
    u[1] *= 1e-3  # one tiny update, below the clip norm
    C = 1.0
    total = clip_and_noise(u, C, sigma=0.0)
    norms = u.norm(dim=1, keepdim=True)
    clipped = u * torch.where(norms > C, C / norms, torch.ones_like(norms))
    torch.testing.assert_close(total, clipped.sum(0), rtol=1e-12, atol=1e-12)
    # Sensitivity: removing any one client moves the sum by <= C.
    for k in range(8):
        rest = clip_and_noise(torch.cat([u[:k], u[k + 1 :]]), C, sigma=0.0)
        assert (total - rest).norm().item() <= C + 1e-12


def test_noise_has_standard_deviation_sigma_C(device):
    # 20000 coordinates of pure noise: the sample std has a standard error
    # of about std / sqrt(2 n) = 0.5 %; allow 5 standard errors (2.5 %).
    g = torch.Generator().manual_seed(1)
    zeros = torch.zeros(3, 20000, device=device, dtype=F64)
    noisy = clip_and_noise(zeros, C=0.5, sigma=2.0, generator=g)
    assert abs(noisy.std().item() / 1.0 - 1) < 0.025
    assert abs(noisy.mean().item()) < 5 * 1.0 / math.sqrt(20000)


def test_full_participation_rdp_is_alpha_over_2_sigma2():
    for sigma in [0.7, 1.0, 3.0]:
        for a in [1.5, 2, 7.0, 32]:
            got = rdp_subsampled_gaussian(1.0, sigma, a)
            assert abs(got - a / (2 * sigma**2)) < 1e-9 * a / sigma**2


def test_integer_orders_match_the_binomial_expansion():
    for q, sigma in [(0.01, 1.0), (0.1, 0.8), (0.3, 2.0), (1e-3, 0.6)]:
        for a in [2, 3, 5, 8, 16, 32]:
            got = rdp_subsampled_gaussian(q, sigma, a)
            ref = binomial_rdp(q, sigma, a)
            # Quadrature in float64: agreement to 1e-9 relative (seen: 3e-11).
            assert abs(got - ref) <= 1e-9 * ref


def test_full_participation_epsilon_against_the_exact_gaussian():
    # q = 1: T rounds compose into one Gaussian mechanism with noise
    # sigma / sqrt(T). RDP is an upper bound, so eps >= exact; and it is
    # loose by a bounded factor (1.07 to 1.10 on these four cases).
    for sigma, steps, delta in [
        (1.0, 1, 1e-5),
        (4.0, 16, 1e-5),
        (10.0, 100, 1e-6),
        (20.0, 25, 1e-5),
    ]:
        eps, _ = epsilon(1.0, sigma, steps, delta)
        exact = exact_gaussian_epsilon(sigma / math.sqrt(steps), delta)
        assert exact <= eps <= 1.2 * exact, (sigma, steps, eps, exact)


def test_subsampled_epsilon_against_independent_integer_orders():
    ints = (2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 48, 64)
    for q, sigma, steps, delta in [
        (0.01, 1.0, 1000, 1e-6),
        (0.004, 1.1, 1500, 1e-6),
        (0.05, 2.0, 200, 1e-5),
    ]:
        ref = min(
            steps * binomial_rdp(q, sigma, a)
            + math.log1p(-1 / a)
            - (math.log(delta) + math.log(a)) / (a - 1)
            for a in ints
        )
        eps_int, _ = epsilon(q, sigma, steps, delta, orders=ints)
        assert abs(eps_int - ref) < 1e-9 * ref
        # Fractional orders can only help.
        assert epsilon(q, sigma, steps, delta)[0] <= eps_int + 1e-12


def test_epsilon_is_monotone_in_steps_rate_and_noise():
    base = dict(q=0.01, sigma=1.0, steps=1000, delta=1e-6)
    e0 = epsilon(**base)[0]
    assert epsilon(**{**base, "steps": 2000})[0] > e0
    assert epsilon(**{**base, "q": 0.02})[0] > e0
    assert epsilon(**{**base, "sigma": 1.5})[0] < e0
    assert epsilon(**{**base, "delta": 1e-8})[0] > e0
    # Subsampling amplifies privacy: far below full participation.
    assert e0 < epsilon(1.0, 1.0, 1000, 1e-6)[0] / 20
