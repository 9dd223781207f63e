"""Megatron-style tensor parallelism for a transformer MLP, simulated over
N ranks in one process: column-parallel, then row-parallel, one all-reduce."""

import torch
import torch.nn.functional as F


# --8<-- [start:tp]
class SimGroup:
    """N simulated ranks that record the collectives they call."""

    def __init__(self, world_size):
        self.world_size, self.calls = world_size, []

    def all_reduce(self, xs):
        """xs: one tensor per rank, same shape; every rank gets the sum."""
        self.calls.append("all_reduce")
        total = torch.stack(xs).sum(0)
        return [total for _ in xs]


def shard_mlp(W1, b1, W2, world_size):
    """Split MLP(x) = gelu(x W1 + b1) W2 + b2 for world_size ranks.

    W1: (C, H) split by columns, b1: (H,) with it; W2: (H, C) split by
    rows. Rank r owns hidden units r·H/N ... (r+1)·H/N - 1 end to end.
    """
    return list(
        zip(
            W1.chunk(world_size, dim=1),  # (C, H/N) each
            b1.chunk(world_size),  # (H/N,) each
            W2.chunk(world_size, dim=0),  # (H/N, C) each
            strict=True,
        )
    )


def tensor_parallel_mlp(x, shards, b2, group):
    """x: (B, T, C), replicated on every rank. Returns (B, T, C) per rank."""
    partials = []
    for W1_r, b1_r, W2_r in shards:  # in parallel, one rank each
        # GELU is elementwise, so it applies to a column slice alone:
        # no communication between the two matmuls.
        h_r = F.gelu(x @ W1_r + b1_r)  # (B, T, H/N)
        partials.append(h_r @ W2_r)  # (B, T, C), a partial sum over H
    outs = group.all_reduce(partials)  # the only forward collective
    return [out + b2 for out in outs]  # b2 added once, after the sum


# --8<-- [end:tp]
