import pytest
import torch
import torch.nn.functional as F

from snippets.topics.llm.attention import attention
from snippets.topics.ml.attention_backward import Attention, attention_backward


def qkv(B, nh, Tq, Tk, hs, device):
    kw = dict(device=device, dtype=torch.float64, requires_grad=True)
    return (
        torch.randn(B, nh, Tq, hs, **kw),
        torch.randn(B, nh, Tk, hs, **kw),
        torch.randn(B, nh, Tk, hs, **kw),
    )


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("shape", [(1, 1, 1, 1, 4), (2, 3, 5, 5, 8), (2, 2, 3, 7, 4)])
def test_hand_gradients_match_autograd_float64(shape, causal, device):
    q, k, v = qkv(*shape, device)
    out, weights = attention(q, k, v, causal=causal)
    dout = torch.randn_like(out)
    expected = torch.autograd.grad(out, (q, k, v), dout)
    ours = attention_backward(dout, q.detach(), k.detach(), v.detach(), weights.detach())
    for a, b in zip(ours, expected, strict=True):
        torch.testing.assert_close(a, b, atol=1e-12, rtol=0)


def test_matches_autograd_of_pytorch_sdpa(device):
    q, k, v = qkv(2, 2, 6, 6, 8, device)
    ref = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    dout = torch.randn_like(ref)
    expected = torch.autograd.grad(ref, (q, k, v), dout)
    out = Attention.apply(q, k, v, True)
    torch.testing.assert_close(out, ref, atol=1e-12, rtol=0)
    ours = torch.autograd.grad(out, (q, k, v), dout)
    for a, b in zip(ours, expected, strict=True):
        torch.testing.assert_close(a, b, atol=1e-12, rtol=0)


def test_causal_first_query_gets_no_gradient_from_future_keys(device):
    # Query 0 sees key 0 only: its weight is exactly 1, so dscores row 0 is 0,
    # dq[0] = 0, and the keys 1.. receive nothing from query 0.
    q, k, v = qkv(1, 1, 4, 4, 3, device)
    out = Attention.apply(q, k, v, True)
    dout = torch.zeros_like(out)
    dout[..., 0, :] = 1.0  # gradient flows only through query 0
    dq, dk, dv = torch.autograd.grad(out, (q, k, v), dout)
    assert dq.abs().max() == 0 and dk.abs().max() == 0
    assert dv[..., 1:, :].abs().max() == 0
    torch.testing.assert_close(dv[0, 0, 0], torch.ones(3, device=device, dtype=torch.float64))


@pytest.mark.parametrize("causal", [False, True])
def test_gradcheck_float64(causal, device):
    q, k, v = qkv(1, 2, 3, 4, 3, device)
    assert torch.autograd.gradcheck(lambda q, k, v: Attention.apply(q, k, v, causal), (q, k, v))


def test_softmax_correction_term_equals_rowsum_of_dout_times_out(device):
    # Σⱼ Pᵢⱼ dPᵢⱼ = Σⱼ Pᵢⱼ (dOᵢ · vⱼ) = dOᵢ · Oᵢ: Flash attention's backward
    # uses the right-hand side so that it never needs the full P row.
    q, k, v = (t.detach() for t in qkv(2, 2, 5, 6, 4, device))
    out, weights = attention(q, k, v, causal=True)
    dout = torch.randn_like(out)
    dweights = dout @ v.transpose(-2, -1)
    torch.testing.assert_close(
        (dweights * weights).sum(-1), (dout * out).sum(-1), atol=1e-13, rtol=0
    )
