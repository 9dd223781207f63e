import itertools

import torch

from snippets.topics.rl.gridworld import make_gridworld
from snippets.topics.rl.value_iteration import policy_evaluation, q_from_v, value_iteration

LAYOUT = ["S..#", "...G", ".#.."]


def exact_value(mdp, policy):
    """Solve (I − γ P_π) V = r_π directly."""
    P_pi = (policy[..., None] * mdp.P).sum(-2)  # (..., S, S)
    r_pi = (policy * mdp.R).sum(-1)
    eye = torch.eye(mdp.R.size(0), dtype=mdp.R.dtype, device=mdp.R.device)
    return torch.linalg.solve(eye - mdp.gamma * P_pi, r_pi)


def test_policy_evaluation_matches_linear_solve(device):
    mdp = make_gridworld(LAYOUT, gamma=0.95, slip=0.2, device=device)
    policy = torch.softmax(torch.randn(mdp.R.shape, dtype=torch.float64), -1).to(device)
    V = policy_evaluation(mdp, policy)
    torch.testing.assert_close(V, exact_value(mdp, policy), atol=1e-6, rtol=0)


def test_uniform_policy_on_two_state_chain_by_hand(device):
    # S -> G: from S, right reaches G (-1), anything else stays (-1).
    # Uniform policy: V = -1 + γ·(3/4)·V  =>  V = -1 / (1 − 0.75γ).
    mdp = make_gridworld(["SG"], gamma=0.9, device=device)
    V = policy_evaluation(mdp, torch.full((2, 4), 0.25, dtype=torch.float64, device=device))
    assert abs(V[0].item() - (-1 / (1 - 0.75 * 0.9))) < 1e-9 and V[1].item() == 0.0


def test_value_iteration_satisfies_bellman_optimality(device):
    mdp = make_gridworld(LAYOUT, gamma=0.95, slip=0.2, device=device)
    V, greedy = value_iteration(mdp)
    residual = (q_from_v(mdp, V).max(-1).values - V).abs().max().item()
    assert residual < 1e-6
    # The greedy policy's own value equals V*.
    onehot = torch.nn.functional.one_hot(greedy, 4).to(V.dtype)
    torch.testing.assert_close(exact_value(mdp, onehot), V, atol=1e-6, rtol=0)


def test_greedy_policy_beats_every_deterministic_policy(device):
    # 5 non-terminal states (the goal is the last) x 4 actions = 1024 deterministic policies, all
    # evaluated exactly with one batched solve.
    mdp = make_gridworld(["S..", "..G"], gamma=0.9, slip=0.1, device=device)
    V, greedy = value_iteration(mdp)
    acts = torch.tensor(list(itertools.product(range(4), repeat=5)), device=device)
    acts = torch.cat([acts, torch.zeros(len(acts), 1, dtype=acts.dtype, device=device)], 1)
    values = exact_value(mdp, torch.nn.functional.one_hot(acts, 4).to(V.dtype))  # (1024, S)
    best = values.max(dim=0).values
    torch.testing.assert_close(V, best, atol=1e-6, rtol=0)
    assert (values <= V + 1e-6).all()  # V* dominates every policy in every state
    onehot = torch.nn.functional.one_hot(greedy, 4).to(V.dtype)
    torch.testing.assert_close(exact_value(mdp, onehot), best, atol=1e-6, rtol=0)


def test_value_iteration_contracts_at_rate_gamma(device):
    # ‖V_k − V*‖∞ ≤ γ^k ‖V_0 − V*‖∞ for the Bellman optimality operator.
    mdp = make_gridworld(LAYOUT, gamma=0.8, slip=0.2, device=device)
    V_star, _ = value_iteration(mdp)
    V = torch.zeros_like(V_star)
    err0 = (V - V_star).abs().max().item()
    for k in range(1, 21):
        V = q_from_v(mdp, V).max(-1).values
        assert (V - V_star).abs().max().item() <= 0.8**k * err0 + 1e-12
