import random

import pytest
import torch

from snippets.topics.rl.gridworld import make_gridworld
from snippets.topics.rl.mdp import evaluate_exactly
from snippets.topics.rl.td_control import epsilon_greedy, greedy_path, td_control
from snippets.topics.rl.value_iteration import q_from_v, value_iteration

# The learners draw from Python's random.Random(seed), so every run (and
# every device) sees the same episodes: these tests are deterministic.
SAFE = ["S..#", "...G", ".#.."]
CLIFF = ["." * 12, "." * 12, "." * 12, "S" + "C" * 10 + "G"]


def optimal_q(mdp):
    V, _ = value_iteration(mdp)
    return q_from_v(mdp, V)


def greedy_is_optimal(Q, Q_star):
    chosen = Q_star.gather(1, Q.argmax(1, keepdim=True)).squeeze(1)
    return (chosen >= Q_star.max(1).values - 1e-6).all().item()


def test_epsilon_greedy_frequencies():
    # eps = 0.2 over 4 actions: greedy action with prob 0.8 + 0.2/4 = 0.85.
    rng = random.Random(0)
    n = 20_000
    hits = sum(epsilon_greedy([0.0, 1.0, 0.0, 0.0], 0.2, rng) == 1 for _ in range(n))
    se = (0.85 * 0.15 / n) ** 0.5  # 0.0025; allow 5 standard errors
    assert abs(hits / n - 0.85) < 5 * se


def test_q_learning_with_unit_step_recovers_q_star_exactly(device):
    # Deterministic grid and alpha = 1: each update is an exact Bellman
    # optimality backup of one (s, a), i.e. asynchronous value iteration.
    mdp = make_gridworld(SAFE, gamma=0.9, device=device)
    Q = td_control(mdp, "q_learning", 400, alpha=1.0, eps=0.5, random_start=True)
    torch.testing.assert_close(Q, optimal_q(mdp), atol=1e-6, rtol=0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_both_methods_learn_an_optimal_greedy_policy_on_a_safe_grid(seed, device):
    mdp = make_gridworld(SAFE, gamma=0.9, device=device)
    Q_star = optimal_q(mdp)
    q = td_control(mdp, "q_learning", 300, alpha=0.5, eps=0.3, random_start=True, seed=seed)
    s = td_control(mdp, "sarsa", 400, alpha=0.2, eps=0.05, random_start=True, seed=seed)
    assert greedy_is_optimal(q, Q_star) and greedy_is_optimal(s, Q_star)


def test_cliff_sarsa_is_safe_and_q_learning_hugs_the_edge(device):
    mdp = make_gridworld(CLIFF, gamma=1.0, device=device)
    q_path = greedy_path(mdp, td_control(mdp, "q_learning", 500, alpha=0.2, eps=0.1))
    s_path = greedy_path(mdp, td_control(mdp, "sarsa", 500, alpha=0.2, eps=0.1))
    # Q-learning: the shortest path, 13 moves, all along row 2 (next to the cliff).
    assert len(q_path) - 1 == 13
    assert all(r == 2 for r, c in q_path if 1 <= c <= 10)
    # SARSA values the ε-greedy policy, whose random steps near the edge cost
    # -100: its greedy path reaches the goal but keeps off row 2 over the cliff.
    assert q_path[-1] == s_path[-1] == (3, 11)
    assert 13 < len(s_path) - 1 < 30
    assert all(r <= 1 for r, c in s_path if 1 <= c <= 10)


def test_cliff_online_return_sarsa_beats_q_learning(device):
    mdp = make_gridworld(CLIFF, gamma=1.0, device=device)
    returns = {}
    for method in ("q_learning", "sarsa", "expected_sarsa"):
        log = []
        td_control(mdp, method, 500, alpha=0.2 if method != "expected_sarsa" else 0.5, returns=log)
        returns[method] = torch.tensor(log[100:], dtype=torch.float64)  # after warm-up
    q, s = returns["q_learning"], returns["sarsa"]
    # Observed mean return over episodes 100-499: Q-learning −44.9 (it
    # walks the edge and ε-exploration drops it off the cliff), SARSA
    # −23.9, Expected SARSA −19.8. Require the gap to exceed 5 standard
    # errors of the difference (episode returns treated as independent).
    se = (q.var() / len(q) + s.var() / len(s)) ** 0.5  # ≈ 3.2
    assert s.mean() - q.mean() > 5 * se
    assert returns["expected_sarsa"].mean() > q.mean() + 5 * se


def test_expected_sarsa_with_eps_one_evaluates_the_uniform_policy(device):
    # With ε = 1 the policy is uniform whatever Q is, so Expected SARSA's
    # fixed point is Q of the uniform policy. On a deterministic grid the
    # expected target has no sampling noise, so constant α converges.
    mdp = make_gridworld(SAFE, gamma=0.9, device=device)
    Q = td_control(mdp, "expected_sarsa", 300, alpha=0.5, eps=1.0, random_start=True)
    uniform = torch.full_like(mdp.R, 0.25)
    Q_pi = q_from_v(mdp, evaluate_exactly(mdp, uniform))
    live = ~mdp.terminal
    torch.testing.assert_close(Q[live], Q_pi[live], atol=1e-6, rtol=0)
