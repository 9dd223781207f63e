import pytest
import torch
from torch import nn

from snippets.topics.ml.layer_norm import LayerNorm


def affine_pair(C, bias, device, dtype=torch.float32):
    ours = LayerNorm(C, bias=bias, device=device, dtype=dtype)
    ref = nn.LayerNorm(C, bias=bias, device=device, dtype=dtype)
    with torch.no_grad():
        ref.weight.uniform_(0.5, 1.5)
        if bias:
            ref.bias.normal_()
    ours.load_state_dict(ref.state_dict())
    return ours, ref


@pytest.mark.parametrize("shape", [(4, 8), (2, 5, 16), (3, 1, 7, 32)])
@pytest.mark.parametrize("bias", [True, False])
def test_matches_nn_layernorm(shape, bias, device):
    ours, ref = affine_pair(shape[-1], bias, device)
    x = 4.0 + 3.0 * torch.randn(shape, device=device)
    torch.testing.assert_close(ours(x), ref(x), atol=1e-5, rtol=0)


def test_each_token_has_zero_mean_unit_variance(device):
    ln = LayerNorm(64, device=device)
    y = ln(torch.randn(2, 3, 64, device=device) * 10 + 7)
    torch.testing.assert_close(y.mean(-1), torch.zeros(2, 3, device=device), atol=1e-5, rtol=0)
    # Biased variance is 1 / (1 + eps / var) ≈ 1 - 1e-7 here.
    torch.testing.assert_close(
        y.var(-1, correction=0), torch.ones(2, 3, device=device), atol=1e-5, rtol=0
    )


def test_a_token_does_not_depend_on_the_rest_of_the_batch(device):
    ln = LayerNorm(8, device=device)
    x = torch.randn(5, 8, device=device)
    torch.testing.assert_close(ln(x)[:1], ln(x[:1]), atol=0, rtol=0)


def test_gradients_match_autograd_of_nn_layernorm(device):
    ours, ref = affine_pair(6, True, device, torch.float64)
    x = torch.randn(3, 4, 6, device=device, dtype=torch.float64, requires_grad=True)
    w = torch.randn(3, 4, 6, device=device, dtype=torch.float64)
    g_ours = torch.autograd.grad((ours(x) * w).sum(), (x, ours.weight, ours.bias))
    g_ref = torch.autograd.grad((ref(x) * w).sum(), (x, ref.weight, ref.bias))
    for a, b in zip(g_ours, g_ref, strict=True):
        torch.testing.assert_close(a, b, atol=1e-10, rtol=1e-8)


def test_gradcheck_float64(device):
    ln = LayerNorm(5, device=device, dtype=torch.float64)
    x = torch.randn(2, 3, 5, device=device, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(ln, (x,))
