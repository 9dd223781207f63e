"""Conditional flow matching with straight-line paths, an Euler sampler,
and the energy distance used to compare two samples."""

import torch


# --8<-- [start:loss]
def flow_matching_loss(model, x1):
    """Regress v_θ(x_t, t) onto x_1 − x_0 along x_t = (1 − t) x_0 + t x_1.

    x1: (B, D) data; x0 ~ N(0, I) noise; t ~ U[0, 1].
    """
    x0 = torch.randn_like(x1)
    t = torch.rand(len(x1), device=x1.device)  # (B,)
    x_t = (1 - t[:, None]) * x0 + t[:, None] * x1  # (B, D)
    return (model(x_t, t) - (x1 - x0)).square().sum(-1).mean()


@torch.no_grad()
def euler_sample(model, x0, n_steps=50):
    """Integrate dx/dt = v_θ(x, t) from t = 0 (noise x0: (B, D)) to 1."""
    x, dt = x0, 1.0 / n_steps
    for i in range(n_steps):
        t = torch.full((len(x),), i * dt, device=x.device)
        x = x + dt * model(x, t)
    return x


# --8<-- [end:loss]


# --8<-- [start:energy]
def energy_distance(x, y):
    """Squared energy distance 2 E‖X−Y‖ − E‖X−X'‖ − E‖Y−Y'‖ ≥ 0.

    x: (N, D), y: (M, D). Zero only when the distributions are equal.
    Within-sample means skip the zero diagonal (unbiased U-statistics).
    """
    n, m = len(x), len(y)
    xy = torch.cdist(x, y).mean()
    xx = torch.cdist(x, x).sum() / (n * (n - 1))
    yy = torch.cdist(y, y).sum() / (m * (m - 1))
    return 2 * xy - xx - yy


# --8<-- [end:energy]
