import pytest
import torch
import torch.nn.functional as F
from torch import nn

from snippets.topics.distributed.mixed_precision import (
    FORMATS,
    apply_updates,
    format_limits,
    training_state_bytes,
    unscaled_grads,
    update_scale,
)


@pytest.mark.parametrize("dtype", list(FORMATS))
def test_format_limits_match_torch_finfo(dtype, device):
    limits = format_limits(*FORMATS[dtype])
    info = torch.finfo(dtype)
    # Powers of two and (2 - eps)·2^bias are exact in float64: equality.
    assert limits["max"] == info.max
    assert limits["smallest_normal"] == info.smallest_normal
    assert limits["eps"] == info.eps
    sub = limits["smallest_subnormal"]
    # The smallest subnormal is representable; half of it rounds to zero.
    assert torch.tensor(sub, dtype=dtype, device=device).item() == sub
    assert torch.tensor(sub / 2, dtype=dtype, device=device).item() == 0.0
    # eps is the gap above 1: 1 + eps is a new float, 1 + eps/2 is not.
    one = torch.tensor(1.0, dtype=dtype, device=device)
    assert (one + limits["eps"]).item() > 1.0
    assert (one + limits["eps"] / 2).item() == 1.0


def _tiny_gradient_problem(device):
    # d loss / d w = x · 1e-4 = 1e-8, below fp16's smallest subnormal 6e-8.
    w = torch.tensor(1.0, dtype=torch.float16, device=device)
    w.requires_grad_(True)
    x = torch.tensor(1e-4, dtype=torch.float16, device=device)
    return [w], lambda: (w * x).float() * 1e-4, x.double().item() * 1e-4


def test_fp16_gradient_underflows_without_scaling(device):
    params, loss_fn, _ = _tiny_gradient_problem(device)
    grads, finite = unscaled_grads(loss_fn, params, scale=1.0)
    assert finite and grads[0].item() == 0.0  # the gradient is lost


def test_fp16_gradient_survives_with_loss_scaling(device):
    params, loss_fn, exact = _tiny_gradient_problem(device)
    grads, finite = unscaled_grads(loss_fn, params, scale=2.0**16)
    assert finite
    # 6.6e-4 is a normal fp16 number: one rounding, 2^-11 relative.
    assert grads[0].item() == pytest.approx(exact, rel=2**-11)


def test_too_large_scale_overflows(device):
    params, _, _ = _tiny_gradient_problem(device)
    w = params[0]
    # grad of 1e4 · w in fp16 is 1e4; scaled by 2^16 it exceeds 65504.
    grads, finite = unscaled_grads(lambda: (w * 1e4).float(), params, 2.0**16)
    assert not finite and torch.isinf(grads[0]).item()


def test_update_scale_matches_torch_amp_update_scale(device):
    flags = [0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0]
    scale, good = 2.0**16, 0
    ref = torch.tensor(2.0**16, device=device)
    tracker = torch.zeros((), dtype=torch.int32, device=device)
    for flag in flags:
        scale, good = update_scale(scale, good, flag, growth_interval=3)
        found = torch.tensor(float(flag), device=device)
        torch._amp_update_scale_(ref, tracker, found, 2.0, 0.5, 3)
        assert scale == ref.item() and good == tracker.item()


def test_bf16_loses_small_updates_fp32_master_keeps_them():
    # bf16 spacing at 1.0 is 2^-7; an update of 1e-3 < 2^-8 rounds away.
    assert apply_updates(1.0, 1e-3, 100, torch.bfloat16) == 1.0
    got = apply_updates(1.0, 1e-3, 100, torch.float32)
    # 100 float32 additions: error ≤ 100 · 2^-24 · 1.1, well under 1e-5.
    assert got == pytest.approx(1.1, abs=1e-5)


def test_autocast_linear_is_a_bf16_matmul_on_fp32_weights(device):
    layer = nn.Linear(16, 8, device=device)
    x = torch.randn(4, 16, device=device)
    with torch.autocast(device.type, dtype=torch.bfloat16):
        y = layer(x)
    ref = F.linear(x.bfloat16(), layer.weight.bfloat16(), layer.bias.bfloat16())
    assert y.dtype == torch.bfloat16 and layer.weight.dtype == torch.float32
    torch.testing.assert_close(y, ref, rtol=0, atol=0)  # same bf16 kernel


def test_adam_with_fp32_weights_holds_16_bytes_per_parameter(device):
    model = nn.Sequential(nn.Linear(8, 16), nn.GELU(), nn.Linear(16, 4))
    model.to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(5, 8, device=device)
    with torch.autocast(device.type, dtype=torch.bfloat16):
        out = model(x)
    out.float().square().mean().backward()
    opt.step()
    # 4 (fp32 weight) + 4 (fp32 grad) + 4 (m) + 4 (v): exact count.
    assert training_state_bytes(model, opt) == 16.0
