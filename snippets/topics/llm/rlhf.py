"""RLHF: KL-penalised per-token rewards and the KL-regularised optimum."""

import torch


# --8<-- [start:rewards]
def kl_penalised_rewards(score, logp, ref_logp, mask, beta=0.1):
    """Per-token rewards that PPO maximises in RLHF.

    score: (B,) reward-model score of each whole response.
    logp, ref_logp: (B, T) log-probs of the sampled tokens under the
    policy and the frozen reference (SFT) model; mask: (B, T), 1 on
    response tokens (right-padded). Every response token gets
    -β (log π - log π_ref); the last one also gets the score.
    Returns (B, T) rewards, zero outside the mask.
    """
    mask = mask.to(logp.dtype)
    rewards = -beta * (logp - ref_logp) * mask  # (B, T)
    T = mask.size(-1)
    position = torch.arange(T, device=mask.device, dtype=mask.dtype)
    last = (position * mask).argmax(dim=-1)  # (B,) last response token
    rewards[torch.arange(len(score), device=score.device), last] += score
    return rewards


# --8<-- [end:rewards]


# --8<-- [start:optimum]
def kl_regularised_optimum(ref_probs, reward, beta):
    """argmax_π E_π[r] - β KL(π || π_ref) over a finite set of responses.

    ref_probs, reward: (K,). The optimum is π* ∝ π_ref · exp(r / β), and
    the objective there equals β log Σ π_ref exp(r / β).
    Returns π* (K,) and the optimal objective ().
    """
    logits = ref_probs.log() + reward / beta
    return torch.softmax(logits, dim=-1), beta * torch.logsumexp(logits, -1)


def objective(probs, ref_probs, reward, beta):
    """E_π[r] - β KL(π || π_ref) for probs π: (K,) -> ()."""
    kl = (probs * (probs.log() - ref_probs.log())).sum()
    return (probs * reward).sum() - beta * kl


# --8<-- [end:optimum]
