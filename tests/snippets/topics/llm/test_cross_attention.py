import pytest
import torch
from torch import nn

from snippets.topics.llm.cross_attention import CrossAttentionCache, cross_attention_flops
from snippets.topics.llm.multi_head_attention import from_torch


def reference(d_model, n_heads, device):
    return nn.MultiheadAttention(d_model, n_heads, batch_first=True, device=device)


@pytest.mark.parametrize(("Tq", "Tk"), [(1, 9), (4, 11), (12, 3)])
def test_matches_torch_with_tq_not_tk(Tq, Tk, device):
    torch_mha = reference(16, 4, device)
    ours = from_torch(torch_mha)
    x = torch.randn(2, Tq, 16, device=device)
    memory = torch.randn(2, Tk, 16, device=device)
    pad = torch.zeros(2, Tk, dtype=torch.bool, device=device)
    pad[1, Tk // 2 + 1 :] = True  # the second source sentence is shorter
    out, weights = ours(x, context=memory, key_padding_mask=pad)
    expected, expected_w = torch_mha(
        x, memory, memory, key_padding_mask=pad, average_attn_weights=False
    )
    assert out.shape == (2, Tq, 16) and weights.shape == (2, 4, Tq, Tk)
    torch.testing.assert_close(out, expected, atol=1e-5, rtol=0)
    torch.testing.assert_close(weights, expected_w, atol=1e-5, rtol=0)
    cached = CrossAttentionCache(ours, memory, pad)(x)
    torch.testing.assert_close(cached, expected, atol=1e-5, rtol=0)


def test_step_by_step_decoding_equals_one_pass(device):
    # K, V computed once; feeding decoder states one at a time gives the
    # same rows as the full pass (no causal mask in cross-attention).
    torch_mha = reference(16, 2, device)
    ours = from_torch(torch_mha)
    x, memory = torch.randn(1, 6, 16, device=device), torch.randn(1, 10, 16, device=device)
    cache = CrossAttentionCache(ours, memory)
    steps = torch.cat([cache(x[:, t : t + 1]) for t in range(6)], dim=1)
    expected, _ = torch_mha(x, memory, memory)
    torch.testing.assert_close(steps, expected, atol=1e-5, rtol=0)


def test_invariant_to_permuting_the_encoder_positions(device):
    # Keys and values permuted together: the output does not change, so any
    # order information must already be inside the encoder states.
    ours = from_torch(reference(16, 4, device))
    x, memory = torch.randn(2, 3, 16, device=device), torch.randn(2, 8, 16, device=device)
    perm = torch.randperm(8, device=device)
    out, _ = ours(x, context=memory)
    shuffled, _ = ours(x, context=memory[:, perm])
    torch.testing.assert_close(shuffled, out, atol=1e-5, rtol=0)


def test_flops_hand_worked():
    # Tq = 10, Tk = 20, d = 4: projections 2·16·60 = 1920; mixing 4·800 = 3200.
    assert cross_attention_flops(10, 20, 4) == 1920 + 3200
    # The Tq·Tk part (scores and weighted sum) is 4·Tq·Tk·d, on top of the
    # projections, which are linear in each length.
    d = 64
    for tq, tk in [(100, 200), (100, 400), (1, 4096)]:
        mixing = cross_attention_flops(tq, tk, d) - cross_attention_flops(tq, 0, d)
        mixing -= cross_attention_flops(0, tk, d)
        assert mixing == 4 * tq * tk * d
