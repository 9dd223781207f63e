import pytest
import torch

from snippets.topics.ml.activation_checkpointing import DeepMLP, saved_activation_bytes

B, C, N = 8, 16, 16


def grads_after_backward(segment, dropout, device, x_requires_grad=True):
    torch.manual_seed(0)  # same weights for every model
    model = DeepMLP(C, N, dropout, segment, device=device)
    x = torch.randn(B, C, device=device, requires_grad=x_requires_grad)
    torch.manual_seed(1)  # same dropout masks in the forward
    model(x).square().mean().backward()
    grads = [p.grad for p in model.parameters()]
    return grads + ([x.grad] if x_requires_grad else [])


@pytest.mark.parametrize(
    ("segment", "dropout"), [(4, 0.0), (1, 0.5), (4, 0.5), (5, 0.5), (16, 0.5)]
)
def test_checkpointed_gradients_equal_plain_ones(segment, dropout, device):
    # Recomputation runs the same kernels on the same inputs, and with the
    # restored RNG state draws the same dropout mask: equal to the last bit
    # on CPU; 1e-6 leaves room for nondeterministic GPU kernels.
    plain = grads_after_backward(None, dropout, device)
    ckpt = grads_after_backward(segment, dropout, device)
    for a, b in zip(ckpt, plain, strict=True):
        torch.testing.assert_close(a, b, atol=1e-6, rtol=0)


def test_works_when_the_input_needs_no_grad(device):
    # The reentrant variant would return no parameter gradients here.
    plain = grads_after_backward(None, 0.0, device, x_requires_grad=False)
    ckpt = grads_after_backward(4, 0.0, device, x_requires_grad=False)
    for a, b in zip(ckpt, plain, strict=True):
        assert b is not None
        torch.testing.assert_close(a, b, atol=1e-6, rtol=0)


@pytest.mark.parametrize("segment", [None, 1, 2, 4, 8, 16])
def test_saved_memory_is_one_input_per_segment(segment, device):
    # float32 (B, C) activation = 8 · 16 · 4 = 512 bytes. Without
    # checkpointing each block keeps 2 (the Linear's and the GELU's inputs);
    # with it, only each segment's input survives the forward.
    model = DeepMLP(C, N, segment=segment, device=device)
    x = torch.randn(B, C, device=device, requires_grad=True)
    _, saved = saved_activation_bytes(model, x)
    act = B * C * 4
    assert saved == (2 * N * act if segment is None else (N // segment) * act)


def test_sqrt_n_segments_minimise_peak_activations():
    # Peak (in activations) = N/s kept inputs + 2s recomputed in one segment.
    n = 64
    peak = {s: n / s + 2 * s for s in (1, 2, 4, 8, 16, 32, 64)}
    best = min(peak, key=peak.get)
    assert best in (4, 8)  # optimum s = √(n/2) ≈ 5.7, i.e. Θ(√n)
    assert peak[best] < (2 * n) / 5  # vs 128 stored without checkpointing


def test_each_block_runs_forward_twice(device):
    # Compute cost: forward F + backward ≈ 2F, plus one recomputed forward:
    # 4F instead of 3F, ≈ 33% more. A pre-hook counts every call started: the
    # recomputation stops early, inside a segment's last block, once the last
    # tensor the backward needs exists, so a post-hook would miss those.
    counts = {}
    for segment in (None, 4):
        model = DeepMLP(C, N, segment=segment, device=device)
        calls = []
        for block in model.blocks:
            block.register_forward_pre_hook(lambda module, args, calls=calls: calls.append(1))
        model(torch.randn(B, C, device=device, requires_grad=True)).sum().backward()
        counts[segment] = len(calls)
    assert counts == {None: N, 4: 2 * N}
