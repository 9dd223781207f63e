"""Run a function on N local processes joined by a gloo process group.

The test-friendly launcher used by the distributed pages: CPU only,
127.0.0.1 only, a fresh free port, a timeout on everything, and no
process left behind when a rank fails.
"""

import io
import os
import queue
import socket
import time
import traceback

import torch
import torch.distributed as dist
import torch.multiprocessing as mp


# --8<-- [start:launch]
def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _worker(rank, world_size, port, fn, args, results):
    os.environ.update(
        MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), GLOO_SOCKET_IFNAME="lo"
    )
    torch.set_num_threads(1)
    try:
        dist.init_process_group("gloo", rank=rank, world_size=world_size)
        out = fn(rank, world_size, *args)
        buf = io.BytesIO()
        torch.save(out, buf)  # bytes travel by value, not shared memory
        results.put((rank, None, buf.getvalue()))
    except Exception:
        results.put((rank, traceback.format_exc(), None))
    finally:
        if dist.is_initialized():
            dist.destroy_process_group()


def _next_result(results, procs, deadline):
    while True:
        try:
            return results.get(timeout=0.1)
        except queue.Empty:
            pass
        codes = [p.exitcode for p in procs if p.exitcode]  # killed ranks
        if codes or time.monotonic() > deadline:
            why = f"exit codes {codes}" if codes else "timeout"
            raise RuntimeError(f"ranks did not answer: {why}")


def run_on_ranks(fn, world_size=2, args=(), timeout=30.0):
    """Spawn world_size processes that each run fn(rank, world_size, *args)
    inside a gloo group; return the list of their return values by rank.

    fn must be importable (a module-level function). Raises RuntimeError
    if a rank fails or does not answer within timeout seconds.
    """
    ctx = mp.get_context("spawn")
    results, port = ctx.Queue(), free_port()
    procs = [
        ctx.Process(
            target=_worker, args=(r, world_size, port, fn, args, results)
        )
        for r in range(world_size)
    ]
    for p in procs:
        p.start()
    outs, ok = [None] * world_size, False
    deadline = time.monotonic() + timeout
    try:
        for _ in range(world_size):
            rank, err, payload = _next_result(results, procs, deadline)
            if err is not None:
                raise RuntimeError(f"rank {rank} failed:\n{err}")
            outs[rank] = torch.load(io.BytesIO(payload))
        ok = True
    finally:
        for p in procs:
            if not ok:  # a peer failed: the others may wait forever
                p.terminate()
            p.join(timeout=5.0)
            if p.is_alive():
                p.kill()
                p.join()
    return outs


# --8<-- [end:launch]
