import torch

from snippets.topics.rl.curriculum import chain_q_learning, greedy_solves

N = 20  # chain length; episodes last at most 2N = 40 steps


def random_walk_success_probability(n, steps, device):
    """P(a uniform random walk from 0, reflecting at 0, reaches n within
    `steps` steps): the chance an untrained agent ever sees the reward."""
    p = torch.zeros(n + 1, dtype=torch.float64, device=device)
    p[0], hit = 1.0, 0.0
    for _ in range(steps):
        q = torch.zeros_like(p)
        q[0] += 0.5 * p[0]  # "left" at 0 stays put
        q[:-2] += 0.5 * p[1:-1]  # left from 1..n-1
        q[1:] += 0.5 * p[:-1]  # right from 0..n-1
        hit += q[n].item()
        q[n] = 0.0  # absorbed
        p = q
    return hit


def test_untrained_agent_almost_never_sees_the_reward(device):
    p = random_walk_success_probability(N, 2 * N, device)
    assert 0.001 < p < 0.003  # 0.00213: 1 episode in 470
    successes = [chain_q_learning(N, 300, curriculum=False, seed=s)[1] for s in range(5)]
    # Expected about 300 · 5 · p = 3.2 successes in all; observed 3. Allow
    # 5 Poisson standard deviations above the mean.
    expected = 1500 * p
    assert sum(successes) < expected + 5 * expected**0.5


def test_reverse_curriculum_solves_the_task(device):
    for seed in range(5):
        Q_plain, _ = chain_q_learning(N, 300, curriculum=False, seed=seed)
        Q_cur, wins = chain_q_learning(N, 300, curriculum=True, seed=seed)
        assert not greedy_solves(Q_plain, N)
        assert greedy_solves(Q_cur, N) and wins > 250  # observed 294-300
