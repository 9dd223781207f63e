import math

import torch

from snippets.topics.llm.sinusoidal_encoding import sinusoidal_encoding
from snippets.topics.llm.transformer_xl import RelativeAttention, xl_forward

F64 = torch.float64


def window_mask(T, seg_len, mem_len, device):
    """Token t of segment s(t) = t - t % L sees keys s(t) - M .. t."""
    t = torch.arange(T, device=device)[:, None]
    j = torch.arange(T, device=device)[None, :]
    start = t - t % seg_len
    return (j <= t) & (j >= start - mem_len)


def windowed_full(layers, x, seg_len, mem_len):
    """The whole sequence at once, each layer masked to the XL window."""
    allowed = window_mask(x.size(1), seg_len, mem_len, x.device)
    for layer in layers:
        x = x + layer(x, x, allowed)
    return x


def test_relative_scores_match_the_four_term_definition(device):
    B, Tq, Tk, C, nh = 1, 3, 5, 8, 2
    layer = RelativeAttention(C, nh, device=device, dtype=F64)
    context = torch.randn(B, Tk, C, device=device, dtype=F64)
    x = context[:, -Tq:]
    allowed = torch.ones(Tq, Tk, dtype=torch.bool, device=device).tril(Tk - Tq)
    out = layer(x, context, allowed)
    # Reference: explicit loops over heads, queries and keys.
    hs = C // nh
    Wq, (Wk, Wv) = layer.q_proj.weight, layer.kv_proj.weight.chunk(2)
    R = sinusoidal_encoding(Tk, C, device=device, dtype=F64)
    expected = torch.zeros(B, Tq, C, device=device, dtype=F64)
    for h in range(nh):
        sl = slice(h * hs, (h + 1) * hs)
        u, v = layer.u[h, 0], layer.v[h, 0]
        for i in range(Tq):
            pos = i + Tk - Tq
            q = Wq[sl] @ x[0, i]
            scores = []
            for j in range(pos + 1):
                k = Wk[sl] @ context[0, j]
                r = layer.r_proj.weight[sl] @ R[pos - j]
                scores.append(((q + u) @ k + (q + v) @ r) / math.sqrt(hs))
            w = torch.softmax(torch.stack(scores), 0)
            values = torch.stack([Wv[sl] @ context[0, j] for j in range(pos + 1)])
            expected[0, i, sl] = w @ values
    expected = expected @ layer.out_proj.weight.T
    torch.testing.assert_close(out, expected, atol=1e-12, rtol=0)


def test_segment_recurrence_equals_windowed_attention_over_the_whole_sequence(device):
    C, nh, T = 8, 2, 12
    layers = [RelativeAttention(C, nh, device=device, dtype=F64) for _ in range(2)]
    x = torch.randn(2, T, C, device=device, dtype=F64)
    for seg_len, mem_len in [(3, 3), (4, 4), (3, 6), (4, 2)]:
        got = xl_forward(layers, x, seg_len, mem_len)
        expected = windowed_full(layers, x, seg_len, mem_len)
        torch.testing.assert_close(got, expected, atol=1e-12, rtol=0)


def test_memory_carries_values_but_no_gradient(device):
    C, L = 8, 4
    layer = RelativeAttention(C, 2, device=device, dtype=F64)
    x = torch.randn(1, 2 * L, C, device=device, dtype=F64, requires_grad=True)
    out = xl_forward([layer], x, L, L)
    (grad,) = torch.autograd.grad(out[:, L:].sum(), x)
    assert grad[:, :L].abs().max() == 0  # stop-gradient: segment 1 gets nothing
    assert grad[:, L:].abs().max() > 0
    # ... yet segment 2's outputs do depend on segment 1 (through the memory).
    y = x.detach().clone()
    y[:, 0] += 1.0
    assert (xl_forward([layer], y, L, L)[:, L:] - out[:, L:]).abs().max() > 1e-3


def test_receptive_field_grows_by_mem_len_per_layer(device):
    # With M = L, output t of an N-layer stack depends on tokens s(t) - N*M .. t:
    # the effective context is about N*L tokens, not L.
    C, L, T = 8, 3, 15
    x = torch.randn(1, T, C, device=device, dtype=F64)
    for n_layers in (1, 2, 3):
        layers = [RelativeAttention(C, 2, device=device, dtype=F64) for _ in range(n_layers)]
        base = xl_forward(layers, x, L, L)
        # Batch element p is x with token p perturbed.
        y = x.repeat(T, 1, 1)
        y[torch.arange(T), torch.arange(T)] += 1.0
        change = (xl_forward(layers, y, L, L) - base).abs().amax(-1)  # (p, t)
        depends = (change > 1e-12).T  # (t, p)
        expected = window_mask(T, L, n_layers * L, device)
        assert torch.equal(depends, expected)
