"""Debugging exercise 1: the loss turns NaN after a few dozen steps.

A small classifier trains under float16 autocast with a hand-written
cross-entropy. As the model grows confident its logits grow, and the first
logit row whose exponentials sum past float16's maximum (65504) turns the
loss into NaN.
"""

import math

import torch
import torch.nn.functional as F
from torch import nn

# exp(z) overflows float16 once z > ln(65504) ≈ 11.09.
LOG_FP16_MAX = math.log(torch.finfo(torch.float16).max)


def make_data(n=256, d=16, n_classes=4, device=None):
    """Gaussian blobs, the same on every device: x (n, d), y (n,)."""
    g = torch.Generator().manual_seed(0)
    centres = 2 * torch.randn(n_classes, d, generator=g)
    y = torch.arange(n) % n_classes
    x = centres[y] + torch.randn(n, d, generator=g)
    return x.to(device), y.to(device)


# --8<-- [start:buggy]
def buggy_cross_entropy(logits, y):
    """Mean of -log p(y | x). logits: (N, K); y: (N,) class indices."""
    e = logits.exp()
    p = e / e.sum(dim=-1, keepdim=True)  # (N, K)
    return -p.gather(1, y[:, None]).log().mean()


# --8<-- [end:buggy]


# --8<-- [start:fixed]
def fixed_cross_entropy(logits, y):
    """Mean of -log p(y | x), through the fused log-softmax in float32."""
    return F.cross_entropy(logits.float(), y)


# --8<-- [end:fixed]


# --8<-- [start:train]
def train(loss_fn, steps=60, lr=0.02, device=None):
    """SGD with momentum on a small MLP, forward pass in float16 autocast.

    Returns the loss of every step and, for the diagnosis, the largest
    row log-sum-exp of the logits (computed in float32). Stops at the
    first loss that is not finite.
    """
    device = torch.device(device or "cpu")
    x, y = make_data(device=device)
    model = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 4))
    model.to(device)
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    losses, peaks = [], []
    for _ in range(steps):
        with torch.autocast(device.type, dtype=torch.float16):
            logits = model(x)  # (N, K), float16
            loss = loss_fn(logits, y)
        losses.append(loss.item())
        peaks.append(logits.float().logsumexp(dim=-1).max().item())
        if not math.isfinite(losses[-1]):
            break
        opt.zero_grad()
        loss.backward()
        opt.step()
    return losses, peaks


# --8<-- [end:train]
