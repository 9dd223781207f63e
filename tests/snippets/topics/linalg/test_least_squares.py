import math

import pytest
import torch

from snippets.topics.linalg.least_squares import (
    condition_number,
    ill_conditioned,
    lstsq_normal,
    lstsq_qr,
    pinv,
)

F64 = torch.float64


# Rank and null space are tested with their homes, test_rank_and_span.py
# and test_null_space_and_image.py.


@pytest.mark.parametrize("shape", [(6, 4), (4, 6)])
def test_pinv_moore_penrose_conditions_and_torch(shape, device):
    M, N = shape
    A = torch.randn(M, 3, dtype=F64, device=device) @ torch.randn(
        3, N, dtype=F64, device=device
    )  # rank 3
    P = pinv(A)
    tol = dict(atol=1e-10, rtol=0)
    torch.testing.assert_close(A @ P @ A, A, **tol)
    torch.testing.assert_close(P @ A @ P, P, **tol)
    torch.testing.assert_close((A @ P).T, A @ P, **tol)
    torch.testing.assert_close((P @ A).T, P @ A, **tol)
    torch.testing.assert_close(P, torch.linalg.pinv(A), **tol)


def test_pinv_of_diagonal_by_hand(device):
    A = torch.diag(torch.tensor([2.0, 0.5, 0.0], dtype=F64, device=device))
    expected = torch.diag(torch.tensor([0.5, 2.0, 0.0], dtype=F64, device=device))
    torch.testing.assert_close(pinv(A), expected, atol=0, rtol=0)


def test_least_squares_agree_with_lstsq_and_pinv(device):
    A = torch.randn(30, 5, dtype=F64, device=device)
    b = torch.randn(30, dtype=F64, device=device)
    ref = torch.linalg.lstsq(A.cpu(), b.cpu()[:, None]).solution.squeeze(-1).to(device)
    for x in (lstsq_qr(A, b), lstsq_normal(A, b), pinv(A) @ b):
        torch.testing.assert_close(x, ref, atol=1e-12, rtol=1e-10)
    # Optimality: the residual is orthogonal to the column space.
    r = A @ lstsq_qr(A, b) - b
    assert (A.T @ r).abs().max().item() < 1e-12


def test_condition_number_is_squared_by_normal_equations(device):
    A = ill_conditioned(20, 5, 1e3, device=device)
    torch.testing.assert_close(condition_number(A), torch.linalg.cond(A), rtol=1e-6, atol=0)
    torch.testing.assert_close(
        condition_number(A.T @ A), condition_number(A) ** 2, rtol=1e-6, atol=0
    )


def test_normal_equations_lose_accuracy_like_kappa_squared(device):
    # Consistent systems b = Ax in float64. Backward-stable QR has relative
    # error ~ κε, the normal equations ~ κ²ε. Fit the slope of log10(error)
    # against log10(κ) over four decades, each point the mean of 4 matrices.
    # Observed slopes over 5 seeds: QR 0.88–0.97, normal 1.89–2.05.
    kappas = [1e2, 1e3, 1e4, 1e5, 1e6]
    log_err = {"qr": [], "normal": []}
    for kappa in kappas:
        errs = {"qr": [], "normal": []}
        for _ in range(4):
            A = ill_conditioned(40, 8, kappa, device=device)
            x = torch.randn(8, dtype=F64, device=device)
            b = A @ x
            for name, solve in (("qr", lstsq_qr), ("normal", lstsq_normal)):
                errs[name].append(math.log10(((solve(A, b) - x).norm() / x.norm()).item()))
        for name in errs:
            log_err[name].append(sum(errs[name]) / 4)
    lk = torch.tensor(kappas, dtype=F64).log10()
    lk = lk - lk.mean()

    def slope(ys):
        ys = torch.tensor(ys, dtype=F64)
        return ((lk * (ys - ys.mean())).sum() / lk.square().sum()).item()

    assert 0.7 < slope(log_err["qr"]) < 1.3
    assert 1.7 < slope(log_err["normal"]) < 2.3
    # At κ = 1e6 the normal equations lose ~12 digits, QR only ~6.
    eps = torch.finfo(F64).eps
    assert 10 ** log_err["normal"][-1] > 1e-3 * 1e12 * eps
    assert 10 ** log_err["qr"][-1] < 10 * 1e6 * eps
