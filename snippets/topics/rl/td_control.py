"""Tabular Q-learning (off-policy) and SARSA (on-policy) TD control."""

import random
from itertools import accumulate

import torch


# --8<-- [start:td_control]
def epsilon_greedy(q_row, eps, rng):
    """Random action with prob eps, else a greedy one (ties broken at
    random, which matters while Q is still all zeros)."""
    if rng.random() < eps:
        return rng.randrange(len(q_row))
    best = max(q_row)
    return rng.choice([a for a, q in enumerate(q_row) if q == best])


def td_control(
    mdp,
    method,
    episodes,
    alpha=0.5,
    eps=0.1,
    random_start=False,
    max_steps=10_000,
    seed=0,
    returns=None,
):
    """Learn Q: (S, A) from sampled transitions of `mdp`.

    method: "q_learning" bootstraps from max_a' Q(s', a') (the greedy
    policy's value); "sarsa" from Q(s', a') with a' the action actually
    taken next (the ε-greedy policy's value); "expected_sarsa" from
    Σ_a' π(a'|s') Q(s', a') under the ε-greedy π (same fixed point as
    SARSA, less noise). If `returns` is a list, each episode's
    undiscounted return is appended to it.
    """
    # Tabular updates are sequential and tiny: Python floats are far
    # faster here than one-element tensor ops.
    cum_p = [[list(accumulate(row)) for row in s] for s in mdp.P.tolist()]
    R, terminal = mdp.R.tolist(), mdp.terminal.tolist()
    S, A = len(R), len(R[0])
    starts = [s for s in range(S) if not terminal[s]]
    Q = [[0.0] * A for _ in range(S)]
    rng = random.Random(seed)
    for _ in range(episodes):
        s = rng.choice(starts) if random_start else mdp.start
        a = epsilon_greedy(Q[s], eps, rng)
        total = 0.0
        for _ in range(max_steps):
            s2 = rng.choices(range(S), cum_weights=cum_p[s][a])[0]
            a2 = epsilon_greedy(Q[s2], eps, rng)
            if method == "sarsa":
                nxt = Q[s2][a2]
            elif method == "expected_sarsa":
                nxt = (1 - eps) * max(Q[s2]) + eps * sum(Q[s2]) / A
            else:
                nxt = max(Q[s2])
            Q[s][a] += alpha * (R[s][a] + mdp.gamma * nxt - Q[s][a])
            total += R[s][a]
            if terminal[s2]:  # Q of a terminal state stays 0
                break
            s, a = s2, a2
        if returns is not None:
            returns.append(total)
    return torch.tensor(Q, dtype=mdp.R.dtype, device=mdp.R.device)


def greedy_path(mdp, Q, max_len=100):
    """Cells visited by the greedy policy from the start (deterministic
    grid)."""
    s, path = mdp.start, [mdp.cells[mdp.start]]
    while not mdp.terminal[s] and len(path) <= max_len:
        s = int(mdp.P[s, Q[s].argmax()].argmax())
        path.append(mdp.cells[s])
    return path


# --8<-- [end:td_control]
