import pytest
import torch
import torch.nn.functional as F
from torch import nn

from snippets.topics.llm.int8_quantization import (
    Int8Linear,
    dequantize,
    quantize_asymmetric,
    quantize_symmetric,
)

# W / scale is computed in float32, so an element that sits on a rounding
# boundary may land one ulp on the wrong side: allow a relative slack of
# 1e-6 on the scale / 2 bound (float32 eps is 1.2e-7).
SLACK = 1 + 1e-6


def weights(device, out=16, inp=512):
    # Rows with very different magnitudes, as in a real layer.
    row_scale = torch.logspace(-2, 1, out, device=device)[:, None]
    return torch.randn(out, inp, device=device) * row_scale


@pytest.mark.parametrize("bits", [8, 4])
def test_error_is_at_most_half_a_step_and_the_bound_is_attained(bits, device):
    W = weights(device)
    q, scale = quantize_symmetric(W, bits=bits)
    qmax = 2 ** (bits - 1) - 1
    assert q.dtype == torch.int8 and q.abs().max().item() == qmax
    torch.testing.assert_close(scale, W.abs().amax(1, keepdim=True) / qmax)
    err = (W - dequantize(q, scale)).abs()
    assert (err <= scale / 2 * SLACK).all()
    # Attained: with 512 columns the rounding errors fill [0, scale/2], so
    # every row has an element within 2% of the bound.
    assert ((err / (scale / 2)).amax(1) > 0.98).all()


def test_rounding_error_is_uniform_with_variance_step_squared_over_12(device):
    W = weights(device)
    q, scale = quantize_symmetric(W)
    ratio = ((W - dequantize(q, scale)) / scale).square().mean().item()
    # (W - scale q) / scale ~ U(-1/2, 1/2): mean square 1/12 = 0.0833. Over
    # 8192 elements its standard error is sqrt((1/80 - 1/144) / 8192)
    # = 8.2e-4, about 1% of 1/12; 5% is 5 standard errors.
    assert abs(ratio - 1 / 12) < 0.05 / 12


def test_per_channel_beats_per_tensor_when_one_row_is_large(device):
    W = torch.tensor([[0.4, -0.3, 0.1], [127.0, -50.3, 20.2]], device=device)
    # Per tensor: scale = 127 / 127 = 1, so the small row rounds to zeros.
    q_t, s_t = quantize_symmetric(W, per_channel=False)
    assert q_t.tolist() == [[0, 0, 0], [127, -50, 20]]
    err_t = (W - dequantize(q_t, s_t)).abs()
    torch.testing.assert_close(err_t[0], W[0].abs())
    # Per channel: row 0 gets scale 0.4 / 127; -0.3 and 0.1 are 95.25 and
    # 31.75 steps, so each is a quarter step away from its integer.
    q_c, s_c = quantize_symmetric(W, per_channel=True)
    assert q_c.tolist() == [[127, -95, 32], [127, -50, 20]]
    err_c = (W - dequantize(q_c, s_c)).abs()
    step = 0.4 / 127
    torch.testing.assert_close(err_c[0], torch.tensor([0, step / 4, step / 4], device=device))
    torch.testing.assert_close(err_c[1], err_t[1])  # same max, same scale
    assert (err_c.amax(1) <= err_t.amax(1)).all()
    assert err_t[0].max() / err_c[0].max() > 500  # 0.4 / (0.1 / 127) = 508


def test_int8_linear_is_within_the_derived_bound(device):
    torch.manual_seed(0)
    layer = nn.Linear(256, 32, dtype=torch.float64, device=device)
    qlayer = Int8Linear(layer)
    x = torch.randn(512, 256, dtype=torch.float64, device=device)
    y, y_q = layer(x), qlayer(x)
    # Parity: applying the scale after the matmul equals a float layer with
    # the dequantised weight (float64, so only summation order differs).
    W_hat = dequantize(qlayer.q, qlayer.scale[:, None])
    torch.testing.assert_close(y_q, F.linear(x, W_hat, layer.bias), atol=1e-12, rtol=0)
    # |dy_i| = |sum_j x_j (W_ij - W_hat_ij)| <= sum_j |x_j| scale_i / 2.
    bound = x.abs().sum(-1, keepdim=True) * qlayer.scale / 2  # (512, 32)
    dy = (y_q - y).abs()
    assert (dy <= bound * (1 + 1e-9)).all()
    # The worst case needs every error to line up with sign(x); random
    # errors add like a random walk: E[dy_i^2] = scale_i^2 |x|^2 / 12.
    rms_ratio = (dy / (qlayer.scale * x.norm(dim=-1, keepdim=True))).square().mean()
    # 16384 samples: sampling error about 1.1% plus row-to-row spread in
    # |e_i|^2 (about 0.7%); 10% is comfortably more than 5 standard errors.
    assert abs(rms_ratio.item() * 12 - 1) < 0.1
    assert (dy / bound).max() < 0.5  # far from the worst case in practice
    assert qlayer.q.element_size() == 1  # 1 byte per weight instead of 8


def test_asymmetric_halves_the_step_on_nonnegative_data(device):
    x = torch.relu(torch.randn(4096, device=device))
    hi = x.max()
    q, scale, zp = quantize_asymmetric(x)
    assert q.dtype == torch.uint8 and zp.item() == 0  # range [0, hi]
    torch.testing.assert_close(scale, hi / 255)
    err_a = (x - dequantize(q, scale, zp)).abs()
    # Symmetric int8 spends half of its 255 levels on negatives never used.
    q_s, s_s = quantize_symmetric(x[None, :], per_channel=False)
    err_s = (x - dequantize(q_s, s_s)[0]).abs()
    assert (err_a <= scale / 2 * SLACK).all() and (err_s <= s_s / 2 * SLACK).all()
    ratio = (err_a.max() / err_s.max()).item()
    assert 0.45 < ratio < 0.55  # both errors reach ~ their bound: 1/2


def test_asymmetric_zero_point_represents_zero_exactly(device):
    x = torch.tensor([-1.0, 0.0, 0.5, 3.0], device=device)
    q, scale, zp = quantize_asymmetric(x)
    # scale = 4 / 255; zero_point = round(1 / scale) = round(63.75) = 64.
    torch.testing.assert_close(scale, torch.tensor(4 / 255, device=device))
    assert zp.item() == 64 and q[1].item() == 64
    assert dequantize(q, scale, zp)[1].item() == 0.0
    err = (x - dequantize(q, scale, zp)).abs()
    assert (err <= scale / 2 * SLACK).all()
