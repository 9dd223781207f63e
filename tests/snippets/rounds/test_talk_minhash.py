import math

import torch

from snippets.rounds.talk_minhash import (
    candidate_pairs,
    candidate_probability,
    estimate_jaccard,
    jaccard,
    lsh_threshold,
    make_hashes,
    shingles,
    signature,
)

VOCAB = [f"w{i}" for i in range(5000)]


def random_doc(n_words, gen):
    idx = torch.randint(0, len(VOCAB), (n_words,), generator=gen)
    return [VOCAB[i] for i in idx.tolist()]


def edit(words, frac, gen):
    """Replace a fraction of the words at random positions."""
    out = list(words)
    pos = torch.randperm(len(out), generator=gen)[: int(frac * len(out))]
    new = torch.randint(0, len(VOCAB), (len(pos),), generator=gen)
    for p, w in zip(pos.tolist(), new.tolist(), strict=True):
        out[p] = VOCAB[w]
    return out


def test_shingles_and_exact_jaccard_by_hand():
    a = shingles("a b c d e f", n=3)  # abc bcd cde def
    b = shingles("a b c d e g", n=3)  # abc bcd cde deg
    assert len(a) == len(b) == 4
    assert jaccard(a, b) == 3 / 5


def test_identical_and_disjoint_sets_are_exact(device):
    h = make_hashes(128, torch.Generator().manual_seed(1), device=device)
    a = set(range(1000, 1300))
    b = set(range(5000, 5300))
    # (a x + b) mod p is a bijection on residues: minima agree iff they
    # come from the same element, so these two cases have no noise.
    assert estimate_jaccard(signature(a, h), signature(a, h)).item() == 1.0
    assert estimate_jaccard(signature(a, h), signature(b, h)).item() == 0.0


def test_estimate_is_within_four_standard_errors(device):
    # Each estimate is a mean of k Bernoulli(J) flips: SE = sqrt(J(1-J)/k).
    # |z| > 4 has probability 6e-5 per trial, so 4 SE never fails by
    # chance over these 80 seeded trials; the mean of the 20 trials per
    # pair is held to 4 SE / sqrt(20), which also rules out a bias.
    g = torch.Generator().manual_seed(0)
    k, trials = 256, 20
    base = random_doc(400, g)
    for frac in (0.02, 0.05, 0.1, 0.2):  # J from about 0.84 to 0.21
        a = shingles(" ".join(base))
        b = shingles(" ".join(edit(base, frac, g)))
        j = jaccard(a, b)
        se = math.sqrt(j * (1 - j) / k)
        est = torch.tensor(
            [
                estimate_jaccard(signature(a, h), signature(b, h)).item()
                for h in (
                    make_hashes(k, torch.Generator().manual_seed(s), device) for s in range(trials)
                )
            ]
        )
        assert (est - j).abs().max() < 4 * se
        assert abs(est.mean() - j) < 4 * se / math.sqrt(trials)


def test_candidate_probability_by_hand():
    # r = 8, b = 32 (k = 256): 0.8^8 = 0.16777, 1 - 0.83223^32 = 0.99720.
    assert math.isclose(candidate_probability(0.8, 8, 32), 0.99720, abs_tol=1e-5)
    assert math.isclose(candidate_probability(0.3, 8, 32), 0.0020974, rel_tol=1e-4)
    assert math.isclose(lsh_threshold(8, 32), 0.64842, abs_tol=1e-5)
    assert candidate_probability(1.0, 8, 32) == 1.0
    assert candidate_probability(0.0, 8, 32) == 0.0


def test_banding_matches_the_s_curve(device):
    # Pairs whose k rows agree independently with probability s: the
    # fraction that becomes a candidate is Binomial(n, P)/n with P the
    # formula; 5 standard errors (at most 5 * 0.5 / sqrt(800) = 0.088).
    g = torch.Generator(device=device).manual_seed(0)
    rows, bands, n = 4, 8, 800
    for s in (0.4, 0.6, 0.8):
        sig_a = torch.randint(0, 2**31 - 1, (n, rows * bands), generator=g, device=device)
        agree = torch.rand(n, rows * bands, generator=g, device=device) < s
        sig_b = torch.where(agree, sig_a, sig_a + 1)  # +1: a different minimum
        pairs = candidate_pairs(torch.cat([sig_a, sig_b]), rows, bands)
        p = candidate_probability(s, rows, bands)
        found = sum((i, i + n) in pairs for i in range(n)) / n
        assert abs(found - p) < 5 * math.sqrt(p * (1 - p) / n)
        # Random 31-bit rows never collide across unrelated pairs.
        assert all(j == i + n for i, j in pairs)


def test_lsh_finds_near_duplicates_and_only_them(device):
    g = torch.Generator().manual_seed(2)
    h = make_hashes(256, torch.Generator().manual_seed(3), device=device)
    bases = [random_doc(300, g) for _ in range(6)]
    docs = bases + [edit(d, 0.02, g) for d in bases]  # J about 0.84
    docs += [edit(d, 0.25, g) for d in bases]  # J about 0.15
    sets = [shingles(" ".join(d)) for d in docs]
    sigs = torch.stack([signature(s, h) for s in sets])  # (18, 256)
    pairs = candidate_pairs(sigs, rows=8, bands=32)
    assert pairs == {(i, i + 6) for i in range(6)}
    assert all(jaccard(sets[i], sets[j]) > 0.8 for i, j in pairs)
    assert all(jaccard(sets[i], sets[i + 12]) < 0.3 for i in range(6))
