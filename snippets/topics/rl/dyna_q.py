"""Dyna-Q: Q-learning plus planning with a learned tabular model."""

import random
from itertools import accumulate

from snippets.topics.rl.td_control import epsilon_greedy


# --8<-- [start:dyna_q]
def dyna_q(
    mdp, episodes, n_planning, alpha=0.1, eps=0.1, seed=0, max_steps=10_000
):
    """Tabular Dyna-Q. After every real step: one Q-learning update,
    store (r, s', terminal) in the model, then n_planning more updates
    on previously seen (s, a) pairs replayed through the model.
    n_planning = 0 is plain Q-learning. The model is exact for a
    deterministic environment (it keeps the last outcome seen).
    Returns Q (list of lists) and the real steps of each episode.
    """
    cum_p = [[list(accumulate(row)) for row in s] for s in mdp.P.tolist()]
    R, terminal = mdp.R.tolist(), mdp.terminal.tolist()
    S, A = len(R), len(R[0])
    Q = [[0.0] * A for _ in range(S)]
    model = {}  # (s, a) -> (r, s', terminal)
    rng = random.Random(seed)

    def update(s, a, r, s2, done):
        target = r + (0.0 if done else mdp.gamma * max(Q[s2]))
        Q[s][a] += alpha * (target - Q[s][a])

    steps = []
    for _ in range(episodes):
        s, t = mdp.start, 0
        while t < max_steps:
            t += 1
            a = epsilon_greedy(Q[s], eps, rng)
            s2 = rng.choices(range(S), cum_weights=cum_p[s][a])[0]
            outcome = (R[s][a], s2, terminal[s2])
            update(s, a, *outcome)  # direct RL from real experience
            model[(s, a)] = outcome  # model learning
            seen = list(model)
            for _ in range(n_planning):  # planning: simulated experience
                ps, pa = rng.choice(seen)
                update(ps, pa, *model[(ps, pa)])
            if terminal[s2]:
                break
            s = s2
        steps.append(t)
    return Q, steps


# --8<-- [end:dyna_q]
