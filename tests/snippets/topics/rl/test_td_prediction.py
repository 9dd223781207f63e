import torch

from snippets.topics.rl.td_prediction import monte_carlo, random_walk_episodes, td0


def true_values(device):
    return torch.arange(1, 6, dtype=torch.float64, device=device) / 6  # V(s) = s/6


def test_episodes_end_at_the_right_boundary_with_probability_one_half():
    eps = random_walk_episodes(4000, seed=1)
    assert all(states[0] == 3 for states, _ in eps)
    right = sum(G for _, G in eps) / len(eps)
    assert abs(right - 0.5) < 5 * (0.25 / 4000) ** 0.5  # 5 standard errors = 0.04
    # Expected episode length from the middle of 5 states: 3 * 3 = 9 steps.
    mean_len = sum(len(s) for s, _ in eps) / len(eps)
    assert abs(mean_len - 9) < 0.5  # length sd ≈ 6.5, SE ≈ 0.1; 5 SE


def test_monte_carlo_and_td0_converge_to_s_over_6(device):
    V = true_values(device)
    mc, td = [], []
    for seed in range(10):
        eps = random_walk_episodes(1000, seed=seed)
        mc.append(monte_carlo(eps, device=device))
        td.append(td0(eps, alpha=0.02, device=device))
    # MC sample means over 10 000 episodes: each state is visited >= ~5000
    # times, SE <= 0.5/sqrt(5000) ≈ 0.007; tolerance 0.035 = 5 SE.
    torch.testing.assert_close(torch.stack(mc).mean(0), V, atol=0.035, rtol=0)
    # Constant-step TD fluctuates with sd ≈ sqrt(alpha/2) * 0.5 ≈ 0.05 per
    # run; the mean over 10 runs has SE ≈ 0.016. TD is linear in V, so its
    # expected estimate converges to the true V: tolerance 0.08 = 5 SE.
    torch.testing.assert_close(torch.stack(td).mean(0), V, atol=0.08, rtol=0)


def test_one_episode_by_hand(device):
    # Episode 3 -> 4 -> 5 -> right end (G = 1), init 0.5, alpha = 0.5.
    eps = [([3, 4, 5], 1.0)]
    # MC moves all three towards 1: 0.5 + 0.5 * 0.5 = 0.75.
    expected_mc = torch.tensor([0.5, 0.5, 0.75, 0.75, 0.75], dtype=torch.float64, device=device)
    torch.testing.assert_close(monte_carlo(eps, alpha=0.5, device=device), expected_mc)
    # TD(0): V(3), V(4) move towards V(next) = 0.5 (no change); V(5) to 0.75.
    expected_td = torch.tensor([0.5, 0.5, 0.5, 0.5, 0.75], dtype=torch.float64, device=device)
    torch.testing.assert_close(td0(eps, alpha=0.5, device=device), expected_td)


def test_td_has_lower_variance_mc_lower_bias_after_few_episodes(device):
    V = true_values(device)
    mc, td = [], []
    for seed in range(300):
        eps = random_walk_episodes(10, seed=100 + seed)
        mc.append(monte_carlo(eps, device=device))
        td.append(td0(eps, alpha=0.1, device=device))
    mc, td = torch.stack(mc), torch.stack(td)
    bias2 = lambda x: ((x.mean(0) - V) ** 2).mean().item()  # noqa: E731
    var = lambda x: x.var(0).mean().item()  # noqa: E731
    # Observed: MC bias² ≈ 2e-4, var ≈ 0.04; TD bias² ≈ 0.01, var ≈ 1e-3.
    # The factor-of-10 margins leave room for sampling noise over 300 runs.
    assert bias2(mc) * 10 < bias2(td)
    assert var(td) * 10 < var(mc)
