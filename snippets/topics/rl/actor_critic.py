"""Advantage actor-critic: the A2C loss and a one-step tabular learner."""

import math
import random

import torch
import torch.nn.functional as F


# --8<-- [start:a2c_loss]
def a2c_loss(
    logits,
    values,
    actions,
    rewards,
    next_values,
    dones,
    gamma=0.99,
    value_coef=0.5,
    entropy_coef=0.01,
):
    """One-step advantage actor-critic loss (to minimise), batch mean.

    logits: (N, A) policy logits; values: (N,) V(s) from the critic;
    next_values: (N,) V(s'), used as a constant; actions: (N,) ids;
    rewards, dones: (N,). The critic's TD target r + γ (1 − d) V(s')
    gives the TD error δ, the actor's advantage estimate.
    """
    target = rewards + gamma * (1 - dones) * next_values.detach()
    delta = target - values  # (N,)
    logp = F.log_softmax(logits, dim=-1)  # (N, A)
    logp_a = logp.gather(1, actions[:, None]).squeeze(1)  # (N,)
    policy_loss = -(delta.detach() * logp_a).mean()
    value_loss = delta.pow(2).mean()
    entropy = -(logp.exp() * logp).sum(-1).mean()
    return policy_loss + value_coef * value_loss - entropy_coef * entropy


# --8<-- [end:a2c_loss]


# --8<-- [start:actor_critic]
def actor_critic(mdp, episodes, alpha_v=0.1, alpha_pi=0.5, seed=0):
    """One-step actor-critic with a tabular softmax actor θ: (S, A) and
    a tabular critic V: (S,). After each transition:
    δ = r + γ V(s') − V(s);  V(s) += α_v δ;  θ(s) += α_π δ (e_a − π(s)).
    Returns θ and V as tensors on the MDP's device.
    """
    P, R, term = mdp.P.tolist(), mdp.R.tolist(), mdp.terminal.tolist()
    S, A = len(R), len(R[0])
    theta, V = [[0.0] * A for _ in range(S)], [0.0] * S
    rng = random.Random(seed)
    for _ in range(episodes):
        s = mdp.start
        for _ in range(1000):
            z = [math.exp(x - max(theta[s])) for x in theta[s]]
            pi = [x / sum(z) for x in z]
            a = rng.choices(range(A), weights=pi)[0]
            s2 = rng.choices(range(S), weights=P[s][a])[0]
            bootstrap = 0.0 if term[s2] else V[s2]
            delta = R[s][a] + mdp.gamma * bootstrap - V[s]
            V[s] += alpha_v * delta
            for b in range(A):  # ∇_θ log π(a|s) = e_a − π(s)
                theta[s][b] += alpha_pi * delta * ((b == a) - pi[b])
            if term[s2]:
                break
            s = s2
    like = dict(dtype=mdp.R.dtype, device=mdp.R.device)
    return torch.tensor(theta, **like), torch.tensor(V, **like)


# --8<-- [end:actor_critic]
