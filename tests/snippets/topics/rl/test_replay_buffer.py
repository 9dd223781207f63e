import random

import torch

from snippets.topics.rl.gridworld import make_gridworld
from snippets.topics.rl.mdp import evaluate_exactly
from snippets.topics.rl.replay_buffer import ReplayBuffer, learn_from_buffer
from snippets.topics.rl.value_iteration import q_from_v, value_iteration


def test_ring_buffer_overwrites_the_oldest(device):
    buf = ReplayBuffer(3, device=device)
    for i in range(5):
        buf.add(i, 0, float(i), i + 1, i == 4)
    assert buf.size == 3
    # Slots hold transitions 3, 4, 2 (0 and 1 were overwritten).
    assert buf.s.tolist() == [3, 4, 2] and buf.done.tolist() == [0.0, 1.0, 0.0]
    s, _, r, s2, _ = buf.sample(1000, torch.Generator().manual_seed(0))
    assert set(s.tolist()) == {2, 3, 4} and torch.equal(r, s.to(r.dtype))
    assert torch.equal(s2, s + 1)


def filled_buffer(mdp, device, n=3000):
    """Transitions of the uniform random policy (the behaviour policy)."""
    rng, buf = random.Random(0), ReplayBuffer(n, device=device)
    P, R, term = mdp.P.tolist(), mdp.R.tolist(), mdp.terminal.tolist()
    s = mdp.start
    for _ in range(n):
        a = rng.randrange(4)
        s2 = rng.choices(range(len(P)), weights=P[s][a])[0]
        buf.add(s, a, R[s][a], s2, term[s2])
        s = mdp.start if term[s2] else s2
    return buf


def test_one_buffer_of_random_behaviour_learns_two_other_policies(device):
    mdp = make_gridworld(["S..#", "...G", ".#.."], gamma=0.9, device=device)
    S, A = mdp.R.shape
    buf = filled_buffer(mdp, device)
    live = ~mdp.terminal
    # Greedy target (Q-learning): Q*, from value iteration. Deterministic
    # grid, so every target is exact and the error contracts by about
    # 1 − α(1 − γ) = 0.95 per step: 0.95^300 ≈ 2e-7 (observed 3e-7).
    V_star, _ = value_iteration(mdp)
    Q = learn_from_buffer(buf, S, A, mdp.gamma)
    torch.testing.assert_close(Q[live], q_from_v(mdp, V_star)[live], atol=1e-5, rtol=0)
    # A fixed target π (mostly "right"): Q_π from the exact linear solve.
    pi = torch.full((S, A), 0.1, dtype=torch.float64, device=device)
    pi[:, 1] = 0.7
    Q_pi = q_from_v(mdp, evaluate_exactly(mdp, pi))
    Q = learn_from_buffer(buf, S, A, mdp.gamma, target_policy=pi)
    torch.testing.assert_close(Q[live], Q_pi[live], atol=1e-5, rtol=0)
