"""Monte Carlo versus TD(0) prediction on the random-walk chain."""

import random

import torch


# --8<-- [start:random_walk]
def random_walk_episodes(n_episodes, n=5, seed=0):
    """Episodes on states 1..n, starting in the middle, stepping ±1 with
    equal probability until 0 (reward 0) or n + 1 (reward 1).

    Returns a list of (visited states, final reward); γ = 1 and every
    other reward is 0, so the return from each visited state is the
    final reward. True values: V(s) = s / (n + 1).
    """
    rng = random.Random(seed)
    episodes = []
    for _ in range(n_episodes):
        s, states = (n + 1) // 2, []
        while 1 <= s <= n:
            states.append(s)
            s += rng.choice((-1, 1))
        episodes.append((states, float(s == n + 1)))
    return episodes


# --8<-- [end:random_walk]


# --8<-- [start:monte_carlo]
def monte_carlo(episodes, n=5, alpha=None, init=0.5, device=None):
    """Every-visit MC: move V(s) towards the observed return G.
    alpha=None uses 1 / N(s), the running sample mean (unbiased)."""
    V, N = [init] * (n + 2), [0] * (n + 2)
    for states, G in episodes:
        for s in states:
            N[s] += 1
            step = alpha if alpha is not None else 1.0 / N[s]
            V[s] += step * (G - V[s])
    return torch.tensor(V[1:-1], dtype=torch.float64, device=device)


# --8<-- [end:monte_carlo]


# --8<-- [start:td0]
def td0(episodes, n=5, alpha=0.1, init=0.5, device=None):
    """TD(0): move V(s) towards r + V(s') after every step; terminal
    states have value 0, so the last target is the final reward."""
    V = [init] * (n + 2)
    for states, G in episodes:
        for t, s in enumerate(states):
            # r = 0 before the end; the last step's target is G alone.
            last = t + 1 == len(states)
            target = G if last else V[states[t + 1]]
            V[s] += alpha * (target - V[s])
    return torch.tensor(V[1:-1], dtype=torch.float64, device=device)


# --8<-- [end:td0]
