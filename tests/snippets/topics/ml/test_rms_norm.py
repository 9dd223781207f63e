import pytest
import torch
from torch import nn

from snippets.topics.ml.rms_norm import RMSNorm


def pair(C, eps, device, dtype=torch.float32):
    ours = RMSNorm(C, eps=eps, device=device, dtype=dtype)
    ref = nn.RMSNorm(C, eps=eps, device=device, dtype=dtype)
    with torch.no_grad():
        ref.weight.uniform_(0.5, 1.5)
    ours.load_state_dict(ref.state_dict())
    return ours, ref


@pytest.mark.parametrize("shape", [(4, 8), (2, 5, 16), (3, 1, 7, 32)])
@pytest.mark.parametrize("eps", [None, 1e-6, 0.1])
def test_matches_nn_rmsnorm(shape, eps, device):
    ours, ref = pair(shape[-1], eps, device)
    x = 2.0 + 3.0 * torch.randn(shape, device=device)
    torch.testing.assert_close(ours(x), ref(x), atol=1e-5, rtol=0)


@pytest.mark.parametrize("eps", [None, 1e-3])
def test_eps_is_handled_like_nn_rmsnorm_on_tiny_inputs(eps, device):
    # With |x| ~ 1e-3 the mean square (1e-6) is comparable to a large eps,
    # so a different eps convention would show; eps=None must use the
    # dtype's machine epsilon, for float32 and float64 alike.
    for dtype in (torch.float32, torch.float64):
        ours, ref = pair(8, eps, device, dtype)
        x = 1e-3 * torch.randn(4, 8, device=device, dtype=dtype)
        torch.testing.assert_close(ours(x), ref(x), atol=1e-6, rtol=1e-5)


def test_hand_worked_case(device):
    # x = (3, 4): mean square 12.5; with eps = 3.5, y = x / sqrt(16) = x / 4.
    rms = RMSNorm(2, eps=3.5, device=device)
    y = rms(torch.tensor([3.0, 4.0], device=device))
    torch.testing.assert_close(y, torch.tensor([0.75, 1.0], device=device))


def test_does_not_centre(device):
    # A constant vector keeps its direction: RMSNorm maps c·1 to sign(c)·1.
    rms = RMSNorm(4, eps=0.0, device=device)
    y = rms(torch.full((4,), -5.0, device=device))
    torch.testing.assert_close(y, torch.full((4,), -1.0, device=device))


def test_gradients_match_autograd_of_nn_rmsnorm(device):
    ours, ref = pair(6, None, device, torch.float64)
    x = torch.randn(3, 4, 6, device=device, dtype=torch.float64, requires_grad=True)
    w = torch.randn(3, 4, 6, device=device, dtype=torch.float64)
    g_ours = torch.autograd.grad((ours(x) * w).sum(), (x, ours.weight))
    g_ref = torch.autograd.grad((ref(x) * w).sum(), (x, ref.weight))
    for a, b in zip(g_ours, g_ref, strict=True):
        torch.testing.assert_close(a, b, atol=1e-10, rtol=1e-8)


def test_gradcheck_float64(device):
    rms = RMSNorm(5, eps=1e-6, device=device, dtype=torch.float64)
    x = torch.randn(2, 3, 5, device=device, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(rms, (x,))
