import itertools
import math

import pytest
import torch

from snippets.topics.llm.decoding import (
    apply_temperature,
    beam_search,
    greedy,
    sample,
    top_k_filter,
    top_p_filter,
)

# A bigram "model": row = last token, column = next token. Token 0 is BOS.
# Greedy is myopic on it: BOS -> 1 (0.5) looks best, but every continuation
# of 1 is weak (at most 0.4), while BOS -> 2 (0.4) -> 1 (0.9) has 0.36.
MYOPIC = [
    [0.0, 0.5, 0.4, 0.1],
    [0.0, 0.4, 0.3, 0.3],
    [0.0, 0.9, 0.05, 0.05],
    [0.0, 0.2, 0.2, 0.6],
]


def bigram(probs, device):
    log_table = torch.tensor(probs, device=device).log()  # log 0 = -inf

    def next_logits(seqs):  # (N, t) -> (N, V)
        return log_table[seqs[:, -1]]

    return next_logits


def tensor(values, device):
    return torch.tensor(values, dtype=torch.float32, device=device)


def test_greedy_follows_the_argmax_path(device):
    model = bigram(MYOPIC, device)
    seq, score = greedy(model, torch.tensor([0], device=device), steps=2)
    assert seq.tolist() == [0, 1, 1]
    torch.testing.assert_close(score, tensor(math.log(0.5 * 0.4), device))


def test_beam_width_two_beats_myopic_greedy(device):
    model = bigram(MYOPIC, device)
    bos = torch.tensor([0], device=device)
    seq, score = beam_search(model, bos, steps=2, beam_width=2)
    assert seq.tolist() == [0, 2, 1]
    torch.testing.assert_close(score, tensor(math.log(0.4 * 0.9), device))
    assert score > greedy(model, bos, steps=2)[1]


def test_beam_width_one_is_greedy(device):
    logits = torch.randn(5, 5, device=device)  # a random bigram model

    def model(seqs):
        return logits[seqs[:, -1]]

    prefix = torch.tensor([3, 0], device=device)
    seq_b, score_b = beam_search(model, prefix, steps=6, beam_width=1)
    seq_g, score_g = greedy(model, prefix, steps=6)
    assert seq_b.tolist() == seq_g.tolist()
    torch.testing.assert_close(score_b, score_g)


def test_wide_enough_beam_is_exhaustive_search(device):
    # With V^(steps-1) beams nothing is ever pruned before the last step.
    V, steps = 4, 3
    logits = torch.randn(V, V, device=device)
    logp = torch.log_softmax(logits, dim=-1)
    best = max(
        itertools.product(range(V), repeat=steps),
        key=lambda s: logp[0, s[0]] + logp[s[0], s[1]] + logp[s[1], s[2]],
    )
    seq, score = beam_search(
        lambda seqs: logits[seqs[:, -1]],
        torch.tensor([0], device=device),
        steps,
        beam_width=V ** (steps - 1),
    )
    assert seq.tolist() == [0, *best]
    expected = logp[0, best[0]] + logp[best[0], best[1]] + logp[best[1], best[2]]
    torch.testing.assert_close(score, expected)


def entropy(probs):
    return -(probs * probs.log()).sum(-1)


def test_temperature_exact_values(device):
    # logits = log(1, 2, 4): softmax(logits / T) is proportional to (1, 2, 4)^(1/T).
    logits = tensor([1.0, 2.0, 4.0], device).log()
    torch.testing.assert_close(apply_temperature(logits, 1.0), tensor([1, 2, 4], device) / 7)
    r2 = math.sqrt(2)
    torch.testing.assert_close(
        apply_temperature(logits, 2.0), tensor([1, r2, 2], device) / (3 + r2)
    )
    torch.testing.assert_close(apply_temperature(logits, 0.5), tensor([1, 4, 16], device) / 21)
    # T = 0.05: weights (1, 2^20, 2^40), so the top token has 1 / (1 + 2^-20 + 2^-40).
    cold = apply_temperature(logits, 0.05)
    torch.testing.assert_close(cold[2], tensor(1 / (1 + 2**-20 + 2**-40), device))
    assert cold.argmax().item() == 2


def test_higher_temperature_raises_entropy(device):
    logits = tensor([1.0, 2.0, 4.0], device).log()
    temps = [0.05, 0.5, 1.0, 2.0, 10.0]
    H = torch.stack([entropy(apply_temperature(logits, t)) for t in temps])
    assert (H.diff() > 0).all()
    # Exact value at T = 1: H(1/7, 2/7, 4/7) = log 7 - (2 log 2 + 4 log 4) / 7.
    torch.testing.assert_close(H[2], tensor(math.log(7) - 10 * math.log(2) / 7, device))
    assert H[-1] < math.log(3)  # the uniform bound, approached as T grows


