import pytest
import torch

from snippets.topics.ml.softmax_backward import Softmax, softmax_backward


@pytest.mark.parametrize("shape", [(1,), (7,), (3, 5), (2, 4, 9)])
def test_vjp_matches_autograd_float64(shape, device):
    z = torch.randn(shape, device=device, dtype=torch.float64, requires_grad=True)
    g = torch.randn(shape, device=device, dtype=torch.float64)
    y = torch.softmax(z, dim=-1)
    (expected,) = torch.autograd.grad(y, z, g)
    torch.testing.assert_close(softmax_backward(y.detach(), g), expected, atol=1e-14, rtol=0)


def test_vjp_along_another_axis(device):
    z = torch.randn(4, 6, device=device, dtype=torch.float64, requires_grad=True)
    g = torch.randn(4, 6, device=device, dtype=torch.float64)
    y = torch.softmax(z, dim=0)
    (expected,) = torch.autograd.grad(y, z, g)
    torch.testing.assert_close(softmax_backward(y.detach(), g, dim=0), expected, atol=1e-14, rtol=0)


def test_vjp_equals_the_explicit_jacobian(device):
    # J = diag(y) − y yᵀ is symmetric, so gᵀJ = J g.
    z = torch.randn(6, device=device, dtype=torch.float64)
    g = torch.randn(6, device=device, dtype=torch.float64)
    y = torch.softmax(z, dim=0)
    jacobian = torch.diag(y) - torch.outer(y, y)
    torch.testing.assert_close(softmax_backward(y, g), jacobian @ g, atol=1e-14, rtol=0)


def test_hand_worked_uniform_case(device):
    # y = (1/2, 1/2), g = (1, 0): ⟨g, y⟩ = 1/2, dz = (1/2·1/2, 1/2·(−1/2)).
    y = torch.tensor([0.5, 0.5], device=device, dtype=torch.float64)
    g = torch.tensor([1.0, 0.0], device=device, dtype=torch.float64)
    expected = torch.tensor([0.25, -0.25], device=device, dtype=torch.float64)
    torch.testing.assert_close(softmax_backward(y, g), expected, atol=0, rtol=0)


def test_gradient_is_orthogonal_to_ones_and_blind_to_constant_shifts(device):
    # softmax(z + c) = softmax(z): dz sums to 0, and a constant g gives dz = 0.
    y = torch.softmax(torch.randn(3, 8, device=device, dtype=torch.float64), dim=-1)
    dz = softmax_backward(y, torch.randn(3, 8, device=device, dtype=torch.float64))
    torch.testing.assert_close(dz.sum(-1), torch.zeros(3, device=device, dtype=torch.float64))
    flat = softmax_backward(y, torch.full_like(y, 3.0))
    torch.testing.assert_close(flat, torch.zeros_like(y), atol=1e-15, rtol=0)


def test_function_forward_matches_torch_softmax_even_for_large_logits(device):
    z = torch.randn(4, 10, device=device) * 50 + 1000  # exp(1000) overflows
    torch.testing.assert_close(Softmax.apply(z), torch.softmax(z, dim=-1))


def test_gradcheck_float64(device):
    z = torch.randn(3, 5, device=device, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(Softmax.apply, (z,))
    assert torch.autograd.gradgradcheck(Softmax.apply, (z,))
