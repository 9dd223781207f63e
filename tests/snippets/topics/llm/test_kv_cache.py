import pytest
import torch
import torch.nn.functional as F

from snippets.topics.llm.attention import attention
from snippets.topics.llm.kv_cache import KVCache, generate, gpt_step
from snippets.topics.llm.tiny_gpt import TinyGPT

V, BLOCK, C, NH, L = 29, 24, 32, 4, 3


@pytest.fixture
def model(device):
    return TinyGPT(V, BLOCK, C, NH, L, device=device).eval()


def new_caches(model, B, device, dtype=torch.float32):
    return [KVCache(B, NH, BLOCK, C // NH, device=device, dtype=dtype) for _ in range(L)]


@pytest.mark.parametrize("prompt_len", [1, 2, 7, 23])
def test_incremental_decoding_matches_the_full_forward(model, prompt_len, device):
    B, T = 3, BLOCK
    idx = torch.randint(0, V, (B, T), device=device)
    with torch.no_grad():
        full, _ = model(idx)  # (B, T, V)
        caches = new_caches(model, B, device)
        steps = [gpt_step(model, idx[:, :prompt_len], caches)]  # prefill
        for t in range(prompt_len, T):  # then one token at a time
            steps.append(gpt_step(model, idx[:, t : t + 1], caches))
    torch.testing.assert_close(torch.cat(steps, dim=1), full, atol=1e-5, rtol=0)
    assert all(c.length == T for c in caches)


def test_chunked_prefill_uses_the_bottom_right_causal_mask(model, device):
    # Chunks of 3, 5, 1 and 6 new tokens: every chunk after the first has
    # Tq < Tk, and each new query must see the cache plus its own prefix.
    idx = torch.randint(0, V, (2, 15), device=device)
    with torch.no_grad():
        full, _ = model(idx)
        caches = new_caches(model, 2, device)
        parts, start = [], 0
        for n in (3, 5, 1, 6):
            parts.append(gpt_step(model, idx[:, start : start + n], caches))
            start += n
    torch.testing.assert_close(torch.cat(parts, dim=1), full, atol=1e-5, rtol=0)


def test_top_left_causal_mask_would_be_wrong_with_a_cache(device):
    # 2 new queries after 4 cached keys: rows 4 and 5 of full attention.
    q, k, v = (torch.randn(1, 2, 6, 8, device=device) for _ in range(3))
    full, _ = attention(q, k, v, causal=True)
    ours, _ = attention(q[:, :, 4:], k, v, causal=True)
    torch.testing.assert_close(ours, full[:, :, 4:], atol=1e-6, rtol=0)
    top_left = F.scaled_dot_product_attention(q[:, :, 4:], k, v, is_causal=True)
    assert (top_left - full[:, :, 4:]).abs().max() > 0.1  # sees only keys 0, 1


def test_greedy_generation_matches_recomputing_everything(model, device):
    prompt = torch.randint(0, V, (2, 4), device=device)
    out = generate(model, prompt, n_new=BLOCK - 3, temperature=0)
    ref = prompt
    with torch.no_grad():
        for _ in range(BLOCK - 3):  # no cache: a full forward per token
            logits, _ = model(ref)
            ref = torch.cat([ref, logits[:, -1].argmax(-1, keepdim=True)], dim=1)
    assert out.shape == (2, BLOCK + 1)
    assert torch.equal(out, ref)


def test_sampling_is_reproducible_with_a_generator(model, device):
    prompt = torch.randint(0, V, (2, 3), device=device)
    runs = []
    for _ in range(2):
        g = torch.Generator(device=device).manual_seed(7)
        runs.append(generate(model, prompt, 10, temperature=1.0, generator=g))
    assert torch.equal(runs[0], runs[1]) and torch.equal(runs[0][:, :3], prompt)


def test_cache_memory_is_2_layers_heads_head_size_bytes_per_token(model, device):
    # bytes per token = 2 (K and V) · L · nh · hs · bytes per element.
    for dtype, size in ((torch.float32, 4), (torch.float16, 2)):
        caches = new_caches(model, 1, device, dtype)
        total = sum(c.k.nbytes + c.v.nbytes for c in caches)
        assert total / BLOCK == 2 * L * NH * (C // NH) * size == 2 * L * C * size


def test_a_full_cache_refuses_more_tokens(device):
    cache = KVCache(1, 2, 3, 4, device=device)
    k = torch.ones(1, 2, 3, 4, device=device)
    got_k, got_v = cache.append(k, 2 * k)
    assert torch.equal(got_k, k) and torch.equal(got_v, 2 * k)
    with pytest.raises(ValueError, match="full"):
        cache.append(k[:, :, :1], k[:, :, :1])
