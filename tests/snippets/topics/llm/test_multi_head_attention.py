import pytest
import torch
from torch import nn

from snippets.topics.llm.multi_head_attention import MultiHeadAttention, from_torch


def reference(d_model, n_heads, device, bias=True):
    return nn.MultiheadAttention(d_model, n_heads, bias=bias, batch_first=True, device=device)


@pytest.mark.parametrize(
    ("B", "T", "d_model", "n_heads"), [(1, 1, 8, 1), (2, 5, 16, 4), (3, 9, 24, 3)]
)
@pytest.mark.parametrize("bias", [True, False])
def test_self_attention_matches_torch(B, T, d_model, n_heads, bias, device):
    torch_mha = reference(d_model, n_heads, device, bias)
    ours = from_torch(torch_mha)
    x = torch.randn(B, T, d_model, device=device)
    out, weights = ours(x)
    expected, expected_weights = torch_mha(x, x, x, average_attn_weights=False)
    torch.testing.assert_close(out, expected, atol=1e-5, rtol=0)
    torch.testing.assert_close(weights, expected_weights, atol=1e-5, rtol=0)


def test_causal_and_padding_masks_match_torch(device):
    B, T, d_model, n_heads = 2, 6, 16, 4
    torch_mha = reference(d_model, n_heads, device)
    ours = from_torch(torch_mha)
    x = torch.randn(B, T, d_model, device=device)
    pad = torch.tensor([[False] * 6, [False] * 4 + [True] * 2], device=device)
    future = torch.ones(T, T, dtype=torch.bool, device=device).triu(1)  # True = blocked
    out, _ = ours(x, causal=True, key_padding_mask=pad)
    expected, _ = torch_mha(x, x, x, attn_mask=future, key_padding_mask=pad)
    torch.testing.assert_close(out, expected, atol=1e-5, rtol=0)


def test_cross_attention_matches_torch(device):
    torch_mha = reference(16, 2, device)
    ours = from_torch(torch_mha)
    x, memory = torch.randn(2, 3, 16, device=device), torch.randn(2, 7, 16, device=device)
    out, weights = ours(x, context=memory)
    expected, _ = torch_mha(x, memory, memory)
    torch.testing.assert_close(out, expected, atol=1e-5, rtol=0)
    assert weights.shape == (2, 2, 3, 7)


def test_gradients_match_torch(device):
    torch_mha = reference(8, 2, device).double()
    ours = from_torch(torch_mha)
    x = torch.randn(2, 4, 8, device=device, dtype=torch.float64)
    ours(x, causal=True)[0].square().sum().backward()
    future = torch.ones(4, 4, dtype=torch.bool, device=device).triu(1)
    torch_mha(x, x, x, attn_mask=future)[0].square().sum().backward()
    torch.testing.assert_close(ours.q_proj.weight.grad, torch_mha.in_proj_weight.grad[:8])
    torch.testing.assert_close(ours.out_proj.weight.grad, torch_mha.out_proj.weight.grad)


def test_split_and_merge_heads_are_inverse(device):
    mha = MultiHeadAttention(12, 3, device=device)
    x = torch.randn(2, 5, 12, device=device)
    heads = mha.split_heads(x)
    assert heads.shape == (2, 3, 5, 4)
    torch.testing.assert_close(heads[:, 1], x[..., 4:8])  # head 1 owns channels 4..7
    assert torch.equal(mha.merge_heads(heads), x)


def test_rejects_d_model_not_divisible_by_heads():
    with pytest.raises(AssertionError, match="split evenly"):
        MultiHeadAttention(10, 3)
