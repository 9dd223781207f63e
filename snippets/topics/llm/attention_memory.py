"""Peak extra memory of naive and tiled attention, measured, as T doubles.

On CPU PyTorch keeps no peak-memory statistics, so `LiveBytes` counts
allocations itself. It is a TorchDispatchMode: every aten op that runs
inside it passes through `__torch_dispatch__`, which sees the op's
outputs. An output whose storage is not one of the op's inputs' storages
was freshly allocated (a view or an in-place op reuses an input's storage
and is not counted); its bytes are added to a running total, and a weakref
finalizer subtracts them when the storage is freed. The high-water mark of
that total is the peak memory held by tensors created inside the call.
Scratch space that a kernel allocates and frees internally is not a
tensor and is not seen. On CUDA the caching allocator's own counter,
torch.cuda.max_memory_allocated, is used instead.
"""

import weakref

import torch
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_leaves

from snippets.topics.llm.attention import attention
from snippets.topics.llm.flash_attention import flash_attention


# --8<-- [start:measure]
class LiveBytes(TorchDispatchMode):
    """Tracks bytes of tensor storages allocated while active: live, peak."""

    def __init__(self):
        super().__init__()
        self.live = self.peak = 0

    @classmethod
    def _should_skip_dynamo(cls):  # nothing is compiled in here: saves
        return False  # importing torch._dynamo, seconds on a first call

    def _free(self, nbytes):
        self.live -= nbytes

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        tensors = [t for t in tree_leaves((args, kwargs)) if torch.is_tensor(t)]
        seen = {t.untyped_storage().data_ptr() for t in tensors}
        for t in tree_leaves(out):
            storage = t.untyped_storage() if torch.is_tensor(t) else None
            if storage is None or storage.data_ptr() in seen:
                continue  # not a tensor, or a view / in-place result
            seen.add(storage.data_ptr())
            self.live += storage.nbytes()
            weakref.finalize(storage, self._free, storage.nbytes())
        self.peak = max(self.peak, self.live)
        return out


@torch.no_grad()
def peak_extra_bytes(fn, *args, **kwargs):
    """Peak bytes allocated by fn(*args, **kwargs) beyond its inputs."""
    if args[0].is_cuda:
        fn(*args, **kwargs)  # warm-up: cuBLAS workspace, kernel caches
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        before = torch.cuda.memory_allocated()
        fn(*args, **kwargs)
        torch.cuda.synchronize()
        return torch.cuda.max_memory_allocated() - before
    with LiveBytes() as tracker:
        fn(*args, **kwargs)
    return tracker.peak


def memory_table(Ts=(256, 512, 1024, 2048), hs=64, block=64, device=None):
    """Rows (T, naive bytes, tiled bytes) for one head of size hs."""
    rows = []
    for T in Ts:
        q, k, v = torch.randn(3, 1, 1, T, hs, device=device)  # (B, nh, T, hs)
        naive = peak_extra_bytes(attention, q, k, v)
        tiled = peak_extra_bytes(flash_attention, q, k, v, False, block, block)
        rows.append((T, naive, tiled))
    return rows


# --8<-- [end:measure]
