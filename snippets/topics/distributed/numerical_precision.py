"""Floating-point pitfalls, measured: machine epsilon, log-sum-exp and a
stable softmax, compensated (Kahan) and pairwise summation, cancellation."""

import torch


# --8<-- [start:epsilon]
def machine_epsilon(dtype):
    """The gap between 1 and the next float of dtype, found by halving."""
    one = torch.tensor(1.0, dtype=dtype)
    eps = torch.tensor(1.0, dtype=dtype)
    while one + eps / 2 != one:  # stop when 1 + eps/2 rounds back to 1
        eps = eps / 2
    return eps.item()


# --8<-- [end:epsilon]


# --8<-- [start:lse]
def naive_logsumexp(x, dim=-1):
    return x.exp().sum(dim).log()  # exp(89) is inf in float32


def logsumexp(x, dim=-1):
    """log Σ exp(x) = m + log Σ exp(x - m), m = max x: every exponent is
    ≤ 0, and the largest term is exactly 1, so the sum is in [1, n]."""
    m = x.amax(dim, keepdim=True)
    m = torch.where(torch.isfinite(m), m, torch.zeros_like(m))  # all -inf
    return (m + (x - m).exp().sum(dim, keepdim=True).log()).squeeze(dim)


def log_softmax(x, dim=-1):
    # (x - m) - log Σ exp(x - m), not x - logsumexp(x): with logits near
    # 1000 the latter subtracts two numbers whose float32 spacing is 6e-5.
    z = x - x.amax(dim, keepdim=True)
    return z - z.exp().sum(dim, keepdim=True).log()


def softmax(x, dim=-1):
    return log_softmax(x, dim).exp()


# --8<-- [end:lse]


# --8<-- [start:sums]
def naive_sum(x):
    """Sum over dim 0, one element at a time, in x's dtype: (n, k) -> (k,)."""
    s = torch.zeros_like(x[0])
    for row in x:
        s = s + row
    return s


def kahan_sum(x):
    """Compensated summation: c carries the low-order bits that s + row
    rounded away and feeds them back into the next addition."""
    s, c = torch.zeros_like(x[0]), torch.zeros_like(x[0])
    for row in x:
        y = row - c
        t = s + y
        c = (t - s) - y  # (t - s) is what was really added; minus y: error
        s = t
    return s


def pairwise_sum(x):
    """Add neighbours level by level (a balanced tree): error grows like
    log2(n) instead of n. n must be a power of 2."""
    while x.size(0) > 1:
        x = x[0::2] + x[1::2]
    return x[0]


def variance_one_pass(x):
    return (x * x).mean(0) - x.mean(0) ** 2  # difference of huge numbers


def variance_two_pass(x):
    return ((x - x.mean(0)) ** 2).mean(0)  # subtract first, then square


# --8<-- [end:sums]
