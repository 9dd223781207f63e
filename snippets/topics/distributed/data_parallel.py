"""Data parallelism by hand (all-reduce the gradients, divide by the world
size) and the same step with PyTorch's DistributedDataParallel."""

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel


# --8<-- [start:by_hand]
def average_gradients(model):
    """All-reduce every p.grad and divide by the world size, so each rank
    holds the mean of the ranks' gradients."""
    world_size = dist.get_world_size()
    for p in model.parameters():
        dist.all_reduce(p.grad, op=dist.ReduceOp.SUM)
        p.grad /= world_size


def data_parallel_step(model, x, y, lr):
    """One SGD step on this rank's shard; call it on every rank.

    x: (B, d_in), y: (B, d_out): the *global* batch, identical on every
    rank; rank r trains on rows r·B/N ... (r+1)·B/N - 1. B divisible by N.
    """
    rank, world_size = dist.get_rank(), dist.get_world_size()
    xb, yb = x.chunk(world_size)[rank], y.chunk(world_size)[rank]
    model.zero_grad(set_to_none=True)
    loss = F.mse_loss(model(xb), yb)  # mean over the local B/N rows
    loss.backward()
    average_gradients(model)  # mean of equal-size means = global mean
    with torch.no_grad():
        for p in model.parameters():
            p -= lr * p.grad
    return loss.detach()


# --8<-- [end:by_hand]


# --8<-- [start:ddp]
def ddp_step(model, x, y, lr):
    """The same step with DistributedDataParallel: its constructor
    broadcasts rank 0's parameters, and backward hooks all-reduce the
    gradients in buckets while the rest of backward is still running."""
    rank, world_size = dist.get_rank(), dist.get_world_size()
    xb, yb = x.chunk(world_size)[rank], y.chunk(world_size)[rank]
    ddp = DistributedDataParallel(model, bucket_cap_mb=25)
    opt = torch.optim.SGD(ddp.parameters(), lr=lr)
    opt.zero_grad(set_to_none=True)
    loss = F.mse_loss(ddp(xb), yb)
    loss.backward()  # p.grad is already the mean over ranks here
    opt.step()
    return loss.detach()


# --8<-- [end:ddp]
