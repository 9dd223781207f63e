"""Variational autoencoder: Gaussian encoder and decoder, ELBO training."""

import math

import torch
from torch import nn


# --8<-- [start:kl]
def kl_to_standard_normal(mu, logvar):
    """KL(N(mu, diag σ²) ‖ N(0, I)) with logvar = log σ², in nats.

    mu, logvar: (B, d_z). Returns (B,): ½ Σ (mu² + σ² − 1 − log σ²).
    """
    return 0.5 * (mu.square() + logvar.exp() - 1.0 - logvar).sum(-1)


def reparameterise(mu, logvar, eps=None):
    """z = mu + σ ε with ε ~ N(0, I): a sample that is differentiable in
    mu and logvar, because the randomness lives in ε alone."""
    eps = torch.randn_like(mu) if eps is None else eps
    return mu + torch.exp(0.5 * logvar) * eps


def gaussian_nll(x, mean, logvar):
    """−log N(x; mean, diag exp(logvar)), summed over the last axis: (B,)."""
    sq = (x - mean).square() * torch.exp(-logvar)
    return 0.5 * (math.log(2 * math.pi) + logvar + sq).sum(-1)


# --8<-- [end:kl]


# --8<-- [start:model]
class VAE(nn.Module):
    """Encoder q(z|x) = N(mu(x), diag σ²(x)); decoder p(x|z) =
    N(m(z), diag σ_x²) with one learned noise level per data dimension."""

    def __init__(self, d_x, d_z, d_hidden=64, device=None):
        super().__init__()
        kw = dict(device=device)
        self.encoder = nn.Sequential(
            nn.Linear(d_x, d_hidden, **kw),
            nn.Tanh(),
            nn.Linear(d_hidden, 2 * d_z, **kw),  # mu and logvar
        )
        self.decoder = nn.Sequential(
            nn.Linear(d_z, d_hidden, **kw),
            nn.Tanh(),
            nn.Linear(d_hidden, d_x, **kw),
        )
        self.x_logvar = nn.Parameter(torch.zeros(d_x, **kw))

    def forward(self, x, eps=None):
        """x: (B, d_x). Returns the negative ELBO per example (B,) in nats:
        reconstruction NLL (one reparameterised sample) + KL to the prior."""
        mu, logvar = self.encoder(x).chunk(2, dim=-1)  # (B, d_z) each
        z = reparameterise(mu, logvar, eps)  # (B, d_z)
        recon = gaussian_nll(x, self.decoder(z), self.x_logvar)
        return recon + kl_to_standard_normal(mu, logvar)


def train_vae(model, data, steps=300, batch=256, lr=1e-2):
    """Adam on the mean negative ELBO over minibatches of data (N, d_x)."""
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(steps):
        idx = torch.randint(len(data), (batch,), device=data.device)
        loss = model(data[idx]).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    return model


# --8<-- [end:model]
