import math

import pytest
import torch

from snippets.topics.distributed.numerical_precision import (
    kahan_sum,
    log_softmax,
    logsumexp,
    machine_epsilon,
    naive_logsumexp,
    naive_sum,
    pairwise_sum,
    softmax,
    variance_one_pass,
    variance_two_pass,
)

EPS32 = torch.finfo(torch.float32).eps


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.float32, torch.float64])
def test_machine_epsilon_matches_finfo(dtype):
    assert machine_epsilon(dtype) == torch.finfo(dtype).eps  # a power of 2


@pytest.mark.parametrize("shift", [0.0, 1000.0, -1000.0])
def test_stable_logsumexp_and_softmax_match_torch(shift, device):
    x = torch.randn(4, 10, device=device) * 3 + shift  # float32 logits
    torch.testing.assert_close(logsumexp(x), torch.logsumexp(x, -1))
    torch.testing.assert_close(log_softmax(x), torch.log_softmax(x, -1))
    torch.testing.assert_close(softmax(x), torch.softmax(x, -1))
    assert torch.isfinite(logsumexp(x)).all()


def test_naive_logsumexp_overflows_and_underflows(device):
    big = torch.randn(4, 10, device=device) + 1000  # exp(1000) > 3.4e38
    assert torch.isinf(naive_logsumexp(big)).all()
    small = big - 2000  # exp(-1000) underflows to 0, log(0) = -inf
    assert (naive_logsumexp(small) == -math.inf).all()
    # where it does not overflow, the two agree (float32 tolerance)
    x = torch.randn(4, 10, device=device)
    torch.testing.assert_close(naive_logsumexp(x), logsumexp(x))


def test_logsumexp_of_all_minus_inf_is_minus_inf(device):
    x = torch.full((2, 5), -math.inf, device=device)  # fully masked row
    assert (logsumexp(x) == -math.inf).all()
    assert (torch.logsumexp(x, -1) == -math.inf).all()


def test_kahan_and_pairwise_beat_naive_float32_summation(device):
    x = torch.rand(4096, 64, device=device)  # 64 sums of 4096 terms
    exact = x.double().sum(0)  # the same float32 inputs, summed in float64

    def rel_err(s):
        return ((s.double() - exact).abs() / exact).cpu()

    naive, kahan = rel_err(naive_sum(x)), rel_err(kahan_sum(x))
    pair = rel_err(pairwise_sum(x))
    # Kahan: |error| ≤ 2ε Σ|x| + O(nε²); observed ≈ ε/2 (correct rounding).
    assert kahan.max() <= EPS32
    # Pairwise: O(ε log2 n) = 12 ε at most here.
    assert pair.max() <= 12 * EPS32
    # Naive: O(ε n) worst case; on average ≈ 30× Kahan's error here.
    assert naive.mean() > 10 * kahan.mean()
    assert naive.max() > 8 * EPS32


def test_bf16_accumulator_stalls_fp32_accumulator_does_not(device):
    ones = torch.ones(1000, 1, dtype=torch.bfloat16, device=device)
    # Above 256 the bf16 spacing is 2: 256 + 1 rounds back to 256.
    assert naive_sum(ones).item() == 256.0
    assert naive_sum(ones.float()).item() == 1000.0
    # torch.sum accumulates bf16 inputs in float32, then rounds once.
    assert ones.sum(0).item() == 1000.0


def test_one_pass_variance_cancels_two_pass_does_not(device):
    x = 1e4 + torch.randn(1000, 4, device=device)  # mean 1e4, variance 1
    exact = x.double().var(0, unbiased=False)
    one, two = variance_one_pass(x).double(), variance_two_pass(x).double()
    # E[x²] ≈ 1e8 has float32 spacing 8: the variance of 1 is lost.
    assert ((one - exact).abs() / exact).max() > 0.5
    assert ((two - exact).abs() / exact).max() < 1e-3
