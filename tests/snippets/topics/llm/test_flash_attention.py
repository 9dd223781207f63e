import math

import pytest
import torch
import torch.nn.functional as F

from snippets.topics.llm.attention import attention
from snippets.topics.llm.flash_attention import combine, flash_attention, partial_softmax

# (T, block_q, block_k): dividing, non-dividing, blocks larger than T, and T = 1.
CASES = [(16, 4, 4), (16, 8, 4), (33, 8, 5), (37, 16, 64), (50, 7, 13), (5, 2, 3)]
CASES += [(1, 1, 1), (1, 64, 64)]


def qkv(B, nh, Tq, Tk, hs, device):
    q = torch.randn(B, nh, Tq, hs, device=device)
    return q, torch.randn(B, nh, Tk, hs, device=device), torch.randn(B, nh, Tk, hs, device=device)


@pytest.mark.parametrize(("T", "block_q", "block_k"), CASES)
def test_matches_sdpa(T, block_q, block_k, device):
    q, k, v = qkv(2, 3, T, T, 16, device)
    out, _ = flash_attention(q, k, v, block_q=block_q, block_k=block_k)
    torch.testing.assert_close(out, F.scaled_dot_product_attention(q, k, v), atol=1e-5, rtol=0)


@pytest.mark.parametrize(("T", "block_q", "block_k"), CASES)
def test_causal_matches_sdpa(T, block_q, block_k, device):
    q, k, v = qkv(2, 3, T, T, 16, device)
    out, _ = flash_attention(q, k, v, causal=True, block_q=block_q, block_k=block_k)
    expected = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    torch.testing.assert_close(out, expected, atol=1e-5, rtol=0)


@pytest.mark.parametrize("causal", [False, True])
def test_fewer_queries_than_keys(causal, device):
    # 5 new queries after 6 cached keys; causal is bottom-right aligned as in attention().
    q, k, v = qkv(1, 2, 5, 11, 8, device)
    out, _ = flash_attention(q, k, v, causal=causal, block_q=2, block_k=4)
    expected, _ = attention(q, k, v, causal=causal)
    torch.testing.assert_close(out, expected, atol=1e-5, rtol=0)
    if not causal:
        torch.testing.assert_close(out, F.scaled_dot_product_attention(q, k, v), atol=1e-5, rtol=0)


def test_log_sum_exp_is_returned(device):
    q, k, v = qkv(2, 2, 9, 9, 8, device)
    _, lse = flash_attention(q, k, v, causal=True, block_q=4, block_k=3)
    scores = q @ k.transpose(-2, -1) / math.sqrt(8)
    future = torch.ones(9, 9, dtype=torch.bool, device=device).triu(1)
    expected = scores.masked_fill(future, float("-inf")).logsumexp(dim=-1)
    torch.testing.assert_close(lse, expected, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("scale", [1.0, 300.0])
def test_combining_two_blocks_equals_the_full_softmax(scale, device):
    # Scores up to ~±1000: exp() of them would overflow float32 (max e^88.7).
    s = torch.randn(3, 4, 10, device=device) * scale  # (..., Tq, Tk)
    v = torch.randn(3, 10, 6, device=device)
    left, right = partial_softmax(s[..., :4], v[:, :4]), partial_softmax(s[..., 4:], v[:, 4:])
    m, ell, acc = combine(left, right)
    weights = torch.softmax(s, dim=-1)
    torch.testing.assert_close(acc / ell, weights @ v, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(m, s.amax(-1, keepdim=True), atol=0, rtol=0)
    torch.testing.assert_close(m + ell.log(), s.logsumexp(-1, keepdim=True), atol=1e-5, rtol=1e-6)


def test_combine_is_order_independent(device):
    s, v = torch.randn(2, 12, device=device) * 5, torch.randn(12, 3, device=device)
    parts = [partial_softmax(s[:, j : j + 4], v[j : j + 4]) for j in (0, 4, 8)]
    left = combine(combine(parts[0], parts[1]), parts[2])
    right = combine(parts[2], combine(parts[1], parts[0]))
    for a, b in zip(left, right, strict=True):
        torch.testing.assert_close(a, b, atol=1e-6, rtol=1e-6)


def test_fully_masked_block_row_contributes_nothing(device):
    # A row whose every key in a block is masked: the state is (finite m, ell = 0, acc = 0).
    s = torch.tensor([[float("-inf"), float("-inf")], [0.0, 1.0]], device=device)
    m, ell, acc = partial_softmax(s, torch.ones(2, 3, device=device))
    assert torch.isfinite(m).all()
    assert ell[0].item() == 0 and acc[0].abs().max().item() == 0
    torch.testing.assert_close(ell[1], torch.tensor([1 + math.exp(-1)], device=device))


def test_gradients_flow_and_match_sdpa_in_float64(device):
    # Autograd through the loop (the real kernel recomputes instead of storing).
    q, k, v = (t.double().requires_grad_(True) for t in qkv(1, 2, 7, 7, 4, device))
    out, _ = flash_attention(q, k, v, causal=True, block_q=3, block_k=2)
    ours = torch.autograd.grad(out.square().sum(), (q, k, v))
    ref = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    theirs = torch.autograd.grad(ref.square().sum(), (q, k, v))
    for a, b in zip(ours, theirs, strict=True):
        torch.testing.assert_close(a, b, atol=1e-10, rtol=1e-8)
