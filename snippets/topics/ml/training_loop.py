"""A training loop: AdamW, global-norm clipping, warm-up + cosine schedule."""

import math

import torch
import torch.nn.functional as F


# --8<-- [start:schedule]
def lr_at(step, peak_lr, warmup_steps, total_steps, min_lr=0.0):
    """Learning rate at `step` (0-based): linear warm-up, then cosine decay.

    0 at step 0, peak_lr at warmup_steps, min_lr at total_steps and after.
    """
    if step < warmup_steps:
        return peak_lr * step / warmup_steps
    if step >= total_steps:
        return min_lr
    progress = (step - warmup_steps) / (total_steps - warmup_steps)  # 0 → 1
    return min_lr + (peak_lr - min_lr) * 0.5 * (
        1 + math.cos(math.pi * progress)
    )


# --8<-- [end:schedule]


# --8<-- [start:clip]
@torch.no_grad()
def clip_grad_norm(params, max_norm, eps=1e-6):
    """Scale all gradients by one factor so their global L2 norm ≤ max_norm.

    Returns the norm before clipping (worth logging: spikes show up here).
    """
    grads = [p.grad for p in params if p.grad is not None]
    total = torch.linalg.vector_norm(
        torch.stack([torch.linalg.vector_norm(g) for g in grads])
    )  # ‖(g₁, …, gₙ)‖ = √(Σ ‖gᵢ‖²)
    # One factor for every tensor keeps the update's direction; clipping
    # each tensor on its own would not. eps guards against total = 0.
    scale = (max_norm / (total + eps)).clamp(max=1.0)
    for g in grads:
        g.mul_(scale)
    return total


# --8<-- [end:clip]


# --8<-- [start:loop]
def train(
    model,
    x,
    y,
    steps=100,
    batch_size=32,
    peak_lr=0.1,
    warmup_steps=10,
    min_lr=0.01,
    max_norm=1.0,
    weight_decay=0.01,
):
    """Regression with mean squared error on mini-batches of (x, y).

    Returns the per-step losses, learning rates and pre-clip norms.
    """
    opt = torch.optim.AdamW(
        model.parameters(), lr=peak_lr, weight_decay=weight_decay
    )
    # LambdaLR multiplies the base lr (peak_lr) by the factor it returns.
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: lr_at(s, peak_lr, warmup_steps, steps, min_lr) / peak_lr
    )
    losses, lrs, norms = [], [], []
    for _ in range(steps):
        idx = torch.randint(0, x.size(0), (batch_size,), device=x.device)
        opt.zero_grad(set_to_none=True)  # 1. clear the last step's grads
        loss = F.mse_loss(model(x[idx]), y[idx])  # 2. forward
        loss.backward()  # 3. backward
        norm = clip_grad_norm(model.parameters(), max_norm)  # 4. clip
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()  # 5. update with the lr of this step
        sched.step()  # 6. then move the schedule on
        losses.append(loss.item())
        norms.append(norm.item())
    return losses, lrs, norms


# --8<-- [end:loop]
