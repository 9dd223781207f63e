"""REINFORCE (score-function gradient) with a baseline on a bandit."""

import torch
import torch.nn.functional as F


# --8<-- [start:reinforce]
def expected_reward(logits, means):
    """J(θ) = Σ_a softmax(θ)_a μ_a.  logits, means: (K,) -> scalar."""
    return torch.softmax(logits, dim=-1) @ means


def score_function_samples(logits, means, n, baseline=0.0, noise_std=1.0):
    """n single-sample REINFORCE estimates of ∇_θ J.

    Draws a ~ softmax(θ), reward R = μ_a + noise, and returns
    (R − b) ∇_θ log π(a): (n, K), plus the rewards: (n,).
    For a softmax policy ∇_θ log π(a) = onehot(a) − π.
    """
    probs = torch.softmax(logits, dim=-1)  # (K,)
    a = torch.multinomial(probs, n, replacement=True)  # (n,)
    R = means[a] + noise_std * torch.randn(
        n, device=logits.device, dtype=logits.dtype
    )
    grad_logp = F.one_hot(a, logits.numel()).to(probs) - probs  # (n, K)
    return (R - baseline)[:, None] * grad_logp, R


def train_reinforce(means, steps=200, batch=64, lr=0.5, use_baseline=True):
    """Gradient ascent on J with minibatch REINFORCE. The baseline is a
    running mean of past rewards: it depends on no current action, so
    the estimator stays unbiased. Returns the final logits: (K,)."""
    logits = torch.zeros_like(means)
    b = 0.0
    for _ in range(steps):
        grads, R = score_function_samples(
            logits, means, batch, baseline=b if use_baseline else 0.0
        )
        logits = logits + lr * grads.mean(dim=0)
        b = 0.9 * b + 0.1 * R.mean().item()
    return logits


# --8<-- [end:reinforce]
