import os
import socket
import time

import pytest
import torch.distributed as dist

from snippets.topics.distributed.launch import free_port, run_on_ranks

# The success path (results returned by rank, process group joined) is
# exercised by test_collectives.py and test_data_parallel.py; one spawn
# here checks the failure path, since each spawn costs about 2 s.


def fail_on_rank_1(rank, world_size):
    if rank == 1:
        raise ValueError("boom")
    dist.barrier()  # rank 0 would wait here forever without the launcher
    return os.getpid()


def test_free_port_is_bindable_on_loopback():
    port = free_port()
    assert 1024 <= port <= 65535
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))


def test_failing_rank_raises_and_the_stuck_rank_is_terminated():
    start = time.perf_counter()
    with pytest.raises(RuntimeError, match=r"rank 1 failed(.|\n)*boom"):
        run_on_ranks(fail_on_rank_1, world_size=2, timeout=60)
    # Rank 0 is blocked in a barrier; it is terminated at once rather than
    # after the 60 s timeout (startup of two processes takes ~2-4 s).
    assert time.perf_counter() - start < 20
