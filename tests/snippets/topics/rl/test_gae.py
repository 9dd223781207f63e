import torch

from snippets.topics.rl.gae import gae


def data(device, B=3, T=7):
    r = torch.randn(B, T, dtype=torch.float64, device=device)
    v = torch.randn(B, T + 1, dtype=torch.float64, device=device)
    d = torch.zeros(B, T, device=device)
    return r, v, d


def test_matches_brute_force_definition(device):
    gamma, lam = 0.9, 0.8
    r, v, d = data(device)
    adv, ret = gae(r, v, d, gamma, lam)
    T = r.size(-1)
    delta = r + gamma * v[:, 1:] - v[:, :-1]
    brute = torch.stack(
        [sum((gamma * lam) ** k * delta[:, t + k] for k in range(T - t)) for t in range(T)], -1
    )
    torch.testing.assert_close(adv, brute, atol=1e-10, rtol=0)
    torch.testing.assert_close(ret, adv + v[:, :-1], atol=1e-12, rtol=0)


def test_lambda_zero_is_the_td_error(device):
    gamma = 0.9
    r, v, d = data(device)
    adv, _ = gae(r, v, d, gamma, lam=0.0)
    torch.testing.assert_close(adv, r + gamma * v[:, 1:] - v[:, :-1], atol=1e-12, rtol=0)


def test_lambda_one_is_monte_carlo_return_minus_value(device):
    gamma = 0.9
    r, v, d = data(device)
    T = r.size(-1)
    adv, ret = gae(r, v, d, gamma, lam=1.0)
    # G_t = Σ_k γ^k r_{t+k} + γ^{T−t} V(s_T) (bootstrapped at the cut).
    G = torch.stack(
        [
            sum(gamma**k * r[:, t + k] for k in range(T - t)) + gamma ** (T - t) * v[:, T]
            for t in range(T)
        ],
        -1,
    )
    torch.testing.assert_close(adv, G - v[:, :-1], atol=1e-10, rtol=0)
    torch.testing.assert_close(ret, G, atol=1e-10, rtol=0)


def test_done_splits_into_independent_episodes(device):
    gamma, lam = 0.99, 0.95
    r, v, d = data(device, B=1, T=8)
    d[0, 4] = 1  # episode ends after step 4; step 5 starts a new one
    adv, _ = gae(r, v, d, gamma, lam)
    # First episode: its last transition enters a terminal state (value 0).
    v_first = torch.cat([v[:, :5], torch.zeros_like(v[:, :1])], -1)
    first, _ = gae(r[:, :5], v_first, torch.zeros_like(d[:, :5]), gamma, lam)
    second, _ = gae(r[:, 5:], v[:, 5:], torch.zeros_like(d[:, 5:]), gamma, lam)
    torch.testing.assert_close(adv, torch.cat([first, second], -1), atol=1e-12, rtol=0)


def test_hand_worked_two_steps(device):
    # r = [1, 2], V = [0.5, 1, 3], γ = 0.5, λ = 0.5:
    # δ_1 = 2 + 0.5·3 − 1 = 2.5, δ_0 = 1 + 0.5·1 − 0.5 = 1,
    # Â_1 = 2.5, Â_0 = 1 + 0.25 · 2.5 = 1.625.
    r = torch.tensor([1.0, 2.0], device=device)
    v = torch.tensor([0.5, 1.0, 3.0], device=device)
    adv, _ = gae(r, v, torch.zeros(2, device=device), gamma=0.5, lam=0.5)
    torch.testing.assert_close(adv, torch.tensor([1.625, 2.5], device=device))