def test_top_k_keeps_exactly_k_and_renormalises(device):
    logits = tensor([0.1, 0.4, 0.2, 0.3], device).log()
    probs = torch.softmax(top_k_filter(logits, 2), dim=-1)
    torch.testing.assert_close(probs, tensor([0, 4 / 7, 0, 3 / 7], device))
    # A tie at the boundary: exactly k survive, the lower id wins.
    tied = tensor([1.0, 2.0, 2.0, 0.0], device)
    assert torch.isfinite(top_k_filter(tied, 1)).tolist() == [False, True, False, False]
    assert torch.isfinite(top_k_filter(tied, 2)).tolist() == [False, True, True, False]
    assert torch.equal(top_k_filter(logits, 4), logits)


@pytest.mark.parametrize(
    ("p", "kept"),
    [(0.3, [1]), (0.6, [1, 3]), (0.85, [1, 3, 2]), (0.95, [1, 3, 2, 0])],
)
def test_top_p_keeps_the_smallest_set_with_mass_at_least_p(p, kept, device):
    probs = [0.1, 0.4, 0.2, 0.3]  # sorted: 0.4 (id 1), 0.3 (3), 0.2 (2), 0.1 (0)
    logits = tensor(probs, device).log()
    filtered = torch.softmax(top_p_filter(logits, p), dim=-1)
    mass = sum(probs[i] for i in kept)
    expected = tensor([probs[i] / mass if i in kept else 0.0 for i in range(4)], device)
    torch.testing.assert_close(filtered, expected)


def test_top_p_boundary_and_tie(device):
    # Uniform over 4 tokens: cumulative masses 0.25, 0.5, 0.75, 1 are exact in
    # float. With p = 0.5 two tokens reach the mass exactly, so the third is
    # not needed; the four-way tie is broken by the lower id.
    logits = torch.zeros(4, device=device)
    assert torch.isfinite(top_p_filter(logits, 0.5)).tolist() == [True, True, False, False]
    assert torch.isfinite(top_p_filter(logits, 0.5001)).sum().item() == 3
    assert torch.isfinite(top_p_filter(logits, 0.4999)).sum().item() == 2
    assert torch.isfinite(top_p_filter(logits, 1e-9)).sum().item() == 1


def test_top_p_set_is_minimal_on_random_distributions(device):
    logits = torch.randn(64, 10, device=device) * 2
    probs = torch.softmax(logits, dim=-1)
    for p in (0.5, 0.9):
        keep = torch.isfinite(top_p_filter(logits, p))  # (64, 10)
        mass = (probs * keep).sum(-1)
        smallest_kept = probs.masked_fill(~keep, 2.0).amin(-1)
        assert (mass >= p).all()
        assert (mass - smallest_kept < p).all()  # dropping any kept token fails
        # Every kept token is at least as likely as every dropped one.
        largest_dropped = probs.masked_fill(keep, -1.0).amax(-1)
        assert (smallest_kept >= largest_dropped).all()


def test_sampled_frequencies_match_the_filtered_distribution(device):
    base = [0.05, 0.3, 0.1, 0.25, 0.2, 0.1]
    logits = tensor(base, device).log()[None, :]  # (1, V)
    # By hand: T = 0.8 makes the weights base^1.25; top-4 keeps ids 1, 3, 4
    # and 2 (2 and 5 tie at 0.1; the lower id wins); renormalised, their
    # cumulative masses are 0.377, 0.677, 0.904, so top-p 0.8 keeps 1, 3, 4.
    w = {i: base[i] ** 1.25 for i in (1, 3, 4)}
    expected = tensor([w.get(i, 0.0) / sum(w.values()) for i in range(6)], device)
    N = 200_000
    g = torch.Generator(device=device).manual_seed(1234)
    draws = sample(logits, temperature=0.8, top_k=4, top_p=0.8, n=N, generator=g)
    freq = torch.bincount(draws[0], minlength=6).double() / N
    # Binomial standard error per token; 5 SE makes a false alarm < 1e-5.
    se = (expected * (1 - expected) / N).sqrt().double()
    err = (freq - expected.double()).abs()
    assert (err <= 5 * se).all(), (err / se.clamp_min(1e-12)).max()
    assert freq[[0, 2, 5]].sum() == 0  # filtered tokens never appear


def test_sampling_is_reproducible_and_temperature_zero_is_greedy(device):
    logits = torch.randn(3, 7, device=device)
    a = sample(logits, n=20, generator=torch.Generator(device=device).manual_seed(7))
    b = sample(logits, n=20, generator=torch.Generator(device=device).manual_seed(7))
    assert torch.equal(a, b)
    zero = sample(logits, temperature=0, n=5)
    assert torch.equal(zero, logits.argmax(-1, keepdim=True).expand(-1, 5))
