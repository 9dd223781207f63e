"""KV cache: decode one token at a time without recomputing the past."""

import torch

from snippets.topics.llm.attention import attention


# --8<-- [start:cache]
class KVCache:
    """Preallocated keys and values of one layer: (B, nh, max_len, hs).

    append writes the new positions in place and returns views of
    everything cached so far, (B, nh, T_cached, hs).
    """

    def __init__(self, B, n_heads, max_len, d_head, device=None, dtype=None):
        shape = (B, n_heads, max_len, d_head)
        self.k = torch.zeros(shape, device=device, dtype=dtype)
        self.v = torch.zeros(shape, device=device, dtype=dtype)
        self.length = 0

    def append(self, k, v):  # k, v: (B, nh, T_new, hs)
        start, end = self.length, self.length + k.size(2)
        if end > self.k.size(2):
            raise ValueError("KV cache is full")
        self.k[:, :, start:end] = k
        self.v[:, :, start:end] = v
        self.length = end
        return self.k[:, :, :end], self.v[:, :, :end]


# --8<-- [end:cache]


# --8<-- [start:step]
def block_step(block, x, cache):
    """One pre-norm DecoderBlock on new tokens only.

    x: (B, T_new, C), the positions after the cache's T_cached ones.
    The new queries attend to cached + new keys; causal=True aligns
    the mask bottom-right, so new token i sees T_cached + i + 1 keys.
    """
    attn = block.attn
    h = block.ln1(x)
    q = attn.split_heads(attn.q_proj(h))  # (B, nh, T_new, hs)
    k, v = cache.append(
        attn.split_heads(attn.k_proj(h)), attn.split_heads(attn.v_proj(h))
    )  # (B, nh, T_cached + T_new, hs)
    out, _ = attention(q, k, v, causal=True)
    x = x + attn.out_proj(attn.merge_heads(out))
    return x + block.mlp(block.ln2(x))


def gpt_step(model, idx, caches):
    """TinyGPT logits (B, T_new, V) for new tokens idx (B, T_new).

    caches: one KVCache per block, all holding the same T_cached.
    """
    start = caches[0].length
    pos = torch.arange(start, start + idx.size(1), device=idx.device)
    x = model.tok_emb(idx) + model.pos_emb(pos)  # (B, T_new, C)
    for block, cache in zip(model.blocks, caches, strict=True):
        x = block_step(block, x, cache)
    return model.lm_head(model.ln_f(x))


# --8<-- [end:step]


# --8<-- [start:generate]
@torch.no_grad()
def generate(model, idx, n_new, temperature=1.0, generator=None):
    """Extend idx (B, T0) by n_new tokens; temperature 0 is greedy.

    The first step prefills the whole prompt, each later step feeds
    only the token sampled last. Needs T0 + n_new - 1 <= block_size.
    """
    a, w = model.blocks[0].attn, model.lm_head.weight
    dims = (idx.size(0), a.n_heads, model.block_size, a.d_head)
    kw = dict(device=w.device, dtype=w.dtype)
    caches = [KVCache(*dims, **kw) for _ in model.blocks]
    new = idx
    for _ in range(n_new):
        logits = gpt_step(model, new, caches)[:, -1]  # (B, V)
        if temperature == 0:
            new = logits.argmax(-1, keepdim=True)  # (B, 1)
        else:
            probs = torch.softmax(logits / temperature, dim=-1)
            new = torch.multinomial(probs, 1, generator=generator)
        idx = torch.cat([idx, new], dim=1)
    return idx


# --8<-- [end:generate]
