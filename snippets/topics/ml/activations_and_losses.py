"""Activations and losses from their formulas, numerically stable."""

import math

import torch


# --8<-- [start:activations]
def gelu(x):
    """x Φ(x): the input times the standard normal CDF."""
    return 0.5 * x * (1 + torch.erf(x / math.sqrt(2)))


def gelu_tanh(x):
    """The tanh approximation of GELU used by GPT-2 and BERT."""
    c = math.sqrt(2 / math.pi)
    return 0.5 * x * (1 + torch.tanh(c * (x + 0.044715 * x**3)))


def silu(x):
    """x σ(x), also called swish."""
    return x * torch.sigmoid(x)


def softplus(x):
    """log(1 + eˣ) = max(x, 0) + log(1 + e^−|x|): never overflows."""
    return x.clamp(min=0) + torch.log1p(torch.exp(-x.abs()))


# --8<-- [end:activations]


# --8<-- [start:losses]
def log_softmax(logits):
    """z − logsumexp(z) over the last axis, with the max subtracted."""
    m = logits.max(-1, keepdim=True).values.detach()
    shifted = logits - m
    return shifted - shifted.exp().sum(-1, keepdim=True).log()


def cross_entropy(logits, target):
    """Mean −log softmax(z)_y. logits: (B, K), target: (B,) class ids.

    Cross-entropy = log-softmax followed by the negative log-likelihood
    (pick the target's log-probability, negate, average).
    """
    logp = log_softmax(logits)  # (B, K)
    return -logp.gather(1, target[:, None]).mean()


def cross_entropy_grad(logits, target):
    """∂ cross_entropy / ∂ logits = (softmax(z) − onehot(y)) / B."""
    p = torch.softmax(logits, dim=-1)
    y = torch.nn.functional.one_hot(target, logits.size(-1)).to(p.dtype)
    return (p - y) / logits.size(0)


def binary_cross_entropy_with_logits(z, y):
    """Mean of −y log σ(z) − (1 − y) log(1 − σ(z)) = softplus(z) − y z."""
    return (softplus(z) - y * z).mean()


# --8<-- [end:losses]
