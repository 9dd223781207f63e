import pytest
import torch
from torch import nn

from snippets.topics.llm.decoder_block import DecoderBlock, FeedForward
from snippets.topics.llm.multi_head_attention import from_torch


def torch_layer(C, nh, pre_norm, device):
    """PyTorch's encoder layer with a causal mask is a decoder-only block."""
    return nn.TransformerEncoderLayer(
        C, nh, dim_feedforward=4 * C, dropout=0.0, activation="gelu",
        batch_first=True, norm_first=pre_norm, device=device,
    )  # fmt: skip


@torch.no_grad()
def copy_into_ours(layer, pre_norm):
    w = layer.linear1.weight
    nh = layer.self_attn.num_heads
    ours = DecoderBlock(w.size(1), nh, pre_norm, device=w.device, dtype=w.dtype)
    ours.attn = from_torch(layer.self_attn)
    ours.mlp.fc.load_state_dict(layer.linear1.state_dict())
    ours.mlp.proj.load_state_dict(layer.linear2.state_dict())
    ours.ln1.load_state_dict(layer.norm1.state_dict())
    ours.ln2.load_state_dict(layer.norm2.state_dict())
    return ours


@pytest.mark.parametrize("pre_norm", [True, False])
@pytest.mark.parametrize(("B", "T", "C", "nh"), [(1, 1, 8, 1), (2, 7, 16, 4), (3, 12, 24, 3)])
def test_matches_torch_encoder_layer_with_causal_mask(B, T, C, nh, pre_norm, device):
    layer = torch_layer(C, nh, pre_norm, device)
    with torch.no_grad():  # non-trivial LayerNorm affine parameters
        for norm in (layer.norm1, layer.norm2):
            norm.weight.normal_(1.0, 0.2)
            norm.bias.normal_(0.0, 0.2)
    ours = copy_into_ours(layer, pre_norm)
    x = torch.randn(B, T, C, device=device)
    mask = nn.Transformer.generate_square_subsequent_mask(T, device=device)
    expected = layer(x, src_mask=mask, is_causal=True)
    out = ours(x)
    assert out.shape == (B, T, C)
    torch.testing.assert_close(out, expected, atol=1e-5, rtol=0)


def test_gradients_match_torch_encoder_layer_float64(device):
    B, T, C, nh = 2, 5, 8, 2
    layer = torch_layer(C, nh, True, device).double()
    ours = copy_into_ours(layer, True)
    x = torch.randn(B, T, C, device=device, dtype=torch.float64)
    mask = nn.Transformer.generate_square_subsequent_mask(T, device=device, dtype=torch.float64)
    w = torch.randn(B, T, C, device=device, dtype=torch.float64)
    (layer(x, src_mask=mask, is_causal=True) * w).sum().backward()
    (ours(x) * w).sum().backward()
    in_proj = layer.self_attn.in_proj_weight.grad
    pairs = [
        (ours.attn.q_proj.weight, in_proj[:C]),
        (ours.attn.v_proj.weight, in_proj[2 * C :]),
        (ours.attn.out_proj.weight, layer.self_attn.out_proj.weight.grad),
        (ours.mlp.fc.weight, layer.linear1.weight.grad),
        (ours.mlp.proj.bias, layer.linear2.bias.grad),
        (ours.ln1.weight, layer.norm1.weight.grad),
        (ours.ln2.bias, layer.norm2.bias.grad),
    ]
    for param, expected in pairs:
        torch.testing.assert_close(param.grad, expected, atol=1e-10, rtol=1e-8)


@pytest.mark.parametrize("pre_norm", [True, False])
def test_changing_a_future_token_leaves_the_past_unchanged(pre_norm, device):
    B, T, C = 2, 9, 16
    block = DecoderBlock(C, 4, pre_norm, device=device)
    x = torch.randn(B, T, C, device=device)
    y = block(x)
    for t in range(T):
        x2 = x.clone()
        x2[:, t] = torch.randn(B, C, device=device)
        y2 = block(x2)
        torch.testing.assert_close(y2[:, :t], y[:, :t], atol=1e-6, rtol=0)
        assert (y2[:, t:] - y[:, t:]).abs().amax(dim=-1).min() > 1e-3  # the rest moves


@pytest.mark.parametrize("C", [8, 16, 64, 768])
def test_parameter_count_is_12c2_plus_13c(C):
    block = DecoderBlock(C, 4, device="meta")
    # attention 4C² + 4C, MLP 8C² + 5C, two LayerNorms 4C.
    assert sum(p.numel() for p in block.parameters()) == 12 * C * C + 13 * C


def test_feed_forward_expands_four_times_with_exact_gelu(device):
    ff = FeedForward(4, device=device)
    assert ff.fc.weight.shape == (16, 4) and ff.proj.weight.shape == (4, 16)
    with torch.no_grad():
        ff.fc.weight.zero_()
        ff.fc.bias.copy_(torch.linspace(-2, 2, 16))
        ff.proj.weight.fill_(1.0)
        ff.proj.bias.zero_()
    # GELU(z) = z Φ(z), with Φ the standard normal CDF.
    z = torch.linspace(-2, 2, 16, dtype=torch.float64)
    gelu_sum = (z * 0.5 * (1 + torch.erf(z / 2**0.5))).sum().item()
    out = ff(torch.randn(3, 4, device=device))
    torch.testing.assert_close(out, torch.full((3, 4), gelu_sum, device=device))


def test_pre_norm_block_with_silent_branches_is_the_identity(device):
    # Zero the two output projections: each branch adds exactly 0. The
    # pre-norm block is then x itself (identity Jacobian, the clean
    # gradient path); the post-norm block still normalises x twice.
    x = 3.0 + 2.0 * torch.randn(2, 5, 16, device=device)
    outs = {}
    for pre_norm in (True, False):
        block = DecoderBlock(16, 4, pre_norm, device=device)
        with torch.no_grad():
            for lin in (block.attn.out_proj, block.mlp.proj):
                lin.weight.zero_()
                lin.bias.zero_()
        outs[pre_norm] = block(x)
    assert torch.equal(outs[True], x)
    post = outs[False]  # LayerNorm output: mean 0, variance 1 per token
    torch.testing.assert_close(post.mean(-1), torch.zeros(2, 5, device=device), atol=1e-5, rtol=0)
    var = post.var(-1, unbiased=False)
    torch.testing.assert_close(var, torch.ones(2, 5, device=device), atol=1e-4, rtol=0)
