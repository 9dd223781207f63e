import torch

from snippets.topics.rl.dyna_q import dyna_q
from snippets.topics.rl.gridworld import make_gridworld
from snippets.topics.rl.td_control import greedy_path
from snippets.topics.rl.value_iteration import value_iteration

# A 6 × 9 maze with walls; the shortest path from S to G has 14 moves.
MAZE = [".......#G", "..#....#.", "S.#....#.", "..#......", ".....#...", "........."]


def test_shortest_path_and_optimal_value(device):
    mdp = make_gridworld(MAZE, gamma=0.95, device=device)
    V, _ = value_iteration(mdp)
    # 14 moves at −1: V*(S) = −(1 − 0.95^14) / 0.05 = −10.2465.
    assert abs(V[mdp.start].item() + (1 - 0.95**14) / 0.05) < 1e-8


def test_planning_cuts_real_experience(device):
    # The learners use Python's random.Random(seed): deterministic runs.
    mdp = make_gridworld(MAZE, gamma=0.95, device=device)
    _, q_steps = dyna_q(mdp, 10, n_planning=0)  # plain Q-learning
    _, dyna_steps = dyna_q(mdp, 10, n_planning=20)
    # Real steps over the first 10 episodes: observed 3843 against 927
    # (seeds 0-4: 3589-3843 against 927-1269).
    assert sum(dyna_steps) < 0.5 * sum(q_steps)


def test_dyna_q_finds_the_shortest_path(device):
    mdp = make_gridworld(MAZE, gamma=0.95, device=device)
    Q, steps = dyna_q(mdp, 50, n_planning=20)
    path = greedy_path(mdp, torch.tensor(Q, dtype=torch.float64, device=device))
    assert len(path) - 1 == 14 and path[-1] == (0, 8)
    assert sum(steps[-10:]) / 10 < 25  # ε = 0.1 exploration adds a few steps
