import math

from snippets.rounds.talk_compute import (
    SECONDS_PER_DAY,
    tokens_per_second_per_gpu,
    tokens_seen,
    training_flops,
    wall_clock_days,
)

# Pure integer and float arithmetic: no tensors, so no device fixture.
A100_BF16 = 312e12  # dense bf16 FLOP/s of one A100


def test_tokens_are_exact_integers():
    # 2048 * 256 = 524,288 tokens per step; * 6000 steps.
    assert tokens_seen(2048, 256, 6000) == 3_145_728_000
    assert tokens_seen(2048, 256, 1) == 2**19


def test_six_n_d_for_the_worked_example():
    d = tokens_seen(2048, 256, 6000)
    # By hand: 6 * 7e9 * 3.145728e9 = 1.32120576e20 (exact in integers).
    assert training_flops(7 * 10**9, d) == 132_120_576 * 10**12
    # The 1B proxy used for ablations: 6 * 1e9 * 3.145728e9.
    assert training_flops(10**9, d) == 18_874_368 * 10**12


def test_wall_clock_days_by_hand():
    flops = 1.32120576e20
    # 8 GPUs * 312e12 * 0.40 = 9.984e14 FLOP/s; 1.3233e5 s = 1.5316 days.
    days = wall_clock_days(flops, 8, A100_BF16, 0.40)
    assert math.isclose(days, 1.32120576e20 / 9.984e14 / 86_400, rel_tol=1e-12)
    assert math.isclose(days, 1.5316, abs_tol=1e-4)
    # Twice the GPUs or twice the MFU halves the time.
    assert math.isclose(wall_clock_days(flops, 16, A100_BF16, 0.40), days / 2)
    assert math.isclose(wall_clock_days(flops, 8, A100_BF16, 0.80), days / 2)


def test_throughput_is_consistent_with_the_wall_clock():
    n, d, gpus, mfu = 7e9, 3_145_728_000, 8, 0.40
    per_gpu = tokens_per_second_per_gpu(n, A100_BF16, mfu)
    assert math.isclose(per_gpu, 2971.43, abs_tol=0.01)  # 124.8e12 / 4.2e10
    seconds = wall_clock_days(training_flops(n, d), gpus, A100_BF16, mfu)
    seconds *= SECONDS_PER_DAY
    assert math.isclose(d / seconds / gpus, per_gpu, rel_tol=1e-12)
