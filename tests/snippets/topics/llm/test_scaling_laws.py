import math

import pytest
import torch

from snippets.topics.llm.scaling_laws import (
    chinchilla_optimal,
    fit_power_law,
    parametric_optimal,
    training_flops,
)


def test_six_nd_hand_counted_for_a_linear_layer():
    # y = x W^T with x: (D, n_in), W: (n_out, n_in). Multiply-adds:
    # forward x W^T, backward dy W (input grad) and dy^T x (weight grad),
    # each D · n_in · n_out; 2 FLOPs per multiply-add.
    D, n_in, n_out = 50, 32, 64
    macs = 3 * D * n_in * n_out
    assert training_flops(n_in * n_out, D) == 2 * macs


def test_gpt3_training_compute():
    # GPT-3: 175B parameters, 300B tokens -> 3.15e23 FLOPs (~3640 PF-days).
    C = training_flops(175e9, 300e9)
    assert math.isclose(C, 3.15e23, rel_tol=1e-12)
    assert round(C / (1e15 * 86400)) == 3646


def test_chinchilla_hand_values():
    # Chinchilla itself: 70B parameters on 1.4T tokens, C = 5.88e23.
    C = training_flops(70e9, 1.4e12)
    assert math.isclose(C, 5.88e23, rel_tol=1e-12)
    N, D = chinchilla_optimal(C)
    assert math.isclose(N, 70e9, rel_tol=1e-12) and math.isclose(D, 1.4e12, rel_tol=1e-12)
    # C = 1e23: N = sqrt(1e23 / 120) = 2.89e10, D = 5.77e11.
    N, D = chinchilla_optimal(1e23)
    assert math.isclose(N, 2.8868e10, rel_tol=1e-4) and math.isclose(D / N, 20.0)
    # 10x more compute: both grow by sqrt(10).
    N10, D10 = chinchilla_optimal(1e24)
    assert math.isclose(N10 / N, math.sqrt(10)) and math.isclose(D10 / D, math.sqrt(10))


@pytest.mark.parametrize("C", [1e20, 1e23, 1e25])
def test_parametric_optimum_minimises_loss_on_the_iso_flop_curve(C):
    E, A, B, a, b = 1.69, 406.4, 410.7, 0.34, 0.28
    N_opt, D_opt = parametric_optimal(C)
    assert math.isclose(training_flops(N_opt, D_opt), C, rel_tol=1e-12)
    N = torch.logspace(6, 14, 80001, dtype=torch.float64)  # 1e-4 decades apart
    loss = E + A / N**a + B / (C / (6 * N)) ** b
    best = N[loss.argmin()].item()
    assert abs(math.log10(best / N_opt)) < 2e-4  # within two grid steps


def test_fit_recovers_the_exponent_with_known_and_unknown_E():
    E, A, alpha = 1.7, 400.0, 0.34
    N = torch.logspace(6, 10, 12, dtype=torch.float64)
    L = E + A / N**alpha
    e, a, al = fit_power_law(N, L, E=E)
    assert abs(al - alpha) < 1e-12 and abs(a - A) < 1e-9
    e, a, al = fit_power_law(N, L)
    assert abs(e - E) < 1e-6 and abs(al - alpha) < 1e-5


def test_fit_with_noise_is_close():
    # 1% multiplicative noise on L - E over 4 decades: the slope of a
    # 20-point log-log regression has s.e. about 0.01 / (sd(log N) sqrt(20))
    # = 0.0019; we allow 5 s.e. = 0.01.
    g = torch.Generator().manual_seed(0)
    E, A, alpha = 1.7, 400.0, 0.34
    N = torch.logspace(6, 10, 20, dtype=torch.float64)
    noise = 1 + 0.01 * torch.randn(20, generator=g, dtype=torch.float64)
    L = E + A / N**alpha * noise
    _, _, al = fit_power_law(N, L, E=E)
    assert abs(al - alpha) < 0.01
