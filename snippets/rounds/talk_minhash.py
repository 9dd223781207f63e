"""MinHash and LSH banding: near-duplicate detection for data curation.

For a random hash h, P[min h(A) = min h(B)] = |A n B| / |A u B|, the
Jaccard similarity J. k hashes give k such coin flips: the fraction that
agree estimates J with standard error sqrt(J (1 - J) / k). Banding the
k values into b bands of r rows finds similar pairs without comparing
all pairs: a pair shares at least one band with probability
1 - (1 - s^r)^b.
"""

import zlib
from collections import defaultdict

import torch

PRIME = 2**31 - 1  # a < p and x < p keep a * x + b inside int64


# --8<-- [start:minhash]
def shingles(text, n=5):
    """The set of word n-grams of `text`, each hashed to a 32-bit int."""
    words = text.split()
    grams = {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}
    return {zlib.crc32(g.encode()) for g in grams}


def jaccard(a, b):
    """Exact |A n B| / |A u B| of two sets."""
    return len(a & b) / len(a | b)


def make_hashes(k, generator=None, device=None):
    """k random hashes h(x) = (a x + b) mod p: a, b of shape (k, 1)."""
    a = torch.randint(1, PRIME, (k, 1), generator=generator)
    b = torch.randint(0, PRIME, (k, 1), generator=generator)
    return a.to(device), b.to(device)


def signature(shingle_set, hashes):
    """MinHash signature (k,): the minimum of each hash over the set."""
    a, b = hashes
    x = torch.tensor(sorted(shingle_set), device=a.device) % PRIME  # (S,)
    return ((a * x + b) % PRIME).amin(dim=1)  # (k, S) -> (k,)


def estimate_jaccard(sig_a, sig_b):
    """Fraction of the k hashes whose minima agree: (..., k) -> (...)."""
    return (sig_a == sig_b).float().mean(-1)


# --8<-- [end:minhash]


# --8<-- [start:lsh]
def candidate_probability(s, rows, bands):
    """P[a pair of similarity s shares at least one of the bands]."""
    return 1 - (1 - s**rows) ** bands


def lsh_threshold(rows, bands):
    """Similarity where the S-curve is steepest, about (1/b)^(1/r)."""
    return (1 / bands) ** (1 / rows)


def candidate_pairs(signatures, rows, bands):
    """Pairs (i, j), i < j, that agree on every row of at least one band.

    signatures: (N, k) with k = rows * bands. Each band's rows become a
    bucket key; only documents that share a bucket are ever compared.
    """
    n, k = signatures.shape
    assert k == rows * bands
    keys = signatures.view(n, bands, rows).tolist()  # N x b x r
    pairs = set()
    for band in range(bands):
        buckets = defaultdict(list)
        for doc in range(n):
            buckets[tuple(keys[doc][band])].append(doc)
        for docs in buckets.values():
            pairs.update(
                (i, j) for x, i in enumerate(docs) for j in docs[x + 1 :]
            )
    return pairs


# --8<-- [end:lsh]
