import torch

from snippets.topics.rl.gridworld import MDP, make_gridworld
from snippets.topics.rl.mdp import evaluate_exactly, occupancy, policy_matrices
from snippets.topics.rl.value_iteration import policy_evaluation

GRID = ["S..#", "...G", ".#.."]


def random_policy(S, A, device):
    g = torch.Generator().manual_seed(1)
    return torch.softmax(torch.randn(S, A, generator=g, dtype=torch.float64), -1).to(device)


def test_solve_matches_iterative_evaluation(device):
    mdp = make_gridworld(GRID, gamma=0.9, slip=0.2, device=device)
    pi = random_policy(*mdp.R.shape, device)
    exact = evaluate_exactly(mdp, pi)
    # Iteration stops at a change below 1e-10, so its error is below
    # γ/(1−γ)·1e-10 = 9e-10; observed max difference about 1e-10.
    torch.testing.assert_close(policy_evaluation(mdp, pi), exact, atol=1e-8, rtol=0)
    # The solution satisfies the Bellman expectation equation itself.
    P_pi, r_pi = policy_matrices(mdp, pi)
    torch.testing.assert_close(exact, r_pi + mdp.gamma * P_pi @ exact, atol=1e-12, rtol=0)


def test_two_state_chain_by_hand(device):
    # One action. State 0 pays 1 and moves to 1; state 1 pays 0 and stays
    # with prob 1/2, else returns to 0. γ = 0.5:
    # V0 = 1 + 0.5 V1, V1 = 0.5 (0.5 V1 + 0.5 V0) -> V1 = V0 / 3,
    # V0 = 1 + V0 / 6 -> V0 = 6/5, V1 = 2/5.
    P = torch.tensor([[[0.0, 1.0]], [[0.5, 0.5]]], dtype=torch.float64, device=device)
    R = torch.tensor([[1.0], [0.0]], dtype=torch.float64, device=device)
    mdp = MDP(P, R, 0.5, torch.tensor([False, False], device=device), 0, [(0, 0), (0, 1)])
    pi = torch.ones(2, 1, dtype=torch.float64, device=device)
    V = evaluate_exactly(mdp, pi)
    torch.testing.assert_close(V, torch.tensor([1.2, 0.4], dtype=torch.float64, device=device))


def test_occupancy_gives_the_start_value(device):
    mdp = make_gridworld(GRID, gamma=0.9, slip=0.2, device=device)
    pi = random_policy(*mdp.R.shape, device)
    d = occupancy(mdp, pi, mdp.start)
    _, r_pi = policy_matrices(mdp, pi)
    V = evaluate_exactly(mdp, pi)
    torch.testing.assert_close(d @ r_pi, V[mdp.start], atol=1e-10, rtol=0)
    # Total discounted visits: Σ_t γ^t = 1 / (1 − γ) = 10.
    torch.testing.assert_close(d.sum().item(), 10.0, atol=1e-10, rtol=0)
