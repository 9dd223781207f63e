import math

import pytest
import torch

from snippets.topics.llm.sinusoidal_encoding import shift_matrix, sinusoidal_encoding


def test_position_zero_is_sin0_cos0(device):
    pe = sinusoidal_encoding(4, 8, device=device)
    expected = torch.tensor([0.0, 1.0] * 4, device=device)
    torch.testing.assert_close(pe[0], expected, atol=0, rtol=0)


@pytest.mark.parametrize(
    ("pos", "col", "value"),
    [
        # d_model = 8: ω_i = 10000^(-2i/8) = 1, 0.1, 0.01, 0.001.
        (1, 0, math.sin(1.0)),  # PE[1, 0] = sin(1 · 1)
        (1, 1, math.cos(1.0)),  # PE[1, 1] = cos(1 · 1)
        (3, 2, math.sin(0.3)),  # PE[3, 2] = sin(3 · 0.1)
        (5, 5, math.cos(0.05)),  # PE[5, 5] = cos(5 · 0.01)
        (100, 6, math.sin(0.1)),  # PE[100, 6] = sin(100 · 0.001)
        (100, 7, math.cos(0.1)),
        (50, 0, math.sin(50.0)),  # the fastest pair has wrapped round ~8 times
    ],
)
def test_hand_worked_entries(pos, col, value, device):
    pe = sinusoidal_encoding(101, 8, device=device)
    assert math.isclose(pe[pos, col].item(), value, abs_tol=1e-6)


def test_matches_the_closed_form_everywhere(device):
    T, d = 64, 32
    pe = sinusoidal_encoding(T, d, device=device, dtype=torch.float64)
    pos = torch.arange(T, device=device, dtype=torch.float64)[:, None]
    i = torch.arange(d // 2, device=device, dtype=torch.float64)[None, :]
    angle = pos / 10000 ** (2 * i / d)
    torch.testing.assert_close(pe[:, 0::2], angle.sin(), atol=1e-12, rtol=0)
    torch.testing.assert_close(pe[:, 1::2], angle.cos(), atol=1e-12, rtol=0)


@pytest.mark.parametrize("k", [1, 7, 40])
def test_shift_by_k_is_one_fixed_rotation(k, device):
    T, d = 60, 16
    pe = sinusoidal_encoding(T + k, d, device=device, dtype=torch.float64)
    M = shift_matrix(k, d, device=device, dtype=torch.float64)
    # The same M maps PE[pos] to PE[pos + k] for every pos.
    torch.testing.assert_close(pe[:T] @ M.T, pe[k:], atol=1e-12, rtol=0)
    # M is a rotation: orthogonal, determinant 1, so |PE[pos]|² = d/2 always.
    eye = torch.eye(d, device=device, dtype=torch.float64)
    torch.testing.assert_close(M @ M.T, eye, atol=1e-12, rtol=0)
    assert math.isclose(torch.linalg.det(M).item(), 1.0, rel_tol=1e-12)
    torch.testing.assert_close(pe.square().sum(-1), torch.full_like(pe[:, 0], d / 2))


def test_dot_product_depends_only_on_the_offset(device):
    # PE[m] · PE[n] = Σ cos((m - n) ω_i): the same for every pair with m - n = 5.
    pe = sinusoidal_encoding(200, 16, device=device, dtype=torch.float64)
    dots = torch.stack([pe[m] @ pe[m - 5] for m in (5, 20, 199)])
    torch.testing.assert_close(dots, dots[:1].expand(3), atol=1e-12, rtol=0)
