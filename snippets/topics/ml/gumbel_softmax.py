"""Gumbel-max sampling and its differentiable relaxation, Gumbel-softmax."""

import torch


# --8<-- [start:gumbel]
def sample_gumbel(shape, device=None, eps=1e-20):
    """Standard Gumbel noise g = −log(−log U), U ~ U(0, 1)."""
    u = torch.rand(shape, device=device)
    return -torch.log(-torch.log(u + eps) + eps)


def gumbel_softmax(logits, tau=1.0, hard=False):
    """Relaxed one-hot sample: softmax((logits + g) / τ), (..., K).

    argmax(logits + g) is an exact categorical sample (Gumbel-max); the
    softmax at temperature τ is a differentiable stand-in that becomes
    one-hot as τ → 0. hard=True returns the one-hot argmax in the forward
    pass with the soft sample's gradient (straight-through).
    """
    g = sample_gumbel(logits.shape, device=logits.device)
    y = torch.softmax((logits + g) / tau, dim=-1)
    if not hard:
        return y
    one_hot = torch.zeros_like(y).scatter_(-1, y.argmax(-1, keepdim=True), 1)
    return one_hot + y - y.detach()  # value: one_hot; gradient: y's


# --8<-- [end:gumbel]
