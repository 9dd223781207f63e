import pytest
import torch

from snippets.topics.distributed.collectives import (
    collectives_demo,
    ring_all_gather,
    ring_all_reduce,
    ring_reduce_scatter,
)
from snippets.topics.distributed.launch import run_on_ranks

WORLD = 2


@pytest.fixture(scope="module")
def gloo_results():
    # One spawn for the whole module: starting a process that imports
    # torch costs about 2 s. gloo runs on the CPU whatever the device.
    return run_on_ranks(collectives_demo, world_size=WORLD, timeout=60)


def inputs(world_size):
    S = 2 * world_size
    return [torch.arange(S, dtype=torch.float64) + 10 * r for r in range(world_size)]


def test_gloo_all_reduce_is_the_sum_on_every_rank(gloo_results):
    total = sum(inputs(WORLD))  # [10, 12, 14, 16]
    torch.testing.assert_close(total, torch.tensor([10.0, 12, 14, 16], dtype=torch.float64))
    for out in gloo_results:
        torch.testing.assert_close(out["all_reduce"], total, atol=0, rtol=0)


def test_gloo_all_gather_concatenates_in_rank_order(gloo_results):
    expected = torch.cat(inputs(WORLD))
    for out in gloo_results:
        torch.testing.assert_close(out["all_gather"], expected, atol=0, rtol=0)


def test_gloo_reduce_scatter_gives_rank_r_chunk_r_of_the_sum(gloo_results):
    chunks = sum(inputs(WORLD)).chunk(WORLD)  # [10, 12] and [14, 16]
    for r, out in enumerate(gloo_results):
        torch.testing.assert_close(out["reduce_scatter"], chunks[r], atol=0, rtol=0)


def test_gloo_broadcast_copies_rank_0(gloo_results):
    for out in gloo_results:
        torch.testing.assert_close(out["broadcast"], inputs(WORLD)[0], atol=0, rtol=0)


def test_gloo_reduce_scatter_then_all_gather_is_all_reduce(gloo_results):
    for out in gloo_results:
        torch.testing.assert_close(out["rs_then_ag"], out["all_reduce"], atol=0, rtol=0)


@pytest.mark.parametrize("N", [2, 3, 4, 8])
def test_ring_all_reduce_sums_and_sends_2_n_minus_1_over_n_of_s(N, device):
    xs = [torch.randn(N * 5, dtype=torch.float64, device=device) for _ in range(N)]
    outs, sent = ring_all_reduce(xs)
    expected = torch.stack(xs).sum(0)
    for out in outs:
        # Sums in a different order: float64 rounding only.
        torch.testing.assert_close(out, expected, atol=1e-12, rtol=0)
    S = xs[0].nbytes
    assert sent == [2 * (N - 1) * S // N] * N


@pytest.mark.parametrize("N", [2, 4, 5])
def test_ring_halves_each_send_n_minus_1_over_n_of_s(N, device):
    xs = [torch.randn(N * 3, device=device) for _ in range(N)]
    shards, sent_rs = ring_reduce_scatter(xs)
    S = xs[0].nbytes
    assert sent_rs == [(N - 1) * S // N] * N
    expected = torch.stack(xs).sum(0).chunk(N)
    for r in range(N):
        torch.testing.assert_close(shards[r], expected[r], atol=1e-5, rtol=0)
    gathered, sent_ag = ring_all_gather(shards)
    assert sent_ag == [(N - 1) * S // N] * N
    for g in gathered:
        torch.testing.assert_close(g, torch.cat(shards), atol=0, rtol=0)


def test_ring_with_one_rank_sends_nothing(device):
    x = torch.randn(6, device=device)
    outs, sent = ring_all_reduce([x])
    torch.testing.assert_close(outs[0], x)
    assert sent == [0]
