"""Autoencoders: a bottleneck network trained to reconstruct its input."""

import torch
from torch import nn


# --8<-- [start:model]
class Autoencoder(nn.Module):
    """x (B, D) -> code z (B, k) -> reconstruction (B, D).

    hidden=None gives a linear autoencoder (one Linear each way);
    otherwise each side is a one-hidden-layer MLP with GELU.
    """

    def __init__(self, D, k, hidden=None, device=None):
        super().__init__()
        if hidden is None:
            self.encoder = nn.Linear(D, k, device=device)
            self.decoder = nn.Linear(k, D, device=device)
        else:
            self.encoder = nn.Sequential(
                nn.Linear(D, hidden, device=device),
                nn.GELU(),
                nn.Linear(hidden, k, device=device),
            )
            self.decoder = nn.Sequential(
                nn.Linear(k, hidden, device=device),
                nn.GELU(),
                nn.Linear(hidden, D, device=device),
            )

    def forward(self, x):
        return self.decoder(self.encoder(x))


def train_autoencoder(model, X, steps=500, lr=1e-2, noise_std=0.0):
    """Full-batch Adam on the mean squared reconstruction error.

    noise_std > 0 trains a denoising autoencoder: corrupt the input,
    reconstruct the clean X. Returns the final clean reconstruction MSE
    (per entry).
    """
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(steps):
        x_in = X + noise_std * torch.randn_like(X) if noise_std else X
        loss = (model(x_in) - X).square().mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        return (model(X) - X).square().mean().item()


# --8<-- [end:model]
