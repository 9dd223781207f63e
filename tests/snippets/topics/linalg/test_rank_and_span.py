import pytest
import torch
from torch import nn

from snippets.topics.linalg.rank_and_span import in_span, low_rank_factors, rank
from snippets.topics.llm.lora import LoRALinear

F64 = torch.float64


def test_rank_by_hand(device):
    u = torch.tensor([1.0, 2.0, 3.0], dtype=F64, device=device)
    v = torch.tensor([4.0, 5.0], dtype=F64, device=device)
    assert rank(torch.outer(u, v)) == 1
    assert rank(torch.eye(5, dtype=F64, device=device)) == 5
    assert rank(torch.zeros(3, 4, dtype=F64, device=device)) == 0
    # Column 2 = column 0 + column 1 and column 3 = 2·column 0.
    A = torch.tensor(
        [[1.0, 0.0, 1.0, 2.0], [0.0, 1.0, 1.0, 0.0], [1.0, 1.0, 2.0, 2.0]],
        dtype=F64,
        device=device,
    )
    assert rank(A) == 2 == torch.linalg.matrix_rank(A).item()


@pytest.mark.parametrize("shape", [(6, 4), (4, 6), (5, 5)])
def test_rank_matches_torch_on_random_low_rank(shape, device):
    M, N = shape
    for r in range(min(M, N) + 1):
        A = torch.randn(M, r, dtype=F64, device=device) @ torch.randn(
            r, N, dtype=F64, device=device
        )
        assert rank(A) == r == torch.linalg.matrix_rank(A).item()


def test_tolerance_decides_the_numerical_rank(device):
    # Singular values 1, 1e-3, 1e-6, 1e-9, 1e-12: every cut-off between two
    # of them gives a different rank, the same as torch's rtol.
    U, _ = torch.linalg.qr(torch.randn(8, 5, dtype=F64, device=device))
    V, _ = torch.linalg.qr(torch.randn(5, 5, dtype=F64, device=device))
    A = (U * torch.logspace(0, -12, 5, dtype=F64, device=device)) @ V.T
    for rtol, expected in ((1e-1, 1), (1e-4, 2), (1e-7, 3), (1e-10, 4), (None, 5)):
        ref = torch.linalg.matrix_rank(A, rtol=rtol).item()
        assert rank(A, rtol) == expected == ref


def test_span_membership(device):
    V = torch.randn(5, 2, dtype=F64, device=device)
    assert in_span(V, V @ torch.tensor([3.0, -1.0], dtype=F64, device=device))
    assert not in_span(V, torch.randn(5, dtype=F64, device=device))


def test_low_rank_factors_obey_eckart_young(device):
    A = torch.randn(20, 12, dtype=F64, device=device)
    s = torch.linalg.svdvals(A)
    for r in (1, 3, 6, 12):
        B, C = low_rank_factors(A, r)
        assert B.shape == (20, r) and C.shape == (r, 12)
        assert rank(B @ C) == r
        err = (A - B @ C).norm()
        torch.testing.assert_close(err, s[r:].square().sum().sqrt(), atol=1e-12, rtol=1e-10)
        # Spectral-norm error is the first discarded singular value.
        if r < 12:
            torch.testing.assert_close(torch.linalg.matrix_norm(A - B @ C, 2), s[r])
    # A random rank-3 product is no better than the truncated SVD.
    B, C = low_rank_factors(A, 3)
    R = torch.randn(20, 3, dtype=F64, device=device) @ torch.randn(3, 12, dtype=F64, device=device)
    best = (A - B @ C).norm()
    assert best <= (A - R).norm()
    assert best <= (A - R * (A * R).sum() / R.square().sum()).norm()


def test_lora_update_has_rank_at_most_r(device):
    # A LoRA update ΔW = B A with B: (d_out, r), A: (r, d_in) has rank ≤ r
    # and r(d_in + d_out) parameters instead of d_in·d_out.
    base = nn.Linear(64, 48).to(device=device, dtype=F64)
    layer = LoRALinear(base, r=4)
    with torch.no_grad():
        layer.B.normal_()
    delta = layer.merged().weight - base.weight
    assert rank(delta) == 4 == torch.linalg.matrix_rank(delta).item()
    n_lora = layer.A.numel() + layer.B.numel()
    assert n_lora == 4 * (64 + 48) == 448 and base.weight.numel() == 3072
