import pytest
import torch
from torch import nn

from snippets.topics.ml.batch_norm import BatchNorm1d


@pytest.mark.parametrize("shape", [(16, 6), (8, 5, 7), (2, 3, 1)])
def test_train_then_eval_matches_nn_batchnorm1d(shape, device):
    C = shape[1]
    ours = BatchNorm1d(C, device=device)
    ref = nn.BatchNorm1d(C, device=device)  # eps 1e-5, momentum 0.1
    with torch.no_grad():  # the same non-trivial affine parameters
        ref.weight.uniform_(0.5, 1.5)
        ref.bias.normal_()
        ours.weight.copy_(ref.weight)
        ours.bias.copy_(ref.bias)
    for step in range(5):  # running stats drift from (0, 1) towards data
        x = 3.0 + 2.0 * torch.randn(shape, device=device) * (step + 1)
        torch.testing.assert_close(ours(x), ref(x), atol=1e-5, rtol=0)
        torch.testing.assert_close(ours.running_mean, ref.running_mean, atol=1e-5, rtol=0)
        torch.testing.assert_close(ours.running_var, ref.running_var, atol=1e-5, rtol=1e-6)
    ours.eval()
    ref.eval()
    x = torch.randn(shape, device=device)
    torch.testing.assert_close(ours(x), ref(x), atol=1e-5, rtol=0)


def test_running_var_is_unbiased_hand_worked(device):
    # One channel, batch [0, 2]: mean 1, biased var 1, unbiased var 2.
    bn = BatchNorm1d(1, device=device)
    x = torch.tensor([[0.0], [2.0]], device=device)
    out = bn(x)
    eps = 1e-5
    expected = torch.tensor([[-1.0], [1.0]], device=device) / (1 + eps) ** 0.5
    torch.testing.assert_close(out, expected)
    # running = 0.9 * initial + 0.1 * batch
    torch.testing.assert_close(bn.running_mean, torch.tensor([0.1], device=device))
    torch.testing.assert_close(bn.running_var, torch.tensor([1.1], device=device))


def test_eval_does_not_update_running_stats(device):
    bn = BatchNorm1d(4, device=device).eval()
    bn(torch.randn(8, 4, device=device) + 5)
    assert bn.running_mean.abs().max() == 0
    assert (bn.running_var == 1).all()


@pytest.mark.parametrize("training", [True, False])
def test_gradients_match_autograd_of_nn_batchnorm1d(training, device):
    kw = dict(device=device, dtype=torch.float64)
    ours, ref = BatchNorm1d(5, **kw), nn.BatchNorm1d(5, **kw)
    with torch.no_grad():
        ref.weight.uniform_(0.5, 1.5)
        ref.bias.normal_()
        ref.running_mean.normal_()
        ref.running_var.uniform_(0.5, 2.0)
    ours.load_state_dict(ref.state_dict(), strict=False)
    ours.train(training)
    ref.train(training)
    x = torch.randn(6, 5, 3, **kw, requires_grad=True)
    w = torch.randn(6, 5, 3, **kw)  # a loss that is not symmetric in x
    g_ours = torch.autograd.grad((ours(x) * w).sum(), (x, ours.weight, ours.bias))
    g_ref = torch.autograd.grad((ref(x) * w).sum(), (x, ref.weight, ref.bias))
    for a, b in zip(g_ours, g_ref, strict=True):
        torch.testing.assert_close(a, b, atol=1e-10, rtol=1e-8)


def test_gradcheck_float64_training_mode(device):
    bn = BatchNorm1d(3, device=device, dtype=torch.float64)
    x = torch.randn(5, 3, device=device, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(bn, (x,))
