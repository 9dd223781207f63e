import pytest
import torch
import torch.nn.functional as F

from snippets.topics.ml.mlp_backward import MLPLoss, activation, mlp_backward, mlp_forward


def problem(device, B=6, C=5, H=7, K=4):
    kw = dict(device=device, dtype=torch.float64, requires_grad=True)
    x = torch.randn(B, C, **kw)
    w1, b1 = torch.randn(H, C, **kw), torch.randn(H, **kw)
    w2, b2 = torch.randn(K, H, **kw), torch.randn(K, **kw)
    y = torch.randint(0, K, (B,), device=device)
    return x, (w1, b1, w2, b2), y


def reference_loss(x, w1, b1, w2, b2, y, act):
    a = F.relu(F.linear(x, w1, b1)) if act == "relu" else F.gelu(F.linear(x, w1, b1))
    return F.cross_entropy(F.linear(a, w2, b2), y)


@pytest.mark.parametrize("act", ["relu", "gelu"])
def test_activation_matches_pytorch(act, device):
    h = torch.randn(100, device=device, dtype=torch.float64)
    expected = F.relu(h) if act == "relu" else F.gelu(h)
    torch.testing.assert_close(activation(h, act), expected, atol=1e-15, rtol=0)


@pytest.mark.parametrize("act", ["relu", "gelu"])
def test_forward_and_hand_backward_match_autograd_float64(act, device):
    x, params, y = problem(device)
    ref = reference_loss(x, *params, y, act)
    expected = torch.autograd.grad(ref, (x, *params))
    with torch.no_grad():
        loss, cache = mlp_forward(x, y, *params, act=act)
        w1, _, w2, _ = params
        ours = mlp_backward(x, y, w1, w2, cache, act)
    torch.testing.assert_close(loss, ref.detach(), atol=1e-14, rtol=0)
    for a, b in zip(ours, expected, strict=True):
        torch.testing.assert_close(a, b, atol=1e-13, rtol=0)


def test_logit_gradient_is_softmax_minus_onehot_over_batch(device):
    # Hand-worked: B = 2, two classes, logits all zero, so softmax = (1/2, 1/2)
    # and dlogits = ((1/2 − 1)/2, 1/4) for y = 0.
    B, K, H = 2, 2, 1
    x = torch.zeros(B, 1, device=device, dtype=torch.float64)
    w1 = torch.zeros(H, 1, device=device, dtype=torch.float64)
    b1 = torch.ones(H, device=device, dtype=torch.float64)  # a = relu(1) = 1
    w2 = torch.zeros(K, H, device=device, dtype=torch.float64)
    b2 = torch.zeros(K, device=device, dtype=torch.float64)
    y = torch.tensor([0, 1], device=device)
    loss, cache = mlp_forward(x, y, w1, b1, w2, b2)
    torch.testing.assert_close(loss.item(), torch.log(torch.tensor(2.0)).item())
    _, _, _, dw2, db2 = mlp_backward(x, y, w1, w2, cache)
    # db2 sums dlogits over the batch: (−1/4 + 1/4, 1/4 − 1/4) = 0.
    torch.testing.assert_close(db2, torch.zeros(K, device=device, dtype=torch.float64))
    expected_dw2 = torch.tensor([[0.0], [0.0]], device=device, dtype=torch.float64)
    torch.testing.assert_close(dw2, expected_dw2)


def test_function_matches_autograd_with_upstream_scale(device):
    x, params, y = problem(device)
    expected = torch.autograd.grad(3.0 * reference_loss(x, *params, y, "gelu"), (x, *params))
    ours = torch.autograd.grad(3.0 * MLPLoss.apply(x, *params, y, "gelu"), (x, *params))
    for a, b in zip(ours, expected, strict=True):
        torch.testing.assert_close(a, b, atol=1e-13, rtol=0)


@pytest.mark.parametrize("act", ["relu", "gelu"])
def test_gradcheck_float64(act, device):
    x, params, y = problem(device, B=3, C=3, H=4, K=3)
    assert torch.autograd.gradcheck(lambda x, *p: MLPLoss.apply(x, *p, y, act), (x, *params))
