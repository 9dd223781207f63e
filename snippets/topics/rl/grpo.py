"""GRPO: group-normalised advantages (no value network) and its loss."""

import torch

from snippets.topics.rl.ppo import kl_estimators


# --8<-- [start:grpo]
def grpo_advantages(rewards, eps=1e-6):
    """(r − mean) / (std + eps) within each group of samples.

    rewards: (G, n), n sampled responses for each of G prompts. Every
    token of a response gets its response's advantage. The std is the
    population one (divide by n); a group whose rewards are all equal
    gets zero advantages and so no gradient.
    """
    mean = rewards.mean(dim=-1, keepdim=True)  # (G, 1)
    std = rewards.std(dim=-1, keepdim=True, correction=0)  # (G, 1)
    return (rewards - mean) / (std + eps)  # (G, n)


# --8<-- [end:grpo]


# --8<-- [start:grpo_loss]
def grpo_loss(logp, logp_old, logp_ref, rewards, mask, clip_eps=0.2, beta=0.04):
    """GRPO objective (to minimise) on G groups of n responses.

    logp, logp_old, logp_ref: (G, n, T) log-probs of the sampled tokens
    under the current policy (with gradient), the sampling policy and
    the frozen reference; rewards: (G, n); mask: (G, n, T), 1 on
    response tokens. Per token: PPO's clipped term with the response's
    group advantage, minus β·k3, an estimate of KL(π_θ ‖ π_ref).
    Tokens are averaged within each response, then over responses.
    """
    adv = grpo_advantages(rewards)[..., None]  # (G, n, 1)
    ratio = (logp - logp_old.detach()).exp()  # (G, n, T)
    clipped = ratio.clamp(1 - clip_eps, 1 + clip_eps)
    surrogate = torch.minimum(ratio * adv, clipped * adv)
    # Samples come from π_θ (≈ π_old), so r = π_ref / π_θ in k3.
    _, _, kl = kl_estimators(logp_ref.detach() - logp)
    per_token = -(surrogate - beta * kl)  # (G, n, T)
    mask = mask.to(per_token.dtype)
    per_response = (per_token * mask).sum(-1) / mask.sum(-1)  # (G, n)
    return per_response.mean()


# --8<-- [end:grpo_loss]
