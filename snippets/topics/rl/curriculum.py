"""A reverse curriculum for a sparse-reward chain, with tabular Q-learning."""

import random

from snippets.topics.rl.td_control import epsilon_greedy


# --8<-- [start:curriculum]
def chain_q_learning(
    n,
    episodes,
    curriculum,
    max_steps=None,
    alpha=0.5,
    gamma=0.95,
    eps=0.1,
    seed=0,
):
    """States 0..n on a line, actions 0 = left, 1 = right; reaching n
    pays 1 and ends the episode, every other step pays 0. The task is to
    learn to walk right from state 0 within max_steps (default 2n).

    curriculum=False always starts at 0. curriculum=True is a reverse
    curriculum: start next to the goal and move the start one state
    further back after every episode that reaches the goal.
    Returns Q (n + 1 lists of 2) and the number of successful episodes.
    """
    max_steps = max_steps or 2 * n
    rng = random.Random(seed)
    Q = [[0.0, 0.0] for _ in range(n + 1)]
    start = n - 1 if curriculum else 0
    successes = 0
    for _ in range(episodes):
        s = start
        for _ in range(max_steps):
            a = epsilon_greedy(Q[s], eps, rng)
            s2 = max(s - 1, 0) if a == 0 else s + 1
            done = s2 == n
            target = 1.0 if done else gamma * max(Q[s2])
            Q[s][a] += alpha * (target - Q[s][a])
            s = s2
            if done:
                successes += 1
                if curriculum:
                    start = max(start - 1, 0)
                break
    return Q, successes


def greedy_solves(Q, n):
    """Does the greedy policy walk from 0 to n in n steps?"""
    return all(Q[s][1] > Q[s][0] for s in range(n))


# --8<-- [end:curriculum]
