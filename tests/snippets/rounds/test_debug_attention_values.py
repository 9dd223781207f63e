import pytest
import torch
from torch import nn

from snippets.rounds.debug_attention_values import (
    buggy_self_attention,
    fixed_self_attention,
)
from snippets.topics.llm.multi_head_attention import from_torch


def torch_and_ours(d_model, n_heads, device):
    reference = nn.MultiheadAttention(d_model, n_heads, batch_first=True, device=device)
    return reference, from_torch(reference)


def test_buggy_has_the_right_shapes_and_wrong_values(device):
    reference, ours = torch_and_ours(16, 4, device)
    x = torch.randn(2, 6, 16, device=device)
    expected, expected_weights = reference(x, x, x, average_attn_weights=False)
    out, weights = buggy_self_attention(x, ours)
    assert out.shape == expected.shape == (2, 6, 16)
    assert weights.shape == expected_weights.shape == (2, 4, 6, 6)
    assert (out - expected).abs().max() > 1e-1  # 0.6 on the CPU
    # Each row is still a probability distribution: nothing looks wrong.
    torch.testing.assert_close(weights.sum(-1), torch.ones(2, 4, 6, device=device))


@pytest.mark.parametrize(("B", "T", "d_model", "n_heads"), [(2, 6, 16, 4), (3, 5, 24, 3)])
def test_fixed_matches_torch(B, T, d_model, n_heads, device):
    reference, ours = torch_and_ours(d_model, n_heads, device)
    x = torch.randn(B, T, d_model, device=device)
    expected, expected_weights = reference(x, x, x, average_attn_weights=False)
    out, weights = fixed_self_attention(x, ours)
    torch.testing.assert_close(out, expected, atol=1e-5, rtol=0)
    torch.testing.assert_close(weights, expected_weights, atol=1e-5, rtol=0)


@pytest.mark.parametrize(("T", "n_heads"), [(1, 4), (6, 1)])
def test_one_token_or_one_head_hides_the_bug(T, n_heads, device):
    # With T = 1 or nh = 1 the two layouts coincide, so a test with a single
    # token or a single head passes the buggy code.
    reference, ours = torch_and_ours(16, n_heads, device)
    x = torch.randn(2, T, 16, device=device)
    expected, _ = reference(x, x, x)
    torch.testing.assert_close(buggy_self_attention(x, ours)[0], expected, atol=1e-5, rtol=0)


def test_cheapest_check_head_h_holds_channels_of_its_own_token(device):
    # Label every channel with its (token, channel) index and look at head 1.
    B, T, nh, hs = 1, 3, 2, 4
    x = torch.arange(B * T * nh * hs, device=device).view(B, T, nh * hs)
    right = x.view(B, T, nh, hs).transpose(1, 2)
    wrong = x.view(B, nh, T, hs)
    assert torch.equal(right[0, 1], x[0, :, hs : 2 * hs])  # channels 4..7 of tokens 0..2
    assert torch.equal(wrong[0, 1, 0], x[0, 1, hs:])  # token 1's second half...
    assert torch.equal(wrong[0, 1, 1], x[0, 2, :hs])  # ...then token 2's first half
