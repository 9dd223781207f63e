"""Generalised advantage estimation (GAE) with episode boundaries."""

import torch


# --8<-- [start:gae]
def gae(rewards, values, dones, gamma=0.99, lam=0.95):
    """Advantages Â_t = Σ_l (γλ)^l δ_{t+l}, cut at episode ends.

    rewards, dones: (..., T); dones[t] = 1 if the episode ended after
    step t (s_{t+1} is terminal: do not bootstrap from it).
    values: (..., T + 1), V(s_0) .. V(s_T), the last one a bootstrap.
    Returns advantages (..., T) and value targets Â + V: (..., T).
    """
    T = rewards.size(-1)
    notdone = 1.0 - dones.to(rewards.dtype)
    deltas = rewards + gamma * values[..., 1:] * notdone - values[..., :-1]
    adv = torch.zeros_like(rewards)
    running = torch.zeros_like(rewards[..., 0])
    for t in reversed(range(T)):  # Â_t = δ_t + γλ Â_{t+1}
        running = deltas[..., t] + gamma * lam * notdone[..., t] * running
        adv[..., t] = running
    return adv, adv + values[..., :-1]


# --8<-- [end:gae]
