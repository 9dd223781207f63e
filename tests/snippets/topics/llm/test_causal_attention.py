import pytest
import torch
import torch.nn.functional as F

from snippets.topics.llm.attention import attention
from snippets.topics.llm.causal_attention import additive_causal_mask, causal_mask


def qkv(B, nh, Tq, Tk, hs, device, dtype=torch.float32):
    shapes = [(B, nh, Tq, hs), (B, nh, Tk, hs), (B, nh, Tk, hs)]
    return [torch.randn(*s, device=device, dtype=dtype) for s in shapes]


def test_hand_worked_masks(device):
    expected = torch.tensor([[1, 0, 0], [1, 1, 0], [1, 1, 1]], dtype=torch.bool, device=device)
    assert torch.equal(causal_mask(3, 3, device), expected)
    # 2 new queries after 3 cached keys: query 0 sees keys 0..3, query 1 all 5.
    expected = torch.tensor([[1, 1, 1, 1, 0], [1, 1, 1, 1, 1]], dtype=torch.bool, device=device)
    assert torch.equal(causal_mask(2, 5, device), expected)
    # T(T+1)/2 allowed entries for a square mask: 5050 for T = 100.
    assert causal_mask(100, 100, device).sum().item() == 5050


def test_additive_mask_is_zero_or_minus_inf(device):
    m = additive_causal_mask(4, 4, device)
    assert torch.equal(m == 0, causal_mask(4, 4, device))
    assert torch.isneginf(m[~causal_mask(4, 4, device)]).all()


@pytest.mark.parametrize("T", [1, 5, 16])
def test_matches_sdpa_is_causal(T, device):
    q, k, v = qkv(2, 3, T, T, 8, device)
    scores = q @ k.transpose(-2, -1) / 8**0.5 + additive_causal_mask(T, T, device)
    out = torch.softmax(scores, dim=-1) @ v
    expected = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    torch.testing.assert_close(out, expected, atol=1e-5, rtol=0)
    # The same additive mask passed as attn_mask gives the same result.
    via_mask = F.scaled_dot_product_attention(q, k, v, attn_mask=additive_causal_mask(T, T, device))
    torch.testing.assert_close(via_mask, expected, atol=1e-5, rtol=0)


def test_output_at_t_is_attention_over_the_prefix(device):
    # One causal pass over T tokens = T separate passes over the prefixes.
    T = 9
    q, k, v = qkv(2, 2, T, T, 8, device)
    full, _ = attention(q, k, v, causal=True)
    for t in range(T):
        prefix, _ = attention(q[..., t : t + 1, :], k[..., : t + 1, :], v[..., : t + 1, :])
        torch.testing.assert_close(full[..., t : t + 1, :], prefix, atol=1e-6, rtol=0)


def test_future_tokens_have_zero_gradient(device):
    # d out[t] / d (k, v)[s] = 0 for s > t: changing the future changes nothing.
    T, t = 7, 3
    q, k, v = qkv(1, 1, T, T, 4, device, torch.float64)
    k.requires_grad_(True)
    v.requires_grad_(True)
    out, _ = attention(q, k, v, causal=True)
    gk, gv = torch.autograd.grad(out[..., t, :].sum(), (k, v))
    assert gk[..., t + 1 :, :].abs().max() == 0 and gv[..., t + 1 :, :].abs().max() == 0
    assert gv[..., : t + 1, :].abs().min() > 0


def test_zeroing_after_softmax_is_wrong_unless_renormalised(device):
    # Masking after the softmax leaves rows that sum to < 1; renormalising
    # them recovers exactly the -inf-before-softmax result.
    scores = torch.randn(5, 5, device=device, dtype=torch.float64)
    allowed = causal_mask(5, 5, device)
    right = torch.softmax(scores + additive_causal_mask(5, 5, device, torch.float64), -1)
    wrong = torch.softmax(scores, -1) * allowed
    assert wrong.sum(-1)[:-1].max() < 1 - 1e-3
    torch.testing.assert_close(wrong / wrong.sum(-1, keepdim=True), right, atol=1e-12, rtol=0)


def test_large_negative_fill_overflows_float16(device):
    # -1e9 is not representable in float16 (max 65504): it becomes -inf, and
    # finfo.min is the largest finite choice.
    assert torch.isneginf(torch.tensor(-1e9, device=device).half())
    scores = torch.zeros(3, 3, device=device, dtype=torch.float16)
    low = scores.masked_fill(~causal_mask(3, 3, device), torch.finfo(torch.float16).min)
    weights = torch.softmax(low.float(), -1)
    expected = torch.tensor([1.0, 1 / 2, 1 / 3], device=device)
    torch.testing.assert_close(weights.max(-1).values, expected)
