"""Fully sharded data parallelism (ZeRO-3) by hand, simulated over a list
of ranks in one process, with the ring collectives of collectives.py."""

import torch
from torch.func import functional_call

from snippets.topics.distributed.collectives import (
    ring_all_gather,
    ring_reduce_scatter,
)
from snippets.topics.ml.optimizers import Adam


# --8<-- [start:zero]
def zero_bytes_per_param(stage, world_size):
    """Bytes per parameter held by one rank with mixed-precision Adam:
    bf16 weights (2) + bf16 grads (2) + fp32 master, m, v (12).
    Stage 1 shards the 12, stage 2 also the grads, stage 3 everything."""
    N = world_size
    weights, grads, optim = 2.0, 2.0, 12.0
    if stage >= 1:
        optim /= N
    if stage >= 2:
        grads /= N
    if stage >= 3:
        weights /= N
    return weights + grads + optim


# --8<-- [end:zero]


# --8<-- [start:fsdp]
def as_views(model, flat):
    """{name: view of flat with that parameter's shape}."""
    views, offset = {}, 0
    for name, p in model.named_parameters():
        views[name] = flat[offset : offset + p.numel()].view_as(p)
        offset += p.numel()
    return views


class ShardedTrainer:
    """Rank r keeps only shard r of the flat parameter vector, its gradient
    and Adam's m and v for it: 1/N of the unsharded state per rank."""

    def __init__(self, model, world_size, lr):
        flat = torch.cat([p.detach().reshape(-1) for p in model.parameters()])
        flat = torch.cat([flat, flat.new_zeros(-flat.numel() % world_size)])
        self.model, self.N = model, world_size  # model: shapes only now
        self.shards = [s.clone() for s in flat.chunk(world_size)]
        self.opts = [Adam([s], lr=lr) for s in self.shards]

    def step(self, batches, loss_fn):
        """batches: one (x, y) per rank, equal sizes; loss_fn is a mean."""
        fulls, _ = ring_all_gather(self.shards)  # every rank: all params
        grads = []
        for flat, (x, y) in zip(fulls, batches, strict=True):
            flat.requires_grad_(True)
            out = functional_call(self.model, as_views(self.model, flat), x)
            grads.append(torch.autograd.grad(loss_fn(out, y), flat)[0])
            # Real FSDP frees each layer's gathered weights after use and
            # gathers them again in backward; here flat just goes away.
        g_shards, _ = ring_reduce_scatter(grads)  # rank r: shard r of Σ
        for shard, g, opt in zip(self.shards, g_shards, self.opts, strict=True):
            shard.grad = g / self.N  # the mean over ranks, as in DDP
            opt.step()  # Adam is elementwise: a shard updates alone

    def bytes_held(self, rank):
        """Parameters + gradients + optimiser state kept by one rank."""
        opt, shard = self.opts[rank], self.shards[rank]
        state = [shard, shard.grad, opt.m[0], opt.v[0]]
        return sum(t.nbytes for t in state if t is not None)

    def parameters(self):
        """The unsharded parameters, {name: tensor}, for checking."""
        return as_views(self.model, torch.cat(self.shards))


# --8<-- [end:fsdp]
