import pytest
import torch
from torch import nn
from torch.utils.checkpoint import checkpoint

from snippets.topics.distributed.gradient_checkpointing import (
    checkpointed,
    peak_saved_bytes,
)
from snippets.topics.ml.activation_checkpointing import Block, run_blocks

L, B, C = 16, 8, 16


def make(device):
    blocks = nn.ModuleList(Block(C, device=device) for _ in range(L))
    blocks.double()
    x = torch.randn(B, C, device=device, dtype=torch.float64)
    return blocks, x.requires_grad_(True)


def grads(blocks, x, forward):
    blocks.zero_grad(set_to_none=True)
    x.grad = None
    forward(blocks, x).square().sum().backward()
    return [p.grad.clone() for p in blocks.parameters()] + [x.grad.clone()]


@pytest.mark.parametrize("segment", [1, 3, 4, 16])
def test_recompute_matches_plain_and_torch_checkpoint(segment, device):
    blocks, x = make(device)
    plain = grads(blocks, x, run_blocks)
    ours = grads(blocks, x, lambda b, v: checkpointed(b, v, segment))

    def torch_ckpt(b, v):
        for i in range(0, L, segment):
            seg = b[i : i + segment]
            v = checkpoint(run_blocks, seg, v, use_reentrant=False)
        return v

    ref = grads(blocks, x, torch_ckpt)
    for a, p, r in zip(ours, plain, ref, strict=True):
        # float64; the recomputation runs the same kernels on the same
        # inputs, so any difference is reordering: 1e-12 is generous.
        torch.testing.assert_close(a, p, atol=1e-12, rtol=0)
        torch.testing.assert_close(a, r, atol=1e-12, rtol=0)


def test_parameter_grads_without_input_grad(device):
    blocks, x = make(device)
    x = x.detach()  # e.g. token embeddings of a frozen layer
    ref = grads(blocks, x.requires_grad_(True), run_blocks)[:-1]
    blocks.zero_grad(set_to_none=True)
    checkpointed(blocks, x.detach(), 4).square().sum().backward()
    for p, r in zip(blocks.parameters(), ref, strict=True):
        torch.testing.assert_close(p.grad, r, atol=1e-12, rtol=0)


@pytest.mark.parametrize("segment", [1, 2, 4, 8, 16])
def test_peak_activation_memory_is_l_over_s_plus_2s(segment, device):
    blocks, x = make(device)
    unit = B * C * 8  # one float64 (B, C) activation
    plain = peak_saved_bytes(lambda: run_blocks(blocks, x).square().sum().backward())
    # Each block keeps its Linear's and its GELU's input; + the loss's.
    assert plain == (2 * L + 1) * unit
    peak = peak_saved_bytes(lambda: checkpointed(blocks, x, segment).square().sum().backward())
    # L/s segment inputs kept, plus one segment (2s) recomputed.
    assert peak == (L // segment + 2 * segment) * unit


def test_best_segment_is_order_sqrt_l(device):
    blocks, x = make(device)
    peaks = {
        s: peak_saved_bytes(lambda s=s: checkpointed(blocks, x, s).square().sum().backward())
        for s in (1, 2, 4, 8, 16)
    }
    best = min(peaks.values())
    # Optimum s = √(L/2) ≈ 2.8: s = 2 and s = 4 tie at 12 units of 33.
    assert {s for s, v in peaks.items() if v == best} == {2, 4}
    assert best * 33 == 12 * peaks[16]  # s = L keeps everything again


def test_each_block_runs_forward_twice(device):
    blocks, x = make(device)
    calls = [0]
    for b in blocks:
        b.register_forward_pre_hook(lambda *_: calls.__setitem__(0, calls[0] + 1))
    run_blocks(blocks, x).sum().backward()
    assert calls[0] == L
    calls[0] = 0
    checkpointed(blocks, x, 4).sum().backward()
    # Forward + recompute: compute F + F + 2F = 4F instead of 3F (+33 %).
    assert calls[0] == 2 * L
