import math

import torch

from snippets.topics.ml.bias_variance import decompose, fit_predict, simulate, true_function

F64 = torch.float64
DEGREES = (0, 1, 3, 5, 7, 9)
SIGMA, R, M, J, N = 0.3, 200, 200, 50, 30


def test_decomposition_is_an_exact_identity(device):
    for err, b2, var, noise in simulate(DEGREES, device=device).values():
        # Every cross term averages to exactly 0 on the R × M grid; observed
        # |difference| ~ 1e-16 relative, asserted within 1e-6.
        assert abs(err - (b2 + var + noise)).item() <= 1e-6 * err.item()


def test_identity_on_random_tensors(device):
    # The identity is algebra, not statistics: it holds for any numbers.
    pred = torch.randn(7, 5, dtype=F64, device=device)
    y = torch.randn(11, 5, dtype=F64, device=device)
    err, b2, var, noise = decompose(pred, y)
    brute = torch.stack([(yi - pj).square() for yi in y for pj in pred]).mean()
    torch.testing.assert_close(err, brute, atol=1e-12, rtol=0)
    torch.testing.assert_close(b2 + var + noise, brute, atol=1e-12, rtol=0)


def test_noise_matches_known_sigma(device):
    noise = simulate([1], device=device)[1][3].item()
    # Mean of J·M squared deviations with divisor M: expectation σ²(M−1)/M;
    # Var(ε²) = 2σ⁴, so one standard error is σ²√(2/(J·M)) ≈ 0.0013.
    se = SIGMA**2 * math.sqrt(2 / (J * M))
    assert abs(noise - SIGMA**2 * (M - 1) / M) < 5 * se


def test_degree_zero_matches_closed_form(device):
    # Degree 0 predicts the training mean: E[ŷ] = E[sin πx] = 0 for
    # x ~ U[−1, 1], so bias² = mean_j sin²(πx_j); Var(ŷ) = (½ + σ²)/n.
    _, b2, var, _ = simulate([0], device=device)[0]
    x = torch.linspace(-1, 1, J, dtype=F64, device=device)
    bias2_true = true_function(x).square().mean().item()
    # Var's estimate from R = 200 sets has relative sd √(2/R) = 0.1: allow 4 sd.
    var_true = (0.5 + SIGMA**2) / N
    assert abs(var.item() - var_true) < 0.4 * var_true
    # b² sees ȳ's noise (σ²/M = 4.5e-4) and ŷ̄'s spread (var/R ≈ 1e-4).
    assert abs(b2.item() - bias2_true) < 0.01


def test_estimated_bias_agrees_with_true_function(device):
    # Recompute bias² against f itself for a cubic fit; the estimate uses
    # ȳ = f + noise of variance σ²/M, a shift of ≈ 4.5e-4.
    x_tr = 2 * torch.rand(R, N, dtype=F64, device=device) - 1
    y_tr = true_function(x_tr) + SIGMA * torch.randn(R, N, dtype=F64, device=device)
    x_te = torch.linspace(-1, 1, J, dtype=F64, device=device)
    y_te = true_function(x_te) + SIGMA * torch.randn(M, J, dtype=F64, device=device)
    pred = fit_predict(x_tr, y_tr, x_te, 3)
    _, b2, _, _ = decompose(pred, y_te)
    b2_true = (true_function(x_te) - pred.mean(0)).square().mean()
    assert abs(b2 - b2_true).item() < 3e-3


def test_fit_recovers_an_exact_cubic(device):
    # Exact cubic data: the degree-3 fit reproduces it everywhere.
    x = torch.linspace(-1, 1, 9, dtype=F64, device=device)[None]
    y = 1 - 2 * x + 0.5 * x**3
    x_te = torch.tensor([-0.3, 0.25, 0.9], dtype=F64, device=device)
    torch.testing.assert_close(
        fit_predict(x, y, x_te, 3)[0], 1 - 2 * x_te + 0.5 * x_te**3, atol=1e-12, rtol=0
    )


def test_u_shape(device):
    res = simulate(DEGREES, device=device)
    err = torch.stack([res[d][0] for d in DEGREES])
    b2 = torch.stack([res[d][1] for d in DEGREES])
    var = torch.stack([res[d][2] for d in DEGREES])
    best = int(err.argmin())
    assert 0 < best < len(DEGREES) - 1  # interior minimum
    assert b2[0] > 10 * b2[best] and var[-1] > 10 * var[best]
