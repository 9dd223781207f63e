import math

import pytest
import torch
import torch.nn.functional as F

from snippets.topics.llm.relative_position import alibi_bias, alibi_slopes, shaw_scores, t5_bucket


def test_alibi_slopes_for_8_and_16_heads():
    assert alibi_slopes(8).tolist() == [2.0**-k for k in range(1, 9)]
    # 16 heads: 2^(-0.5), 2^(-1), ..., 2^(-8): the 8-head series interleaved.
    s16 = alibi_slopes(16)
    assert math.isclose(s16[0].item(), 2**-0.5, rel_tol=1e-15)
    assert s16[1::2].tolist() == alibi_slopes(8).tolist()


def test_alibi_bias_matches_the_closed_form(device):
    nh, T = 4, 6
    bias = alibi_bias(nh, T, T, device, torch.float64)
    for h in range(nh):
        m = 2.0 ** (-8 * (h + 1) / nh)
        for i in range(T):
            for j in range(T):
                assert bias[h, i, j].item() == -m * (i - j)
    # Bias depends on i - j only: every diagonal is constant.
    assert torch.equal(bias[:, 1:, 1:], bias[:, :-1, :-1])


def test_alibi_with_kv_cache_rows_are_the_last_rows(device):
    full = alibi_bias(8, 10, 10, device)
    torch.testing.assert_close(alibi_bias(8, 3, 10, device), full[:, -3:], atol=0, rtol=0)


def test_alibi_attention_matches_sdpa_with_float_mask(device):
    # ALiBi is just an additive mask: our softmax(qk/√d + bias) = SDPA(attn_mask).
    B, nh, T, hs = 2, 4, 7, 8
    q, k, v = torch.randn(3, B, nh, T, hs, device=device)
    causal = torch.ones(T, T, dtype=torch.bool, device=device).tril()
    mask = alibi_bias(nh, T, T, device).masked_fill(~causal, float("-inf"))
    ours = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(hs) + mask, -1) @ v
    expected = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    torch.testing.assert_close(ours, expected, atol=1e-5, rtol=0)


def test_alibi_extrapolates_linearly(device):
    # Trained on 8 tokens, run on 64: the bias of unseen distances is the
    # same line continued, so the penalty for distance 60 is 60 x slope.
    bias = alibi_bias(8, 64, 64, device, torch.float64)
    assert bias[0, 63, 3].item() == -60 * 0.5
    assert bias[7, 63, 3].item() == -60 / 256


@pytest.mark.parametrize(
    ("rel", "bucket"),
    [
        # 32 buckets, max_distance 128: 16 per direction, 8 exact.
        (0, 0), (-1, 1), (-7, 7), (-8, 8), (-11, 8), (-15, 9), (-16, 10), (-31, 11),
        (-32, 12), (-64, 14), (-127, 15), (-128, 15), (-5000, 15),
        (1, 17), (7, 23), (16, 26), (128, 31),
    ],
)  # fmt: skip
def test_t5_bucket_hand_cases(rel, bucket, device):
    assert t5_bucket(torch.tensor([rel], device=device)).item() == bucket


def test_t5_bucket_is_monotone_in_distance(device):
    for bidirectional in (True, False):
        past = t5_bucket(-torch.arange(0, 600, device=device), bidirectional=bidirectional)
        assert (past[1:] >= past[:-1]).all()
        n = 16 if bidirectional else 32
        assert past.max().item() == n - 1 and past[: n // 2].tolist() == list(range(n // 2))
    future = t5_bucket(torch.arange(1, 600, device=device))
    assert (future[1:] >= future[:-1]).all() and future.min().item() == 17
    # Causal mode: future keys (masked anyway) fall in bucket 0.
    assert t5_bucket(torch.tensor([5], device=device), bidirectional=False).item() == 0


def test_shaw_with_zero_offsets_is_plain_attention_scores(device):
    q, k = torch.randn(2, 2, 3, 5, 8, device=device)
    s = shaw_scores(q, k, torch.zeros(5, 8, device=device), max_rel=2)
    torch.testing.assert_close(s, q @ k.transpose(-2, -1) / math.sqrt(8), atol=1e-6, rtol=0)


def test_shaw_position_term_is_clipped_and_relative(device):
    # With q = 1 and k = 0 the score is a_clip(j - i) summed over channels.
    T, max_rel, hs = 6, 2, 4
    rel_k = torch.arange(2 * max_rel + 1, device=device, dtype=torch.float64)[:, None]
    rel_k = rel_k.expand(-1, hs)  # a_r = (r + max_rel) in every channel
    q = torch.ones(1, 1, T, hs, device=device, dtype=torch.float64)
    s = shaw_scores(q, torch.zeros_like(q), rel_k, max_rel)[0, 0]
    for i in range(T):
        for j in range(T):
            r = max(-max_rel, min(max_rel, j - i))
            assert math.isclose(s[i, j].item(), hs * (r + max_rel) / math.sqrt(hs))


def test_shaw_gradcheck(device):
    q, k = torch.randn(2, 1, 2, 4, 4, device=device, dtype=torch.float64, requires_grad=True)
    rel_k = torch.randn(3, 4, device=device, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda q, k, a: shaw_scores(q, k, a, 1), (q, k, rel_k))
