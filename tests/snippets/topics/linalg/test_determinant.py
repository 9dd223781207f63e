import pytest
import torch

from snippets.topics.linalg.determinant import det, lu, slogdet

F64 = torch.float64


@pytest.mark.parametrize("N", [1, 2, 5, 8])
def test_matches_torch_det_and_slogdet(N, device):
    A = torch.randn(N, N, dtype=F64, device=device)
    torch.testing.assert_close(det(A), torch.linalg.det(A), atol=0, rtol=1e-10)
    sign, logabs = slogdet(A)
    ref = torch.linalg.slogdet(A)
    assert sign.item() == ref.sign.item()
    torch.testing.assert_close(logabs, ref.logabsdet, atol=1e-10, rtol=0)


def test_lu_factors_match_torch(device):
    A = torch.randn(6, 6, dtype=F64, device=device)
    perm, L, U, _ = lu(A)
    torch.testing.assert_close(A[perm], L @ U, atol=1e-12, rtol=0)
    _, Lt, Ut = torch.linalg.lu(A)  # A = P L U
    torch.testing.assert_close(L, Lt, atol=1e-12, rtol=0)
    torch.testing.assert_close(U, Ut, atol=1e-12, rtol=0)
    assert (L.abs() <= 1 + 1e-15).all()  # partial pivoting bounds multipliers


def test_pivoting_is_needed_by_hand(device):
    # [[0, 1], [1, 0]] has a zero first pivot: one swap, det = −1.
    A = torch.tensor([[0.0, 1.0], [1.0, 0.0]], dtype=F64, device=device)
    assert det(A).item() == -1.0
    # [[2, 1], [4, 3]]: swap, pivots 4 and 1 − 3/2 = −0.5, det = −(4·−0.5) = 2.
    B = torch.tensor([[2.0, 1.0], [4.0, 3.0]], dtype=F64, device=device)
    assert det(B).item() == 2.0
    # Singular: third row = first + second.
    C = torch.tensor([[1.0, 2, 3], [4, 5, 6], [5, 7, 9]], dtype=F64, device=device)
    assert abs(det(C).item()) < 1e-12


def test_product_transpose_inverse_and_scaling(device):
    A = torch.randn(5, 5, dtype=F64, device=device)
    B = torch.randn(5, 5, dtype=F64, device=device)
    tol = dict(atol=0, rtol=1e-10)
    torch.testing.assert_close(det(A @ B), det(A) * det(B), **tol)
    torch.testing.assert_close(det(A.T), det(A), **tol)
    torch.testing.assert_close(det(torch.linalg.inv(A)), 1 / det(A), **tol)
    torch.testing.assert_close(det(3 * A), 3**5 * det(A), **tol)  # det(cA) = cᴺ det A


def test_determinant_is_the_volume_scale(device):
    # The triangle (0,0), (1,0), (0,1) of area ½ maps under A to a
    # triangle of area ½|det A| (shoelace formula).
    A = torch.tensor([[2.0, 1.0], [-1.0, 3.0]], dtype=F64, device=device)  # det 7
    (x1, y1), (x2, y2) = (A @ torch.eye(2, dtype=F64, device=device)).T
    area = 0.5 * abs(x1 * y2 - x2 * y1)
    assert area.item() == 3.5 == 0.5 * abs(det(A).item())
    # Monte Carlo: the fraction of a box [−4, 4]² that lands in A·[0,1]²
    # is |det A| / 64. 200 000 points: standard error √(p(1−p)/n) ≈ 7e-4
    # on p ≈ 0.11, so 4e-3 is more than 5 standard errors.
    g = torch.Generator(device=device).manual_seed(0)
    y = (torch.rand(200000, 2, dtype=F64, device=device, generator=g) - 0.5) * 8
    x = torch.linalg.solve(A, y.T).T  # preimages
    inside = ((x >= 0) & (x <= 1)).all(dim=1).double().mean()
    assert abs(inside.item() - 7 / 64) < 4e-3


def test_logdet_survives_where_det_overflows(device):
    A = 10 * torch.eye(400, dtype=F64, device=device)  # det = 1e400: inf
    assert torch.isinf(det(A))
    sign, logabs = slogdet(A)
    assert sign.item() == 1
    torch.testing.assert_close(
        logabs, torch.tensor(400 * 2.302585092994046, dtype=F64, device=device)
    )
