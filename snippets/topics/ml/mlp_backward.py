"""A two-layer MLP classifier: forward and backward passes by hand.

Linear -> ReLU or GELU -> Linear -> cross-entropy (mean over the batch).
Shapes: x (B, C); w1 (H, C); b1 (H,); w2 (K, H); b2 (K,); y (B,) class
indices in [0, K). Weights follow nn.Linear: out = x @ w.T + b.
"""

import math

import torch


# --8<-- [start:activation]
def activation(h, act):
    if act == "relu":
        return h.clamp_min(0)
    return h * 0.5 * (1 + torch.erf(h / math.sqrt(2)))  # exact GELU: h Φ(h)


def activation_backward(h, da, act):
    """dL/dh from dL/da for a = act(h), elementwise."""
    if act == "relu":
        return da * (h > 0)  # the kink at 0 gets gradient 0, as in PyTorch
    cdf = 0.5 * (1 + torch.erf(h / math.sqrt(2)))  # Φ(h)
    pdf = torch.exp(-0.5 * h * h) / math.sqrt(2 * math.pi)  # φ(h)
    return da * (cdf + h * pdf)  # d/dh [h Φ(h)] = Φ(h) + h φ(h)


# --8<-- [end:activation]


# --8<-- [start:forward]
def mlp_forward(x, y, w1, b1, w2, b2, act="relu"):
    """Returns the mean cross-entropy and the cache the backward needs."""
    h = x @ w1.T + b1  # (B, H)
    a = activation(h, act)  # (B, H)
    logits = a @ w2.T + b2  # (B, K)
    logz = torch.logsumexp(logits, dim=-1)  # (B,) stable log Σ exp
    loss = (logz - logits.gather(1, y[:, None]).squeeze(1)).mean()
    return loss, (h, a, logits)


# --8<-- [end:forward]


# --8<-- [start:backward]
def mlp_backward(x, y, w1, w2, cache, act="relu"):
    """Gradients of the mean loss: (dx, dw1, db1, dw2, db2)."""
    h, a, logits = cache
    B = x.size(0)
    dlogits = torch.softmax(logits, dim=-1)  # (B, K)
    dlogits[torch.arange(B, device=y.device), y] -= 1  # softmax − onehot
    dlogits /= B  # the loss is a mean over the batch
    dw2 = dlogits.T @ a  # (K, H)
    db2 = dlogits.sum(0)  # (K,)
    da = dlogits @ w2  # (B, H)
    dh = activation_backward(h, da, act)  # (B, H)
    dw1 = dh.T @ x  # (H, C)
    db1 = dh.sum(0)  # (H,)
    dx = dh @ w1  # (B, C)
    return dx, dw1, db1, dw2, db2


class MLPLoss(torch.autograd.Function):
    """The MLP's loss as one autograd node with the hand-written backward."""

    @staticmethod
    def forward(ctx, x, w1, b1, w2, b2, y, act="relu"):
        loss, cache = mlp_forward(x, y, w1, b1, w2, b2, act)
        ctx.save_for_backward(x, y, w1, w2, *cache)
        ctx.act = act
        return loss

    @staticmethod
    def backward(ctx, dloss):
        x, y, w1, w2, *cache = ctx.saved_tensors
        grads = mlp_backward(x, y, w1, w2, cache, ctx.act)
        # dloss is the upstream scalar (1 for loss.backward()).
        return *(dloss * g for g in grads), None, None


# --8<-- [end:backward]
