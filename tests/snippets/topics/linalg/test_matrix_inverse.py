import pytest
import torch

from snippets.topics.linalg.least_squares import ill_conditioned
from snippets.topics.linalg.matrix_inverse import gauss_jordan_inverse, sherman_morrison

F64 = torch.float64
EPS = torch.finfo(F64).eps


@pytest.mark.parametrize("N", [1, 3, 8])
def test_gauss_jordan_matches_torch_inv(N, device):
    A = torch.randn(N, N, dtype=F64, device=device)
    inv = gauss_jordan_inverse(A)
    torch.testing.assert_close(inv, torch.linalg.inv(A), atol=1e-10, rtol=1e-10)
    eye = torch.eye(N, dtype=F64, device=device)
    torch.testing.assert_close(A @ inv, eye, atol=1e-12, rtol=0)
    torch.testing.assert_close(inv @ A, eye, atol=1e-12, rtol=0)


def test_hand_worked_and_singular(device):
    # [[0, 2], [1, 1]] needs a pivot swap; inverse = [[−½, 1], [½, 0]].
    A = torch.tensor([[0.0, 2.0], [1.0, 1.0]], dtype=F64, device=device)
    expected = torch.tensor([[-0.5, 1.0], [0.5, 0.0]], dtype=F64, device=device)
    torch.testing.assert_close(gauss_jordan_inverse(A), expected, atol=0, rtol=0)
    with pytest.raises(ValueError):
        gauss_jordan_inverse(torch.tensor([[1.0, 2.0], [2.0, 4.0]], dtype=F64, device=device))


def residual(A, b, xh):
    return ((A @ xh - b).norm() / (torch.linalg.matrix_norm(A, 2) * xh.norm())).item()


def test_solve_has_smaller_residual_and_error_than_inverting(device):
    # b = Ax with κ(A) = 1e10. LU solve is backward stable: the relative
    # residual ‖Ax̂ − b‖/(‖A‖‖x̂‖) stays at ~ε whatever κ. Multiplying by
    # an inverse has residual ~κε. Observed, 5 matrices: solve ≤ 1e-16,
    # inverse ≥ 3e-9 (torch) and ≥ 1e-9 (ours).
    kappa = 1e10
    for _ in range(5):
        A = ill_conditioned(20, 20, kappa, device=device)
        x = torch.randn(20, dtype=F64, device=device)
        b = A @ x

        xs = torch.linalg.solve(A, b)
        assert residual(A, b, xs) < 10 * EPS
        for inv in (torch.linalg.inv(A), gauss_jordan_inverse(A)):
            xi = inv @ b
            assert residual(A, b, xi) > 1e4 * residual(A, b, xs)
            # Forward error: both obey the κε bound, up to a modest factor.
            assert ((xi - x).norm() / x.norm()).item() < 100 * kappa * EPS
        assert ((xs - x).norm() / x.norm()).item() < 10 * kappa * EPS


def test_sherman_morrison_matches_direct_inverse(device):
    A = torch.randn(6, 6, dtype=F64, device=device) + 6 * torch.eye(6, dtype=F64, device=device)
    u = torch.randn(6, dtype=F64, device=device)
    v = torch.randn(6, dtype=F64, device=device)
    updated = sherman_morrison(torch.linalg.inv(A), u, v)
    torch.testing.assert_close(
        updated, torch.linalg.inv(A + torch.outer(u, v)), atol=1e-12, rtol=1e-10
    )


def test_sherman_morrison_by_hand(device):
    # (I + e₁e₁ᵀ)⁻¹ = diag(½, 1, 1): denominator 1 + 1 = 2.
    eye = torch.eye(3, dtype=F64, device=device)
    e1 = eye[0]
    expected = torch.diag(torch.tensor([0.5, 1.0, 1.0], dtype=F64, device=device))
    torch.testing.assert_close(sherman_morrison(eye, e1, e1), expected, atol=0, rtol=0)
