"""Batch normalisation from scratch, with running statistics for eval."""

import torch
from torch import nn


# --8<-- [start:module]
class BatchNorm1d(nn.Module):
    """Normalise each channel over the batch (and length) axes.

    x: (B, C) or (B, C, L), the layout of nn.BatchNorm1d. A sequence
    model's (B, T, C) activations go in as x.transpose(1, 2).
    Training uses the batch's own mean and biased variance and updates
    the running estimates; eval uses the running estimates only.
    """

    def __init__(self, C, eps=1e-5, momentum=0.1, device=None, dtype=None):
        super().__init__()
        self.eps, self.momentum = eps, momentum
        kw = dict(device=device, dtype=dtype)
        self.weight = nn.Parameter(torch.ones(C, **kw))  # gamma
        self.bias = nn.Parameter(torch.zeros(C, **kw))  # beta
        self.register_buffer("running_mean", torch.zeros(C, **kw))
        self.register_buffer("running_var", torch.ones(C, **kw))

    def forward(self, x):
        dims = [0] if x.dim() == 2 else [0, 2]  # every axis except C
        shape = [1, -1] + [1] * (x.dim() - 2)  # broadcast (C,) over x
        if self.training:
            mean = x.mean(dims)  # (C,)
            var = x.var(dims, correction=0)  # biased: normalises x
            n = x.numel() // x.size(1)  # values per channel
            with torch.no_grad():
                # running <- (1 - m) running + m batch; the stored
                # variance is the unbiased estimate n / (n - 1) var.
                m = self.momentum
                self.running_mean.lerp_(mean, m)
                self.running_var.lerp_(var * n / (n - 1), m)
        else:
            mean, var = self.running_mean, self.running_var
        x_hat = (x - mean.view(shape)) / torch.sqrt(var.view(shape) + self.eps)
        return x_hat * self.weight.view(shape) + self.bias.view(shape)


# --8<-- [end:module]
