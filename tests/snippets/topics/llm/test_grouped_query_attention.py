import pytest
import torch
import torch.nn.functional as F

from snippets.topics.llm.attention import attention
from snippets.topics.llm.grouped_query_attention import (
    GroupedQueryAttention,
    grouped_query_attention,
    kv_cache_bytes,
)
from snippets.topics.llm.multi_head_attention import MultiHeadAttention

# (B, nh, n_kv, Tq, Tk, hs): GQA groups of 4 and 2, MQA (n_kv = 1), MHA.
SHAPES = [(2, 8, 2, 5, 5, 8), (1, 6, 3, 4, 9, 16), (2, 4, 1, 7, 7, 8), (1, 4, 4, 3, 3, 4)]


def qkv(B, nh, n_kv, Tq, Tk, hs, device):
    q = torch.randn(B, nh, Tq, hs, device=device)
    k = torch.randn(B, n_kv, Tk, hs, device=device)
    v = torch.randn(B, n_kv, Tk, hs, device=device)
    return q, k, v


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("causal", [False, True])
def test_matches_sdpa_enable_gqa(shape, causal, device):
    q, k, v = qkv(*shape, device)
    Tq, Tk = shape[3], shape[4]
    out, weights = grouped_query_attention(q, k, v, causal)
    # SDPA's is_causal is top-left aligned; ours is bottom-right: pass the mask.
    allowed = torch.ones(Tq, Tk, dtype=torch.bool, device=device).tril(Tk - Tq)
    mask = allowed if causal else None
    expected = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, enable_gqa=True)
    torch.testing.assert_close(out, expected, atol=1e-5, rtol=0)
    assert weights.shape == (shape[0], shape[1], Tq, Tk)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("causal", [False, True])
def test_matches_repeated_kv_heads(shape, causal, device):
    # Query head h must read K/V head h // group: repeat_interleave, not repeat.
    q, k, v = qkv(*shape, device)
    group = shape[1] // shape[2]
    out, weights = grouped_query_attention(q, k, v, causal)
    k_rep, v_rep = k.repeat_interleave(group, dim=1), v.repeat_interleave(group, dim=1)
    expected, expected_weights = attention(q, k_rep, v_rep, causal)
    torch.testing.assert_close(out, expected, atol=1e-5, rtol=0)
    torch.testing.assert_close(weights, expected_weights, atol=1e-6, rtol=0)


def test_module_matches_sdpa(device):
    B, T, d_model, nh, n_kv = 2, 6, 32, 8, 2
    gqa = GroupedQueryAttention(d_model, nh, n_kv, bias=True, device=device)
    x = torch.randn(B, T, d_model, device=device)
    q = gqa.q_proj(x).view(B, T, nh, 4).transpose(1, 2)
    k = gqa.k_proj(x).view(B, T, n_kv, 4).transpose(1, 2)
    v = gqa.v_proj(x).view(B, T, n_kv, 4).transpose(1, 2)
    ref = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)
    expected = gqa.out_proj(ref.transpose(1, 2).reshape(B, T, d_model))
    torch.testing.assert_close(gqa(x, causal=True), expected, atol=1e-5, rtol=0)


def test_all_kv_heads_is_multi_head_attention(device):
    # n_kv_heads = n_heads with the same weights is exactly MultiHeadAttention.
    gqa = GroupedQueryAttention(16, 4, 4, bias=True, device=device)
    mha = MultiHeadAttention(16, 4, device=device)
    for name in ("q_proj", "k_proj", "v_proj", "out_proj"):
        getattr(mha, name).load_state_dict(getattr(gqa, name).state_dict())
    x = torch.randn(3, 5, 16, device=device)
    torch.testing.assert_close(gqa(x, causal=True), mha(x, causal=True)[0], atol=1e-6, rtol=0)


@pytest.mark.parametrize("n_kv", [1, 2, 4, 8])
def test_kv_cache_shrinks_by_the_group_factor(n_kv, device):
    B, T, d_model, nh = 2, 10, 64, 8
    x = torch.randn(B, T, d_model, device=device)
    mha = GroupedQueryAttention(d_model, nh, nh, device=device)
    gqa = GroupedQueryAttention(d_model, nh, n_kv, device=device)
    cache = sum(t.numel() * t.element_size() for t in gqa.kv(x))
    full = sum(t.numel() * t.element_size() for t in mha.kv(x))
    assert full / cache == nh / n_kv
    # One layer, fp32: the formula 2 · n_layers · n_kv · hs · tokens · bytes.
    assert cache == kv_cache_bytes(1, n_kv, d_model // nh, B * T, bytes_per=4)


@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("n_kv", [1, 2, 8])
def test_parameter_count(bias, n_kv, device):
    d_model, nh = 64, 8
    gqa = GroupedQueryAttention(d_model, nh, n_kv, bias=bias, device=device)
    kv_width = n_kv * d_model // nh
    # W_q, W_o: d_model² each; W_k, W_v: d_model · n_kv · hs each.
    expected = 2 * d_model * d_model + 2 * d_model * kv_width
    if bias:
        expected += 2 * d_model + 2 * kv_width
    assert sum(p.numel() for p in gqa.parameters()) == expected


def test_kv_cache_bytes_worked_numbers():
    # Llama-2-70B-like: 80 layers, 8 KV heads of 128, fp16: 320 KiB per token.
    assert kv_cache_bytes(80, 8, 128, 1) == 320 * 1024
    # Llama-2-7B-like (MHA, 32 layers, 32 heads of 128): 0.5 MiB per token.
    assert kv_cache_bytes(32, 32, 128, 1) == 512 * 1024
    assert kv_cache_bytes(32, 32, 128, 4096) == 2 * 1024**3


def test_gradients_match_repeated_kv_in_float64(device):
    q, k, v = (t.double().requires_grad_(True) for t in qkv(1, 4, 2, 3, 3, 4, device))
    assert torch.autograd.gradcheck(
        lambda q, k, v: grouped_query_attention(q, k, v, causal=True)[0], (q, k, v)
    )
