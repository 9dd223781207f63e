import torch
import torch.nn.functional as F

from snippets.topics.ml.activations_and_losses import (
    binary_cross_entropy_with_logits,
    cross_entropy,
    cross_entropy_grad,
    gelu,
    gelu_tanh,
    log_softmax,
    silu,
    softplus,
)

F64 = torch.float64


def test_activations_match_torch(device):
    x = torch.linspace(-8, 8, 1001, device=device)
    torch.testing.assert_close(gelu(x), F.gelu(x), rtol=1e-6, atol=1e-6)
    torch.testing.assert_close(gelu_tanh(x), F.gelu(x, approximate="tanh"), rtol=1e-6, atol=1e-6)
    torch.testing.assert_close(silu(x), F.silu(x), rtol=1e-6, atol=1e-6)
    torch.testing.assert_close(softplus(x), F.softplus(x), rtol=1e-6, atol=1e-6)
    # The tanh approximation is within 5e-4 of the exact GELU everywhere.
    assert (gelu(x) - gelu_tanh(x)).abs().max().item() < 5e-4


def test_softplus_is_stable_at_extremes(device):
    x = torch.tensor([-1000.0, -50.0, 0.0, 50.0, 1000.0], device=device)
    y = softplus(x)
    assert torch.isfinite(y).all()
    torch.testing.assert_close(y[2], torch.tensor(0.6931472, device=device))
    assert y[4].item() == 1000.0 and y[0].item() == 0.0
    # The naive formula overflows: log(1 + e^1000) = inf.
    assert torch.isinf(torch.log(1 + torch.exp(x[4])))


def test_cross_entropy_is_log_softmax_plus_nll(device):
    logits = 5 * torch.randn(16, 10, device=device)
    target = torch.randint(0, 10, (16,), device=device)
    torch.testing.assert_close(log_softmax(logits), F.log_softmax(logits, -1))
    torch.testing.assert_close(
        cross_entropy(logits, target), F.nll_loss(F.log_softmax(logits, -1), target)
    )
    torch.testing.assert_close(cross_entropy(logits, target), F.cross_entropy(logits, target))
    # Huge logits: still finite and exact.
    big = torch.tensor([[1000.0, 0.0]], device=device)
    one = torch.tensor([1], device=device)
    assert cross_entropy(big, one).item() == 1000.0


def test_softmax_cross_entropy_gradient_is_p_minus_y(device):
    logits = torch.randn(6, 5, dtype=F64, device=device, requires_grad=True)
    target = torch.randint(0, 5, (6,), device=device)
    assert torch.autograd.gradcheck(lambda z: cross_entropy(z, target), (logits,))
    (g,) = torch.autograd.grad(cross_entropy(logits, target), logits)
    torch.testing.assert_close(g, cross_entropy_grad(logits, target), rtol=0, atol=1e-15)
    # Each row of p − y sums to 0: shifting all logits changes nothing.
    torch.testing.assert_close(g.sum(-1), torch.zeros(6, dtype=F64, device=device))


def test_binary_cross_entropy_matches_torch(device):
    z = 20 * torch.randn(100, dtype=F64, device=device)
    y = torch.rand(100, dtype=F64, device=device)
    torch.testing.assert_close(
        binary_cross_entropy_with_logits(z, y),
        F.binary_cross_entropy_with_logits(z, y),
        rtol=1e-12,
        atol=1e-12,
    )
