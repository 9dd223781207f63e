import torch

from snippets.topics.rl.eligibility_traces import backward_view, forward_view, shape_rewards
from snippets.topics.rl.gridworld import make_gridworld
from snippets.topics.rl.value_iteration import q_from_v, value_iteration


def episode(device, T=12, S=5):
    g = torch.Generator().manual_seed(3)
    states = torch.randint(0, S, (T,), generator=g).to(device)  # with revisits
    rewards = torch.randn(T, generator=g, dtype=torch.float64).to(device)
    V = torch.randn(S, generator=g, dtype=torch.float64).to(device)
    return states, rewards, V


def test_forward_and_backward_views_agree_offline(device):
    states, rewards, V = episode(device)
    for lam in (0.0, 0.5, 0.9, 1.0):
        fwd = forward_view(states, rewards, V, 0.9, lam, alpha=0.1)
        bwd = backward_view(states, rewards, V, 0.9, lam, alpha=0.1)
        torch.testing.assert_close(fwd, bwd, atol=1e-12, rtol=0)


def test_lambda_limits_are_td0_and_every_visit_monte_carlo(device):
    states, rewards, V = episode(device)
    gamma, T = 0.9, len(states)
    nxt = torch.cat([V[states[1:]], V.new_zeros(1)])
    delta = rewards + gamma * nxt - V[states]
    td0 = torch.zeros_like(V).index_add_(0, states, delta)
    torch.testing.assert_close(backward_view(states, rewards, V, gamma, 0.0), td0)
    G = torch.stack([sum(gamma**k * rewards[t + k] for k in range(T - t)) for t in range(T)])
    mc = torch.zeros_like(V).index_add_(0, states, G - V[states])
    torch.testing.assert_close(backward_view(states, rewards, V, gamma, 1.0), mc)


def test_potential_shaping_keeps_the_optimal_policy(device):
    mdp = make_gridworld(["S..#", "...G", ".#.."], gamma=0.9, slip=0.2, device=device)
    g = torch.Generator().manual_seed(0)
    phi = (5 * torch.randn(len(mdp.cells), generator=g, dtype=torch.float64)).to(device)
    V, _ = value_iteration(mdp)
    V2, pi2 = value_iteration(shape_rewards(mdp, phi))
    # V'* = V* − Φ exactly (up to value iteration's 1e-10 stopping rule).
    torch.testing.assert_close(V2, V - phi, atol=1e-8, rtol=0)
    Q, Q2 = q_from_v(mdp, V), q_from_v(shape_rewards(mdp, phi), V2)
    torch.testing.assert_close(Q2, Q - phi[:, None], atol=1e-8, rtol=0)
    # The shaped problem's greedy actions are optimal in the original one.
    chosen = Q.gather(1, pi2[:, None]).squeeze(1)
    assert (chosen >= Q.max(1).values - 1e-8).all()
