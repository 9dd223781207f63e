"""Debugging exercise 4: gradient norms explode after some steps.

Plain SGD on a deep tanh MLP with a learning rate three times too high and
no clipping. The first steps look healthy (the loss falls); then the large
updates drive the tanh units into saturation, the last layer becomes a
linear regression on ±1 features whose curvature makes lr·λ ≫ 2, and the
global gradient norm grows geometrically until it overflows.
"""

import math

import torch
import torch.nn.functional as F
from torch import nn


def make_mlp(depth=6, width=32, device=None):
    """depth tanh layers (std 1/√width init, zero biases), then a head.

    Built on the CPU so that every device starts from the same weights.
    """
    layers = []
    for _ in range(depth):
        linear = nn.Linear(width, width)
        nn.init.normal_(linear.weight, std=1 / math.sqrt(width))
        nn.init.zeros_(linear.bias)
        layers += [linear, nn.Tanh()]
    return nn.Sequential(*layers, nn.Linear(width, 1)).to(device)


def make_data(n=128, width=32, device=None):
    """x: (n, width) standard normal; target sin(2 x₀): (n, 1)."""
    x = torch.randn(n, width)
    return x.to(device), torch.sin(2 * x[:, :1]).to(device)


# --8<-- [start:norm]
def grad_norm(model):
    """Global L2 norm of every parameter's gradient: log it every step."""
    squares = [p.grad.pow(2).sum() for p in model.parameters()]
    return torch.stack(squares).sum().sqrt()


# --8<-- [end:norm]


# --8<-- [start:diagnose]
@torch.no_grad()
def head_growth_factor(model, x, lr):
    """Per-step factor |1 - lr·λ_max| by which SGD scales the head's error.

    Under the mean squared error the last linear layer is a linear
    regression on its input features h: its Hessian is 2 h̃ᵀh̃ / N with
    h̃ = [h, 1]. A factor above 1 means that layer diverges geometrically.
    """
    h = model[:-1](x)  # (N, width)
    h = torch.cat([h, torch.ones_like(h[:, :1])], dim=1)  # (N, width + 1)
    lam = torch.linalg.eigvalsh(2 * h.T @ h / len(h)).max()
    return (1 - lr * lam).abs().item()


# --8<-- [end:diagnose]


# --8<-- [start:buggy]
def buggy_train(model, x, y, steps=50, lr=0.6):
    """Full-batch SGD on the mean squared error; returns norms, losses."""
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    norms, losses = [], []
    for _ in range(steps):
        loss = F.mse_loss(model(x), y)
        opt.zero_grad()
        loss.backward()
        norms.append(grad_norm(model).item())
        losses.append(loss.item())
        if not math.isfinite(norms[-1]):
            break
        opt.step()
    return norms, losses


# --8<-- [end:buggy]


# --8<-- [start:fixed]
def fixed_train(model, x, y, steps=50, lr=0.2, max_norm=1.0):
    """Full-batch SGD on the mean squared error; returns norms, losses."""
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    norms, losses = [], []
    for _ in range(steps):
        loss = F.mse_loss(model(x), y)
        opt.zero_grad()
        loss.backward()
        norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        norms.append(norm.item())  # the norm before clipping
        losses.append(loss.item())
        opt.step()
    return norms, losses


# --8<-- [end:fixed]
