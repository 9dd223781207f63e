import itertools

import pytest
import torch

from snippets.topics.llm.speculative_decoding import (
    categorical,
    residual,
    speculative_generate,
    speculative_round,
    speculative_sample,
)

N = 100_000
# Tolerance for every frequency below: 5 binomial standard errors,
# sqrt(pi (1 - pi) / N). One cell then fails by chance with probability
# < 6e-7, so even the 64-cell joint test has a false-alarm rate < 4e-5.
Z = 5.0

P_FIXED = [0.0, 0.2, 0.35, 0.15, 0.3]  # the target never emits token 0
Q_FIXED = [0.3, 0.05, 0.2, 0.4, 0.05]  # ... but the draft often proposes it


def gen(device, seed=0):
    return torch.Generator(device=device).manual_seed(seed)


def assert_frequencies(draws, expected, minlength):
    """draws: 1-D tokens; expected: (minlength,) probabilities."""
    freq = torch.bincount(draws, minlength=minlength).double() / draws.numel()
    expected = expected.double()
    se = (expected * (1 - expected) / draws.numel()).sqrt()
    err = (freq - expected).abs()
    assert (err <= Z * se + 1e-12).all(), (err / se.clamp_min(1e-12)).max().item()


def test_categorical_draws_follow_each_row(device):
    probs = torch.tensor([P_FIXED, Q_FIXED], device=device)  # zeros at both ends
    rows = probs.repeat(N // 2, 1)  # (N, 5), alternating the two rows
    draws = categorical(rows, gen(device))
    assert_frequencies(draws[0::2], probs[0], 5)
    assert_frequencies(draws[1::2], probs[1], 5)
    assert (draws[0::2] == 0).sum() == 0  # probability 0 is never drawn


def test_residual_is_normalised_positive_part(device):
    p = torch.tensor(P_FIXED, device=device)
    q = torch.tensor(Q_FIXED, device=device)
    # max(0, p - q) = (0, 0.15, 0.15, 0, 0.25), mass 0.55 = 1 - sum min(p, q).
    expected = torch.tensor([0, 0.15, 0.15, 0, 0.25], device=device) / 0.55
    torch.testing.assert_close(residual(p, q), expected)
    torch.testing.assert_close(residual(p, p), p)  # no residual mass: p itself


def test_single_step_emits_the_target_distribution(device):
    p = torch.tensor(P_FIXED, device=device)
    q = torch.tensor(Q_FIXED, device=device)
    tokens, accepted = speculative_sample(p.expand(N, -1), q.expand(N, -1), generator=gen(device))
    assert_frequencies(tokens, p, 5)
    assert (tokens == 0).sum() == 0  # p(0) = 0: proposed 30% of the time, never kept
    # Acceptance rate: sum_x q(x) min(1, p/q) = sum_x min(p, q) = 0.45.
    alpha = torch.minimum(p, q).sum().item()
    assert abs(alpha - 0.45) < 1e-6
    se = (alpha * (1 - alpha) / N) ** 0.5
    assert abs(accepted.double().mean().item() - alpha) <= Z * se


def test_draft_equal_to_target_is_always_accepted(device):
    p = torch.softmax(torch.randn(6, device=device), dim=0).expand(N, -1)
    tokens, accepted = speculative_sample(p, p, generator=gen(device))
    assert accepted.all()
    assert_frequencies(tokens, p[0], 6)


def rolled_tables(a, b, device):
    """Row r is a (resp. b) rolled by r, so every context has the same
    acceptance rate alpha = sum min(a, b)."""
    a, b = torch.tensor(a, device=device), torch.tensor(b, device=device)
    V = a.numel()
    P = torch.stack([a.roll(r) for r in range(V)])
    Q = torch.stack([b.roll(r) for r in range(V)])
    return P, Q, torch.minimum(a, b).sum().item()


def test_tokens_per_target_pass_is_truncated_geometric(device):
    gamma = 3
    P, Q, alpha = rolled_tables(P_FIXED, Q_FIXED, device)
    last = torch.randint(0, 5, (N,), device=device, generator=gen(device, 1))
    _, n = speculative_round(P, Q, last, gamma, generator=gen(device, 2))
    # Accepts are i.i.d. Bernoulli(alpha) until the first reject, capped at
    # gamma: P(n = k + 1) = alpha^k (1 - alpha) for k < gamma, alpha^gamma.
    law = [alpha**k * (1 - alpha) for k in range(gamma)] + [alpha**gamma]
    law = torch.tensor([0.0, *law], device=device)  # n is 1 .. gamma + 1
    assert_frequencies(n, law, gamma + 2)
    mean = (1 - alpha ** (gamma + 1)) / (1 - alpha)  # = 1.7436 for 0.45, 3
    std = n.double().std().item()
    assert abs(n.double().mean().item() - mean) <= Z * std / N**0.5


@pytest.mark.parametrize("gamma", [1, 3])
def test_two_token_sequences_follow_the_target(gamma, device):
    V = 4
    g = gen(device, 3)
    P = torch.softmax(torch.randn(V, V, device=device, generator=g) * 1.5, dim=-1)
    Q = torch.softmax(torch.randn(V, V, device=device, generator=g) * 1.5, dim=-1)
    first = torch.zeros(N, dtype=torch.long, device=device)
    tokens, calls = speculative_generate(P, Q, first, 2, gamma, generator=g)
    # Exact target law of (x1, x2) after token 0: P[0, x1] P[x1, x2].
    joint = (P[0][:, None] * P).flatten()  # (V * V,), cell x1 * V + x2
    assert_frequencies(tokens[:, 0] * V + tokens[:, 1], joint, V * V)
    assert ((calls >= 1) & (calls <= 2)).all()
    # Sanity check on the reference itself: it differs from the draft's law.
    draft_joint = (Q[0][:, None] * Q).flatten()
    assert (joint - draft_joint).abs().max() > 0.05


def test_three_tokens_across_round_boundaries(device):
    # gamma = 1 forces several rounds, so the "last token" hand-off between
    # rounds is exercised; compare all 64 cells of (x1, x2, x3).
    V = 4
    g = gen(device, 4)
    P = torch.softmax(torch.randn(V, V, device=device, generator=g), dim=-1)
    Q = torch.softmax(torch.randn(V, V, device=device, generator=g), dim=-1)
    first = torch.full((N,), 2, dtype=torch.long, device=device)
    tokens, _ = speculative_generate(P, Q, first, 3, gamma=1, generator=g)
    cells = list(itertools.product(range(V), repeat=3))
    joint = torch.stack([P[2, a] * P[a, b] * P[b, c] for a, b, c in cells])
    code = tokens[:, 0] * V * V + tokens[:, 1] * V + tokens[:, 2]
    assert_frequencies(code, joint, V**3)


def test_identical_models_accept_everything(device):
    P = torch.softmax(torch.randn(5, 5, device=device), dim=-1)
    first = torch.zeros(1000, dtype=torch.long, device=device)
    _, calls = speculative_generate(P, P, first, 7, gamma=2, generator=gen(device))
    assert (calls == 3).all()  # gamma + 1 = 3 tokens per pass: ceil(7 / 3)
