"""Function transforms in PyTorch (torch.func: grad, vmap) as JAX writes
them, and JAX-style explicit random keys instead of a global seed."""

import torch
import torch.nn.functional as F
from torch.func import functional_call, grad, vmap


# --8<-- [start:per_sample]
def per_sample_grads(model, x, y):
    """Gradient of each example's loss w.r.t. every parameter, in one
    vectorised call: {name: (B, *param.shape)}.

    functional_call makes the model a pure function of (params, input);
    grad differentiates it w.r.t. params; vmap maps over the batch dim of
    x and y while sharing params (in_dims=None).
    """
    params = {k: v.detach() for k, v in model.named_parameters()}

    def loss_one(p, xi, yi):  # written for ONE example: xi (D,), yi ()
        logits = functional_call(model, p, (xi.unsqueeze(0),))  # (1, K)
        return F.cross_entropy(logits, yi.unsqueeze(0))

    return vmap(grad(loss_one), in_dims=(None, 0, 0))(params, x, y)


def per_sample_grads_loop(model, x, y):
    """The same with autograd, one backward per example: B times slower."""
    out = {k: [] for k, _ in model.named_parameters()}
    for xi, yi in zip(x, y, strict=True):
        model.zero_grad(set_to_none=True)
        F.cross_entropy(model(xi[None]), yi[None]).backward()
        for k, p in model.named_parameters():
            out[k].append(p.grad.clone())
    return {k: torch.stack(v) for k, v in out.items()}


# --8<-- [end:per_sample]


# --8<-- [start:keys]
def split(key, n=2):
    """n new keys derived from key: a pure function, like jax.random.split.

    Keys are integers; the same key always gives the same children, and
    nothing global is read or changed.
    """
    g = torch.Generator().manual_seed(key)
    return torch.randint(0, 2**62, (n,), generator=g).tolist()


def dropout_mask(key, shape, p, device=None):
    """Bernoulli(1 - p) keep-mask determined by key alone."""
    g = torch.Generator(device=device).manual_seed(key)
    return torch.rand(shape, generator=g, device=device) >= p


# --8<-- [end:keys]
