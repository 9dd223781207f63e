import pytest
import torch
import torch.nn.functional as F

from snippets.topics.llm.attention import attention

SHAPES = [(1, 1, 1, 1, 8), (2, 3, 5, 5, 16), (2, 4, 7, 11, 8), (3, 2, 16, 16, 32)]


def qkv(B, nh, Tq, Tk, hs, device, dtype=torch.float32):
    q = torch.randn(B, nh, Tq, hs, device=device, dtype=dtype)
    k = torch.randn(B, nh, Tk, hs, device=device, dtype=dtype)
    v = torch.randn(B, nh, Tk, hs, device=device, dtype=dtype)
    return q, k, v


@pytest.mark.parametrize("shape", SHAPES)
def test_matches_sdpa_without_mask(shape, device):
    q, k, v = qkv(*shape, device)
    out, weights = attention(q, k, v)
    torch.testing.assert_close(out, F.scaled_dot_product_attention(q, k, v), atol=1e-5, rtol=0)
    assert torch.allclose(weights.sum(-1), torch.ones((), device=device))


@pytest.mark.parametrize("shape", [s for s in SHAPES if s[2] == s[3]])
def test_causal_matches_sdpa_is_causal(shape, device):
    q, k, v = qkv(*shape, device)
    out, weights = attention(q, k, v, causal=True)
    expected = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    torch.testing.assert_close(out, expected, atol=1e-5, rtol=0)
    T = shape[2]
    future = torch.ones(T, T, dtype=torch.bool, device=device).triu(1)
    assert not weights[..., future].any()


def test_causal_with_fewer_queries_is_bottom_right_aligned(device):
    # 3 new queries after 5 cached keys: query i sees keys 0 .. 2 + i.
    q, k, v = qkv(2, 2, 3, 5, 8, device)
    out, _ = attention(q, k, v, causal=True)
    mask = torch.ones(3, 5, dtype=torch.bool, device=device).tril(diagonal=2)
    expected = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    torch.testing.assert_close(out, expected, atol=1e-5, rtol=0)


def test_padding_mask_matches_sdpa(device):
    B, nh, T, hs = 3, 2, 6, 8
    q, k, v = qkv(B, nh, T, T, hs, device)
    lengths = torch.tensor([6, 4, 1], device=device)
    pad = torch.arange(T, device=device)[None, :] >= lengths[:, None]  # (B, T)
    out, weights = attention(q, k, v, causal=True, key_padding_mask=pad)
    keep = ~pad[:, None, None, :] & torch.ones(T, T, dtype=torch.bool, device=device).tril()
    expected = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
    torch.testing.assert_close(out, expected, atol=1e-5, rtol=0)
    assert weights[pad[:, None, None, :].expand_as(weights)].abs().max() == 0


def test_fully_masked_row_gives_zeros_and_finite_gradients(device):
    q, k, v = qkv(2, 1, 4, 4, 8, device)
    q.requires_grad_(True)
    k.requires_grad_(True)
    pad = torch.tensor([[False] * 4, [True] * 4], device=device)  # batch 1: all padding
    out, weights = attention(q, k, v, key_padding_mask=pad)
    assert torch.isfinite(out).all() and torch.isfinite(weights).all()
    assert out[1].abs().max() == 0 and weights[1].abs().max() == 0
    out.sum().backward()
    assert torch.isfinite(q.grad).all() and torch.isfinite(k.grad).all()
    assert q.grad[1].abs().max() == 0


def test_gradients_match_autograd_of_sdpa(device):
    q, k, v = (t.double().requires_grad_(True) for t in qkv(2, 2, 5, 5, 4, device))
    out, _ = attention(q, k, v, causal=True)
    ours = torch.autograd.grad(out.square().sum(), (q, k, v))
    ref_out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    theirs = torch.autograd.grad(ref_out.square().sum(), (q, k, v))
    for a, b in zip(ours, theirs, strict=True):
        torch.testing.assert_close(a, b, atol=1e-10, rtol=1e-8)


def test_gradcheck_float64(device):
    q, k, v = (t.double().requires_grad_(True) for t in qkv(1, 2, 3, 4, 3, device))
    pad = torch.tensor([[False, False, True, False]], device=device)
    assert torch.autograd.gradcheck(
        lambda q, k, v: attention(q, k, v, causal=True, key_padding_mask=pad)[0], (q, k, v)
    )


def test_scores_are_scaled_by_sqrt_d_head(device):
    # One query equal to key 0 with |q|² = d: scaled score d/√d = √d = 4 for d = 16.
    d = 16
    q = torch.ones(1, 1, 1, d, device=device)
    k = torch.stack([torch.ones(d), torch.zeros(d)]).to(device)[None, None]
    _, weights = attention(q, k, k)
    expected = torch.softmax(torch.tensor([4.0, 0.0]), dim=0).to(device)
    torch.testing.assert_close(weights[0, 0, 0], expected)
