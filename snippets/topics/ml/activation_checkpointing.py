"""Activation checkpointing: keep segment inputs, recompute the rest."""

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.checkpoint import checkpoint


# --8<-- [start:model]
class Block(nn.Module):
    """x + dropout(gelu(x Wᵀ + b)); x: (B, C)."""

    def __init__(self, width, dropout=0.0, device=None, dtype=None):
        super().__init__()
        self.fc = nn.Linear(width, width, device=device, dtype=dtype)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        return x + self.drop(F.gelu(self.fc(x)))


def run_blocks(blocks, x):
    for block in blocks:
        x = block(x)
    return x


class DeepMLP(nn.Module):
    """n_blocks residual blocks, checkpointed in segments of `segment` blocks.

    segment=None stores every activation. With segments of s blocks the
    forward keeps only the n_blocks / s segment inputs; the backward
    recomputes one segment at a time, holding its s blocks' activations.
    Peak ∝ n_blocks / s + s, smallest at s = √n_blocks.
    """

    def __init__(
        self,
        width,
        n_blocks,
        dropout=0.0,
        segment=None,
        device=None,
        dtype=None,
    ):
        super().__init__()
        self.blocks = nn.ModuleList(
            Block(width, dropout, device, dtype) for _ in range(n_blocks)
        )
        self.segment = segment

    def forward(self, x):
        if self.segment is None:
            return run_blocks(self.blocks, x)
        for i in range(0, len(self.blocks), self.segment):
            segment = self.blocks[i : i + self.segment]
            # use_reentrant=False: the supported implementation. It works
            # when x needs no grad, and it restores the RNG state, so
            # dropout draws the same mask when the segment is recomputed.
            x = checkpoint(run_blocks, segment, x, use_reentrant=False)
        return x


# --8<-- [end:model]


# --8<-- [start:measure]
def saved_activation_bytes(fn, *args):
    """Run fn(*args); also return the bytes autograd keeps for the backward.

    Parameters (and views of them, such as Wᵀ) are left out: they are in
    memory whether or not we train.
    """
    saved = {}

    def pack(t):
        base = t if t._base is None else t._base
        if not isinstance(base, nn.Parameter):
            saved[t.data_ptr()] = t.numel() * t.element_size()  # once each
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        out = fn(*args)
    return out, sum(saved.values())


# --8<-- [end:measure]
