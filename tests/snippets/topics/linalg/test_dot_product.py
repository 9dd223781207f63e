import math

import torch
import torch.nn.functional as F

from snippets.topics.linalg.dot_product import (
    cosine_similarity,
    project,
    similarity_matrix,
)

F64 = torch.float64


def test_projection_residual_is_orthogonal_and_idempotent(device):
    x = torch.randn(8, 5, dtype=F64, device=device)
    u = torch.randn(8, 5, dtype=F64, device=device)
    p = project(x, u)
    zero = torch.zeros(8, dtype=F64, device=device)
    torch.testing.assert_close(((x - p) * u).sum(-1), zero, atol=1e-12, rtol=0)
    torch.testing.assert_close(project(p, u), p, atol=1e-12, rtol=0)
    # Same as the matrix form u uᵀ x / uᵀu for one pair.
    P = torch.outer(u[0], u[0]) / (u[0] @ u[0])
    torch.testing.assert_close(p[0], P @ x[0], atol=1e-12, rtol=0)


def test_projection_by_hand(device):
    # (3, 4) onto the x-axis is (3, 0); onto (1, 1) it is 3.5·(1, 1).
    x = torch.tensor([3.0, 4.0], dtype=F64, device=device)
    e1 = torch.tensor([2.0, 0.0], dtype=F64, device=device)
    ones = torch.ones(2, dtype=F64, device=device)
    torch.testing.assert_close(project(x, e1), torch.tensor([3.0, 0.0], dtype=F64, device=device))
    torch.testing.assert_close(project(x, ones), 3.5 * ones)


def test_cosine_matches_torch_and_handles_zero(device):
    a = torch.randn(16, 7, dtype=F64, device=device)
    b = torch.randn(16, 7, dtype=F64, device=device)
    torch.testing.assert_close(
        cosine_similarity(a, b), F.cosine_similarity(a, b, dim=-1), atol=1e-12, rtol=0
    )
    z = torch.zeros(7, dtype=F64, device=device)
    assert cosine_similarity(z, b[0]).item() == 0.0
    # Hand case: 45 degrees.
    c = cosine_similarity(
        torch.tensor([1.0, 0.0], device=device), torch.tensor([1.0, 1.0], device=device)
    )
    assert abs(c.item() - 1 / math.sqrt(2)) < 1e-7


def test_cauchy_schwarz_with_equality_only_when_parallel(device):
    a = torch.randn(1000, 6, dtype=F64, device=device)
    b = torch.randn(1000, 6, dtype=F64, device=device)
    lhs = (a * b).sum(-1).abs()
    rhs = a.norm(dim=-1) * b.norm(dim=-1)
    assert (lhs <= rhs * (1 + 1e-12)).all()
    c = -2.5 * a  # parallel: equality, cosine −1
    torch.testing.assert_close((a * c).sum(-1).abs(), a.norm(dim=-1) * c.norm(dim=-1))
    torch.testing.assert_close(cosine_similarity(a, c), -torch.ones(1000, dtype=F64, device=device))


def test_similarity_matrix_matches_pairwise(device):
    X = torch.randn(4, 9, dtype=F64, device=device)
    Y = torch.randn(6, 9, dtype=F64, device=device)
    ref = F.cosine_similarity(X[:, None, :], Y[None, :, :], dim=-1)
    torch.testing.assert_close(similarity_matrix(X, Y), ref, atol=1e-12, rtol=0)


def test_random_dot_product_variance_grows_with_dimension(device):
    # q·k of independent unit-variance vectors has variance d; after
    # dividing by √d it is 1 (the attention scaling). 20 000 samples:
    # the sample variance has relative standard error √(2/n) ≈ 1 %
    # (a little more for this heavier-tailed product), so 8 % is > 5 SE.
    g = torch.Generator(device=device).manual_seed(1)
    for d in (16, 256):
        q = torch.randn(20000, d, device=device, generator=g)
        k = torch.randn(20000, d, device=device, generator=g)
        s = (q * k).sum(-1)
        assert abs(s.var().item() / d - 1) < 0.08
        assert abs((s / math.sqrt(d)).var().item() - 1) < 0.08
