"""The four collectives: a ring simulation that counts bytes, and the same
operations run for real with torch.distributed on a gloo group."""

import torch
import torch.distributed as dist


# --8<-- [start:ring]
def ring_reduce_scatter(xs):
    """Ring reduce-scatter over N simulated ranks.

    xs: list of N tensors of S bytes each (rank r's input), whose length
    is divisible by N. Returns (shards, sent): rank r ends with chunk r
    of the sum, and sent[r] counts the bytes rank r sent: (N-1)/N · S.
    """
    N = len(xs)
    chunks = [list(x.clone().chunk(N)) for x in xs]  # chunks[rank][c]
    sent = [0] * N
    for step in range(N - 1):
        # Every rank passes one partial sum to its right neighbour at
        # once; chunk r+1 reaches rank r after N-1 hops, hence the -1.
        msgs = [(r, chunks[r][(r - step - 1) % N]) for r in range(N)]
        for r, msg in msgs:
            c = (r - step - 1) % N
            chunks[(r + 1) % N][c] = chunks[(r + 1) % N][c] + msg
            sent[r] += msg.nbytes
    return [chunks[r][r] for r in range(N)], sent


def ring_all_gather(shards):
    """Ring all-gather: rank r holds shard r (S/N bytes); every rank ends
    with their concatenation (S bytes). Each rank sends (N-1)/N · S."""
    N = len(shards)
    have = [{r: shards[r]} for r in range(N)]
    sent = [0] * N
    for step in range(N - 1):
        msgs = [(r, (r - step) % N) for r in range(N)]
        for r, c in msgs:  # forward the shard received last step
            have[(r + 1) % N][c] = have[r][c]
            sent[r] += have[r][c].nbytes
    return [torch.cat([h[c] for c in range(N)]) for h in have], sent


def ring_all_reduce(xs):
    """All-reduce = reduce-scatter, then all-gather: 2(N-1)/N · S sent."""
    shards, sent_rs = ring_reduce_scatter(xs)
    outs, sent_ag = ring_all_gather(shards)
    return outs, [a + b for a, b in zip(sent_rs, sent_ag, strict=True)]


# --8<-- [end:ring]


# --8<-- [start:gloo]
def collectives_demo(rank, world_size):
    """Run on every rank of a gloo group (see run_on_ranks). Rank r starts
    from x_r = [10r, 10r + 1, ..., 10r + S - 1] with S = 2 · world_size.
    Returns what this rank holds after each collective."""
    S = 2 * world_size
    x = torch.arange(S, dtype=torch.float64) + 10 * rank
    out = {}

    y = x.clone()
    dist.all_reduce(y, op=dist.ReduceOp.SUM)  # every rank: Σ_r x_r
    out["all_reduce"] = y

    parts = [torch.empty_like(x) for _ in range(world_size)]
    dist.all_gather(parts, x)  # every rank: [x_0, x_1, ...]
    out["all_gather"] = torch.cat(parts)

    shard = torch.empty(S // world_size, dtype=x.dtype)
    dist.reduce_scatter(shard, list(x.chunk(world_size)))  # chunk r of Σ
    out["reduce_scatter"] = shard

    z = x.clone()
    dist.broadcast(z, src=0)  # every rank: x_0
    out["broadcast"] = z

    # The identity on the real backend: reduce-scatter, then all-gather.
    full = [torch.empty_like(shard) for _ in range(world_size)]
    dist.all_gather(full, shard)
    out["rs_then_ag"] = torch.cat(full)
    return out


# --8<-- [end:gloo]
