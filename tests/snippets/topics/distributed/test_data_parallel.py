import copy

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from snippets.topics.distributed.data_parallel import data_parallel_step, ddp_step
from snippets.topics.distributed.launch import run_on_ranks

WORLD, B, LR = 2, 8, 0.1


def make_problem():
    g = torch.Generator().manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2)).double()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=torch.float64))
    x = torch.randn(B, 3, generator=g, dtype=torch.float64)
    y = torch.randn(B, 2, generator=g, dtype=torch.float64)
    return model, x, y


def both_steps(rank, world_size, model, x, y):
    """Runs on each rank: the by-hand step and the DDP step on copies."""
    out = {}
    for name, step in [("by_hand", data_parallel_step), ("ddp", ddp_step)]:
        m = copy.deepcopy(model)
        if name == "ddp" and rank == 1:  # DDP must overwrite this with rank 0's
            with torch.no_grad():
                for p in m.parameters():
                    p.add_(1.0)
        step(m, x, y, LR)
        out[name] = {
            "grads": [p.grad.clone() for p in m.parameters()],
            "params": [p.detach().clone() for p in m.parameters()],
        }
    return out


@pytest.fixture(scope="module")
def ranks():
    # One spawn for the module (~2-3 s). gloo runs on the CPU.
    model, x, y = make_problem()
    return run_on_ranks(both_steps, WORLD, args=(model, x, y), timeout=60)


def single_process_step(device):
    model, x, y = make_problem()
    model, x, y = model.to(device), x.to(device), y.to(device)
    F.mse_loss(model(x), y).backward()  # the large batch, in one process
    grads = [p.grad.clone() for p in model.parameters()]
    with torch.no_grad():
        params = [p - LR * p.grad for p in model.parameters()]
    return grads, params


@pytest.mark.parametrize("impl", ["by_hand", "ddp"])
def test_averaged_gradients_equal_the_large_batch_gradients(ranks, impl, device):
    grads, _ = single_process_step(device)
    for out in ranks:
        for ours, ref in zip(out[impl]["grads"], grads, strict=True):
            # float64: only summation order differs.
            torch.testing.assert_close(ours.to(device), ref, atol=1e-12, rtol=0)


@pytest.mark.parametrize("impl", ["by_hand", "ddp"])
def test_one_step_gives_identical_parameters_on_every_rank(ranks, impl, device):
    _, params = single_process_step(device)
    for a, b in zip(ranks[0][impl]["params"], ranks[1][impl]["params"], strict=True):
        torch.testing.assert_close(a, b, atol=0, rtol=0)  # bit-identical
    for ours, ref in zip(ranks[0][impl]["params"], params, strict=True):
        torch.testing.assert_close(ours.to(device), ref, atol=1e-12, rtol=0)


def test_unequal_shards_make_the_mean_of_means_wrong(device):
    # Why the loss must be a mean over equal shards: with shards of 6 and 2
    # rows, averaging the two shard means weighs a row of the small shard 3x.
    model, x, y = make_problem()
    model, x, y = model.to(device), x.to(device), y.to(device)
    full = torch.autograd.grad(F.mse_loss(model(x), y), list(model.parameters()))
    parts = [(x[:6], y[:6]), (x[6:], y[6:])]
    shard_grads = [
        torch.autograd.grad(F.mse_loss(model(a), b), list(model.parameters())) for a, b in parts
    ]
    mean_of_means = [(g0 + g1) / 2 for g0, g1 in zip(*shard_grads, strict=True)]
    weighted = [(6 * g0 + 2 * g1) / 8 for g0, g1 in zip(*shard_grads, strict=True)]
    assert max((a - b).abs().max() for a, b in zip(mean_of_means, full, strict=True)) > 1e-3
    for a, b in zip(weighted, full, strict=True):
        torch.testing.assert_close(a, b, atol=1e-12, rtol=0)
