import operator
import warnings

import pytest
import torch
from torch import fx

from snippets.topics.distributed.jit_compilation import (
    ShapeSpecializingJit,
    capture,
    fuse_mul_add,
    ops,
    scaled_shift,
    sign_branch,
)


def inputs(device, shape=(4, 5)):
    return [torch.randn(shape, device=device) for _ in range(3)]


def test_capture_records_one_node_per_op_and_matches_eager(device):
    gm = capture(scaled_shift)
    assert ops(gm) == ["mul", "add", "relu", "add"]
    x, a, b = inputs(device)
    torch.testing.assert_close(gm(x, a, b), scaled_shift(x, a, b), rtol=0, atol=0)


def test_fusion_replaces_mul_add_by_addcmul_with_parity(device):
    gm = fuse_mul_add(capture(scaled_shift))
    assert ops(gm) == ["addcmul", "relu", "add"]  # 4 kernels -> 3
    x, a, b = inputs(device, (64, 33))
    # addcmul may fuse the multiply-add (one rounding instead of two):
    # float32, values O(1): differences of a few ulps at most.
    torch.testing.assert_close(gm(x, a, b), scaled_shift(x, a, b), rtol=1e-6, atol=1e-6)


def test_fusion_matches_in_float64(device):
    gm = fuse_mul_add(capture(scaled_shift))
    x, a, b = (t.double() for t in inputs(device))
    torch.testing.assert_close(gm(x, a, b), scaled_shift(x, a, b), rtol=0, atol=1e-15)


def test_fusion_leaves_a_shared_product_alone():
    def shared(x, a, b):
        p = x * a
        return (p + b) * p  # the product is needed twice: keep it

    gm = fuse_mul_add(capture(shared))
    assert ops(gm) == ["mul", "add", "mul"]
    assert all(n.target is not torch.addcmul for n in gm.graph.nodes)


def test_fusion_handles_b_plus_product():
    gm = fuse_mul_add(capture(lambda x, a, b: b + x * a))
    assert ops(gm) == ["addcmul"]
    x, a, b = inputs("cpu")
    torch.testing.assert_close(gm(x, a, b), b + x * a, rtol=1e-6, atol=1e-6)
    assert not any(n.target is operator.mul for n in gm.graph.nodes)


def test_symbolic_trace_refuses_data_dependent_control_flow():
    with pytest.raises(fx.proxy.TraceError):
        fx.symbolic_trace(sign_branch)


def test_tracing_freezes_the_branch_scripting_keeps_it():
    pos, neg = torch.ones(3), -torch.ones(3)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        traced = torch.jit.trace(sign_branch, pos)
        scripted = torch.jit.script(sign_branch)
    assert any(issubclass(w.category, torch.jit.TracerWarning) for w in caught)
    torch.testing.assert_close(traced(pos), sign_branch(pos))
    # The trace recorded x * 2 only: wrong for an input that goes the other way.
    torch.testing.assert_close(traced(neg), neg * 2)
    assert not torch.equal(traced(neg), sign_branch(neg))
    torch.testing.assert_close(scripted(neg), sign_branch(neg), rtol=0, atol=0)


def test_compile_cache_recompiles_on_a_new_shape(device):
    jit = ShapeSpecializingJit(scaled_shift)
    for _ in range(3):
        x, a, b = inputs(device, (4, 5))
        torch.testing.assert_close(jit(x, a, b), scaled_shift(x, a, b), rtol=1e-6, atol=1e-6)
    assert jit.compiles == 1  # cache hits
    jit(*inputs(device, (8, 5)))
    assert jit.compiles == 2  # a new shape: a new compilation
    jit(*(t.double() for t in inputs(device, (8, 5))))
    assert jit.compiles == 3  # a new dtype too
    jit(*inputs(device, (4, 5)))
    assert jit.compiles == 3
