import itertools
import math

import torch

from snippets.topics.ml.kmeans import kmeans, kmeans_plus_plus

TRUE_CENTRES = [[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]]


def blobs(device, n_per=100, std=0.1):
    centres = torch.tensor(TRUE_CENTRES, dtype=torch.float64, device=device)
    labels = torch.arange(3, device=device).repeat_interleave(n_per)
    X = centres[labels] + std * torch.randn(3 * n_per, 2, dtype=torch.float64, device=device)
    return X, labels, centres


def test_inertia_never_increases(device):
    # Overlapping blobs and k = 5, so Lloyd needs many iterations.
    X = torch.randn(400, 2, dtype=torch.float64, device=device)
    X[:200] += 1.5
    _, _, history = kmeans(X, 5)
    assert len(history) >= 5
    for before, after in itertools.pairwise(history):
        assert after <= before * (1 + 1e-12)
    assert history[-1] < history[0]


def test_recovers_well_separated_blobs(device):
    X, true_labels, true_centres = blobs(device)
    centres, labels, _ = kmeans(X, 3)
    # Match every found centre to its nearest true centre: a permutation.
    perm = torch.cdist(centres, true_centres).argmin(dim=1)
    assert sorted(perm.tolist()) == [0, 1, 2]
    # Each centre is a mean of 100 points with std 0.1: standard error 0.01
    # per coordinate, so 0.05 is 5 standard errors.
    torch.testing.assert_close(centres, true_centres[perm], atol=0.05, rtol=0)
    assert torch.equal(perm[labels], true_labels)


def test_k_equal_one_gives_the_mean(device):
    X = torch.randn(50, 3, dtype=torch.float64, device=device)
    centres, labels, history = kmeans(X, 1)
    torch.testing.assert_close(centres[0], X.mean(0), atol=1e-12, rtol=0)
    assert labels.eq(0).all()
    total = (X - X.mean(0)).square().sum().item()
    assert math.isclose(history[-1], total, rel_tol=1e-12)


def test_kmeans_plus_plus_sampling_probabilities(device):
    # Four points on a line. First centre uniform (1/4 each); given the
    # first centre c, the second is j with probability (x_j - c)² / S_c.
    x = torch.tensor([0.0, 1.0, 3.0, 6.0], dtype=torch.float64, device=device)
    X = x[:, None]
    d2 = (x[:, None] - x[None, :]).square()  # (first, second)
    expected = 0.25 * d2 / d2.sum(dim=1, keepdim=True)  # joint probability
    # By hand for first = 0: D² = (0, 1, 9, 36) / 46.
    torch.testing.assert_close(
        expected[0] * 4, torch.tensor([0, 1, 9, 36], dtype=torch.float64, device=device) / 46
    )
    n = 2000
    counts = torch.zeros(4, 4, dtype=torch.float64, device=device)
    for _ in range(n):
        c = kmeans_plus_plus(X, 2)[:, 0]
        i, j = (x == c[0]).nonzero().item(), (x == c[1]).nonzero().item()
        counts[i, j] += 1
    freq = counts / n
    # Each cell is a binomial proportion: allow 5 standard errors.
    se = (expected * (1 - expected) / n).sqrt()
    assert ((freq - expected).abs() <= 5 * se + 1e-12).all()
    # The first centre is uniform: marginal within 5 standard errors too.
    se_first = math.sqrt(0.25 * 0.75 / n)
    assert ((freq.sum(1) - 0.25).abs() <= 5 * se_first).all()
