"""Gradient (activation) checkpointing by hand: an autograd Function that
keeps only its input and recomputes the activations in backward, and a
tracker that measures the peak of the activations autograd keeps."""

import torch
from torch import nn


# --8<-- [start:recompute]
class Recompute(torch.autograd.Function):
    """y = fn(x), storing only x; fn is rerun during the backward.

    fn must be deterministic (no dropout here: torch.utils.checkpoint
    also saves and restores the RNG state). params: the tensors fn
    reads, passed in so that autograd routes their gradients here.
    """

    @staticmethod
    def forward(ctx, fn, x, *params):
        ctx.fn = fn
        ctx.save_for_backward(x, *params)
        with torch.no_grad():  # build no graph: nothing else is kept
            return fn(x)

    @staticmethod
    def backward(ctx, grad_out):
        x, *params = ctx.saved_tensors
        x = x.detach().requires_grad_(x.requires_grad)
        with torch.enable_grad():  # the second forward, this time taped
            out = ctx.fn(x)
        inputs = [t for t in (x, *params) if t.requires_grad]
        grads = iter(torch.autograd.grad(out, inputs, grad_out))
        return (
            None,
            *(next(grads) if t.requires_grad else None for t in (x, *params)),
        )


def checkpointed(blocks, x, segment):
    """Run the blocks in segments of `segment`, each under Recompute."""
    for i in range(0, len(blocks), segment):
        seg = nn.Sequential(*blocks[i : i + segment])
        x = Recompute.apply(seg, x, *seg.parameters())
    return x


# --8<-- [end:recompute]


# --8<-- [start:peak]
def peak_saved_bytes(step):
    """Run step() (a forward and a backward); return the largest number of
    bytes of activations autograd held at any moment.

    Each saved tensor is wrapped in a Box; autograd drops the Box when the
    backward no longer needs it, and the Box's __del__ counts it out.
    Parameters and views of them are left out: they are in memory anyway.
    """
    live, peak = [0], [0]

    class Box:
        def __init__(self, t):
            self.t, self.n = t, t.numel() * t.element_size()
            live[0] += self.n
            peak[0] = max(peak[0], live[0])

        def __del__(self):
            live[0] -= self.n

    def pack(t):
        base = t if t._base is None else t._base  # Wᵀ is a view of W
        return t if isinstance(base, nn.Parameter) else Box(t)

    def unpack(b):
        return b if isinstance(b, torch.Tensor) else b.t

    with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
        step()
    return peak[0]


# --8<-- [end:peak]
