"""Gradient accumulation that stays exact with unequal micro-batches, and
one optimiser step in the right order: accumulate, unscale, clip, step."""

import torch

from snippets.topics.ml.training_loop import clip_grad_norm


# --8<-- [start:tokens]
def accumulate_by_count(model, loss_sum_fn, micro_batches):
    """Leave in p.grad the gradient of the mean loss over all the items
    (examples or tokens) of all micro-batches, whatever their sizes.

    loss_sum_fn(model, batch) -> (sum of per-item losses, item count).
    A mean over N items is (Σ losses) / N with N counted over the whole
    step; each micro-batch's mean would weight its items by 1 / its own
    count instead. Returns the mean loss.
    """
    model.zero_grad(set_to_none=True)
    total = sum(loss_sum_fn(model, mb)[1] for mb in micro_batches)
    mean = 0.0
    for mb in micro_batches:  # (in practice N is known from the masks)
        loss_sum, _ = loss_sum_fn(model, mb)
        (loss_sum / total).backward()  # adds into p.grad
        mean += loss_sum.item() / total
    return mean


# --8<-- [end:tokens]


# --8<-- [start:step]
def accumulate_clip_step(
    model, opt, loss_fn, micro_batches, max_norm, scale=1.0
):
    """One optimiser step over k equal micro-batches, with loss scaling.

    loss_fn(model, batch) -> mean loss of the micro-batch. Order matters:
    clip the *accumulated*, *unscaled* gradient — the one the step uses.
    Returns the pre-clip global norm, or None if the step was skipped.
    """
    opt.zero_grad(set_to_none=True)
    k = len(micro_batches)
    for mb in micro_batches:
        (loss_fn(model, mb) * (scale / k)).backward()
    params = [p for p in model.parameters() if p.grad is not None]
    for p in params:
        p.grad.div_(scale)  # 1. unscale: now the true gradient
    if not all(bool(torch.isfinite(p.grad).all()) for p in params):
        return None  # 2. overflow: skip (and lower the scale)
    norm = clip_grad_norm(params, max_norm)  # 3. clip the global norm
    opt.step()  # 4. update
    return norm


# --8<-- [end:step]
