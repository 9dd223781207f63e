import math

import pytest
import torch

from snippets.topics.llm.rope import apply_rope, interpolated_positions, ntk_base, rope_angles


def score(q, k, m, n, device):
    """<RoPE(q, m), RoPE(k, n)> for single vectors q, k: (hs,)."""
    qm = apply_rope(q[None], torch.tensor([m], device=device))[0]
    kn = apply_rope(k[None], torch.tensor([n], device=device))[0]
    return qm @ kn


def test_score_depends_only_on_the_offset(device):
    q, k = torch.randn(2, 32, device=device)
    # Offset m - n = 3 at four absolute positions, up to 1000 tokens apart.
    same = torch.stack([score(q, k, m, m - 3, device) for m in (3, 10, 250, 1003)])
    torch.testing.assert_close(same, same[:1].expand(4), atol=1e-5, rtol=1e-5)
    # Other offsets give other scores (by far more than the tolerance).
    others = torch.stack([score(q, k, 10, 10 - d, device) for d in (0, 1, 2, 5, -3)])
    assert (others - same[0]).abs().min() > 1e-2


def test_attention_scores_are_translation_invariant(device):
    # Shifting every position by 37 leaves the whole (T, T) score matrix unchanged.
    q, k = torch.randn(2, 2, 3, 6, 16, device=device)  # (B, nh, T, hs) each
    pos = torch.arange(6, device=device)
    s0 = apply_rope(q, pos) @ apply_rope(k, pos).transpose(-2, -1)
    s1 = apply_rope(q, pos + 37) @ apply_rope(k, pos + 37).transpose(-2, -1)
    torch.testing.assert_close(s1, s0, atol=1e-5, rtol=1e-5)


def test_preserves_norms(device):
    x = torch.randn(2, 4, 9, 16, device=device)
    pos = torch.arange(9, device=device) * 100
    out = apply_rope(x, pos)
    torch.testing.assert_close(out.norm(dim=-1), x.norm(dim=-1), atol=1e-5, rtol=1e-5)


def test_equals_complex_multiplication(device):
    # Pair i as the complex number x[2i] + j x[2i+1], multiplied by exp(j pos θ_i).
    x = torch.randn(3, 7, 8, device=device, dtype=torch.float64)
    pos = torch.tensor([0, 1, 2, 5, 11, 100, 4096], device=device)
    theta = 10000.0 ** (-torch.arange(0, 8, 2, device=device, dtype=torch.float64) / 8)
    z = torch.view_as_complex(x.reshape(3, 7, 4, 2))
    rotation = torch.polar(
        torch.ones(7, 4, dtype=torch.float64, device=device), pos[:, None].double() * theta
    )
    expected = torch.view_as_real(z * rotation).reshape(3, 7, 8)
    torch.testing.assert_close(apply_rope(x, pos), expected, atol=1e-12, rtol=0)


def test_position_zero_is_identity_and_hand_worked_pair(device):
    x = torch.randn(4, 8, device=device)
    torch.testing.assert_close(apply_rope(x, torch.zeros(4, device=device)), x)
    # hs = 2: one pair with θ_0 = 1; (1, 0) at position 1 becomes (cos 1, sin 1).
    e1 = torch.tensor([[1.0, 0.0]], device=device)
    out = apply_rope(e1, torch.tensor([1], device=device))
    expected = torch.tensor([[math.cos(1.0), math.sin(1.0)]], device=device)
    torch.testing.assert_close(out, expected)


@pytest.mark.parametrize("hs", [4, 64, 128])
def test_frequencies_span_one_to_almost_one_over_base(hs, device):
    theta = rope_angles(torch.ones(1, device=device), hs)[0]
    assert theta[0] == 1.0
    assert math.isclose(theta[-1].item(), 10000.0 ** (-(hs - 2) / hs), rel_tol=1e-12)
    assert (theta[1:] < theta[:-1]).all()


@pytest.mark.parametrize("dtype", [torch.float64, torch.bfloat16])
def test_keeps_the_input_dtype(dtype, device):
    x = torch.randn(2, 5, 8, device=device).to(dtype)
    pos = torch.arange(5, device=device) * 30
    out = apply_rope(x, pos)
    assert out.dtype == dtype
    # bfloat16 keeps 8 significant bits: relative error ~ 2⁻⁸ per rounding, |x| < 5.
    tol = 1e-12 if dtype == torch.float64 else 0.05
    torch.testing.assert_close(out.double(), apply_rope(x.double(), pos), atol=tol, rtol=0)


def test_gradcheck_float64(device):
    x = torch.randn(2, 5, 8, device=device, dtype=torch.float64, requires_grad=True)
    pos = torch.arange(5, device=device)
    assert torch.autograd.gradcheck(lambda x: apply_rope(x, pos), (x,))


@pytest.mark.parametrize(("hs", "scale"), [(64, 2.0), (128, 4.0), (128, 8.0)])
def test_context_extension_frequencies(hs, scale, device):
    pos = torch.tensor([1.0, 3000.0], device=device)
    plain = rope_angles(pos, hs)
    interp = rope_angles(interpolated_positions(pos, scale), hs)
    ntk = rope_angles(pos, hs, base=ntk_base(hs, scale))
    # Interpolation slows every pair by exactly `scale`.
    torch.testing.assert_close(interp, plain / scale, atol=1e-12, rtol=1e-12)
    ratio = ntk[1] / plain[1]  # per pair
    # NTK: fastest pair unchanged, slowest slowed by `scale`, geometric between:
    # ratio_i = scale^(-2i / (hs - 2)).
    i = torch.arange(hs // 2, device=device, dtype=torch.float64)
    torch.testing.assert_close(ratio, scale ** (-2 * i / (hs - 2)), atol=1e-12, rtol=1e-12)
    assert ratio[0] == 1.0 and math.isclose(ratio[-1].item(), 1 / scale, rel_tol=1e-12)


def test_ntk_base_hand_value():
    # hs = 128, scale 4: 10000 · 4^(128/126) = 40 890.3...
    assert math.isclose(ntk_base(128, 4.0), 10000 * 4 ** (64 / 63), rel_tol=1e-15)
    assert 40880 < ntk_base(128, 4.0) < 40900


def test_interpolated_positions_stay_in_the_trained_range(device):
    # 16384 positions squeezed 4x stay below 4096, at quarter-token spacing.
    pos = interpolated_positions(torch.arange(16384, device=device), 4.0)
    assert pos.max().item() == 16383 / 4 < 4096
    assert pos[1].item() == 0.25
