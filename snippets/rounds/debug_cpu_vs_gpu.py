"""Debugging exercise 5: right on the CPU, wrong on the GPU.

A per-class loss monitor accumulates into buffers from `torch.empty`,
which promises nothing about their contents. A fresh CPU allocation often
comes from memory the operating system has just zeroed, so the numbers
look right; the CUDA caching allocator hands back a block that another
tensor freed moments ago, and its old values are added in.

`round_to_tf32` is for the other half of the triage: it shows how large a
difference pure numerics (TF32 matmuls) can explain.
"""

import torch
import torch.nn.functional as F


# --8<-- [start:buggy]
def buggy_per_class_loss(logits, y, n_classes):
    """Mean cross-entropy of each class. logits: (N, K); y: (N,) -> (K,)."""
    losses = F.cross_entropy(logits, y, reduction="none")  # (N,)
    kw = dict(device=losses.device, dtype=losses.dtype)
    total = torch.empty(n_classes, **kw)
    count = torch.empty(n_classes, **kw)
    total.index_add_(0, y, losses)
    count.index_add_(0, y, torch.ones_like(losses))
    return total / count


# --8<-- [end:buggy]


# --8<-- [start:fixed]
def fixed_per_class_loss(logits, y, n_classes):
    """Mean cross-entropy of each class. logits: (N, K); y: (N,) -> (K,)."""
    losses = F.cross_entropy(logits, y, reduction="none")  # (N,)
    kw = dict(device=losses.device, dtype=losses.dtype)
    total = torch.zeros(n_classes, **kw)
    count = torch.zeros(n_classes, **kw)
    total.index_add_(0, y, losses)
    count.index_add_(0, y, torch.ones_like(losses))
    return total / count


# --8<-- [end:fixed]


# --8<-- [start:tf32]
def round_to_tf32(x):
    """Round float32 values to TF32's 10 mantissa bits (of float32's 23).

    Tensor cores read matmul inputs at this precision when TF32 is
    enabled; the products are then summed in float32.
    """
    bits = x.float().contiguous().view(torch.int32)
    bits = (bits + 0x1000) & -0x2000  # round the 13 dropped bits, clear them
    return bits.view(torch.float32)


# --8<-- [end:tf32]
