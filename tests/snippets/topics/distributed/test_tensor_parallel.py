import pytest
import torch
from torch import nn

from snippets.topics.distributed.tensor_parallel import (
    SimGroup,
    shard_mlp,
    tensor_parallel_mlp,
)

B, T, C, H = 2, 3, 8, 32


def reference_mlp(device):
    mlp = nn.Sequential(nn.Linear(C, H), nn.GELU(), nn.Linear(H, C))
    return mlp.to(device=device, dtype=torch.float64)


@pytest.mark.parametrize("N", [1, 2, 4])
def test_column_then_row_parallel_equals_the_unsplit_mlp(N, device):
    mlp = reference_mlp(device)
    x = torch.randn(B, T, C, device=device, dtype=torch.float64)
    W1, b1 = mlp[0].weight.T, mlp[0].bias  # nn.Linear stores (out, in)
    W2, b2 = mlp[2].weight.T, mlp[2].bias
    group = SimGroup(N)
    outs = tensor_parallel_mlp(x, shard_mlp(W1, b1, W2, N), b2, group)
    assert group.calls == ["all_reduce"]  # exactly one collective forward
    for out in outs:
        # float64, only the order of the H-sum differs; brief bound 1e-6.
        torch.testing.assert_close(out, mlp(x), atol=1e-12, rtol=0)


def test_each_rank_gets_the_slice_of_the_full_gradients(device):
    N = 2
    mlp = reference_mlp(device)
    x = torch.randn(B, T, C, device=device, dtype=torch.float64)
    full = [mlp[0].weight.T, mlp[0].bias, mlp[2].weight.T]
    leaves = [t.detach().clone().requires_grad_(True) for t in full]
    b2 = mlp[2].bias.detach()
    shards = shard_mlp(*leaves, N)
    out = tensor_parallel_mlp(x, shards, b2, SimGroup(N))[0]
    grads = torch.autograd.grad(out.square().sum(), leaves)
    ref = torch.autograd.grad(mlp(x).square().sum(), [mlp[0].weight, mlp[0].bias, mlp[2].weight])
    ref = [ref[0].T, ref[1], ref[2].T]
    for g, r in zip(grads, ref, strict=True):
        torch.testing.assert_close(g, r, atol=1e-12, rtol=0)


def test_shards_hold_one_nth_of_the_weights(device):
    W1 = torch.randn(C, H, device=device)
    W2 = torch.randn(H, C, device=device)
    shards = shard_mlp(W1, torch.zeros(H, device=device), W2, 4)
    assert [tuple(s[0].shape) for s in shards] == [(C, H // 4)] * 4
    assert [tuple(s[2].shape) for s in shards] == [(H // 4, C)] * 4
    torch.testing.assert_close(torch.cat([s[0] for s in shards], dim=1), W1)
