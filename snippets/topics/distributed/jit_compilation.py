"""Graph capture and a fusion pass with torch.fx, tracing vs scripting,
and a toy compile cache that specialises on input shapes."""

import operator

import torch
from torch import fx


# --8<-- [start:capture]
def scaled_shift(x, a, b):
    """The function to compile: relu(x·a + b) + x, all elementwise."""
    return torch.relu(x * a + b) + x


def capture(fn):
    """Trace fn with symbolic proxies into an fx.GraphModule: one node per
    op, recorded by running the Python code once on placeholders."""
    return fx.symbolic_trace(fn)


def ops(gm):
    """The graph as a list of op names, in execution order."""
    return [
        getattr(n.target, "__name__", str(n.target))
        for n in gm.graph.nodes
        if n.op == "call_function"
    ]


# --8<-- [end:capture]


# --8<-- [start:fuse]
def fuse_mul_add(gm):
    """Rewrite add(mul(x, a), b) as addcmul(b, x, a) when the product is
    used nowhere else: one kernel and one pass over memory instead of two,
    and the product never written out. Returns the rewritten module."""
    graph = gm.graph
    for node in list(graph.nodes):
        if node.op != "call_function" or node.target is not operator.add:
            continue
        prod, other = node.args
        if not (isinstance(prod, fx.Node) and prod.target is operator.mul):
            prod, other = other, prod  # b + x·a: same thing
        if not (
            isinstance(prod, fx.Node)
            and prod.target is operator.mul
            and isinstance(other, fx.Node)
            and len(prod.users) == 1
        ):
            continue
        with graph.inserting_before(node):
            fused = graph.call_function(torch.addcmul, (other, *prod.args))
        node.replace_all_uses_with(fused)
        graph.erase_node(node)  # the add, then the now-unused mul
        graph.erase_node(prod)
    graph.lint()
    gm.recompile()  # regenerate the Python code from the graph
    return gm


# --8<-- [end:fuse]


# --8<-- [start:branch]
def sign_branch(x):
    """Data-dependent control flow: which branch runs depends on values."""
    if x.sum() > 0:
        return x * 2
    return -x


class ShapeSpecializingJit:
    """Compile fn once per input signature (shapes, dtypes), as jax.jit and
    torch.compile do: a new shape misses the cache and recompiles."""

    def __init__(self, fn):
        self.fn, self.cache, self.compiles = fn, {}, 0

    def __call__(self, *args):
        key = tuple((tuple(a.shape), a.dtype) for a in args)  # the guard
        if key not in self.cache:
            self.compiles += 1
            self.cache[key] = fuse_mul_add(capture(self.fn))
        return self.cache[key](*args)


# --8<-- [end:branch]
