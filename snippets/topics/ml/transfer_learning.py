"""Transfer learning: pretrain on a data-rich source task, then reuse the
encoder on a small target task as frozen features or by fine-tuning."""

import torch
from torch import nn


# --8<-- [start:pretrain]
def make_encoder(D, width, k, device=None):
    """x (B, D) -> features (B, k)."""
    return nn.Sequential(
        nn.Linear(D, width, device=device),
        nn.GELU(),
        nn.Linear(width, k, device=device),
    )


def fit(modules, params, X, Y, steps, lr):
    """Full-batch Adam on the MSE of nn.Sequential(*modules)(X) vs Y."""
    model = nn.Sequential(*modules)
    opt = torch.optim.Adam(params, lr=lr)
    for _ in range(steps):
        loss = (model(X) - Y).square().mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.item()


# --8<-- [end:pretrain]


# --8<-- [start:transfer]
def freeze(module):
    """Stop gradients into module's parameters (and put it in eval mode)."""
    for p in module.parameters():
        p.requires_grad_(False)
    return module.eval()


def linear_probe(encoder, X, y, lam=1e-3):
    """Ridge regression on frozen features: returns predict(X_new).

    The closed form needs no gradient steps: only the head is learned.
    """
    with torch.no_grad():
        Phi = nn.functional.pad(encoder(X), (0, 1), value=1.0)  # bias col
        k = Phi.size(1)
        eye = torch.eye(k, dtype=Phi.dtype, device=Phi.device)
        w = torch.linalg.solve(Phi.T @ Phi + lam * eye, Phi.T @ y)

    def predict(X_new):
        with torch.no_grad():
            return nn.functional.pad(encoder(X_new), (0, 1), value=1.0) @ w

    return predict


# --8<-- [end:transfer]
