import torch

from snippets.topics.linalg.linear_independence import (
    dependency,
    gram_determinant,
    independent,
)

F64 = torch.float64


def test_independence_by_rank(device):
    V = torch.randn(5, 3, dtype=F64, device=device)
    assert independent(V)
    assert dependency(V) is None
    # Third column = 2·first − second: dependent, with coefficients
    # ∝ (2, −1, −1).
    W = torch.cat([V[:, :2], (2 * V[:, 0] - V[:, 1])[:, None]], dim=1)
    assert not independent(W)
    c = dependency(W)
    torch.testing.assert_close(W @ c, torch.zeros(5, dtype=F64, device=device), atol=1e-12, rtol=0)
    ref = torch.tensor([2.0, -1.0, -1.0], dtype=F64, device=device) / 6**0.5
    assert abs(abs(c @ ref).item() - 1) < 1e-12
    # More vectors than dimensions are always dependent.
    assert not independent(torch.randn(3, 4, dtype=F64, device=device))
    assert torch.linalg.matrix_rank(W).item() == 2


def test_gram_determinant_matches_det_of_gram_matrix(device):
    V = torch.randn(6, 4, dtype=F64, device=device)
    torch.testing.assert_close(gram_determinant(V), torch.linalg.det(V.T @ V), atol=0, rtol=1e-10)
    W = V.clone()
    W[:, 3] = V[:, 0] + 3 * V[:, 2]
    assert gram_determinant(W).item() < 1e-20 * gram_determinant(V).item()
    assert gram_determinant(torch.randn(2, 3, dtype=F64, device=device)).item() == 0


def test_gram_determinant_is_squared_area(device):
    # Two vectors in 3-D span a parallelogram of area ‖a × b‖.
    a = torch.tensor([1.0, 2.0, 0.0], dtype=F64, device=device)
    b = torch.tensor([0.0, 1.0, 3.0], dtype=F64, device=device)
    area = torch.linalg.cross(a, b).norm()  # ‖(6, −3, 1)‖ = √46
    torch.testing.assert_close(gram_determinant(torch.stack([a, b], 1)), area.square())
    torch.testing.assert_close(area.square(), torch.tensor(46.0, dtype=F64, device=device))
    # Square case: det(VᵀV) = det(V)².
    S = torch.randn(4, 4, dtype=F64, device=device)
    torch.testing.assert_close(gram_determinant(S), torch.linalg.det(S) ** 2, atol=0, rtol=1e-10)
