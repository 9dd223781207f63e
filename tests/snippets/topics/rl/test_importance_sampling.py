import torch

from snippets.topics.rl.importance_sampling import importance_sampling

MU = [0.2, 0.5, 0.8]  # Bernoulli reward probability of each arm


def test_hand_worked(device):
    pt = torch.tensor([0.5, 0.5, 0.0], device=device)
    pb = torch.tensor([0.25, 0.25, 0.5], device=device)
    a = torch.tensor([0, 1, 2, 2], device=device)
    r = torch.tensor([1.0, 0.0, 1.0, 1.0], device=device)
    ordinary, weighted = importance_sampling(a, r, pt, pb)
    # w = [2, 2, 0, 0]: ordinary = (2·1) / 4 = 0.5; weighted = 2 / 4 = 0.5.
    assert abs(ordinary.item() - 0.5) < 1e-6 and abs(weighted.item() - 0.5) < 1e-6
    # Two logged samples, w = [2, 2]: ordinary = (2·1 + 2·0)/2 = 1.0 (can
    # exceed any reward: weights do not sum to N); weighted = 2/4 = 0.5.
    a = torch.tensor([0, 1], device=device)
    r = torch.tensor([1.0, 0.0], device=device)
    ordinary, weighted = importance_sampling(a, r, pt, pb)
    assert abs(ordinary.item() - 1.0) < 1e-6 and abs(weighted.item() - 0.5) < 1e-6


def test_ordinary_is_unbiased_and_its_variance_matches_theory(device):
    mu = torch.tensor(MU, dtype=torch.float64, device=device)
    pt = torch.tensor([0.1, 0.2, 0.7], dtype=torch.float64, device=device)
    pb = torch.tensor([0.5, 0.3, 0.2], dtype=torch.float64, device=device)
    true = (pt * mu).sum().item()  # 0.68
    runs, N = 400, 250
    a = torch.multinomial(pb, runs * N, replacement=True).view(runs, N)
    r = torch.bernoulli(mu[a])
    ests = torch.stack([torch.stack(importance_sampling(a[i], r[i], pt, pb)) for i in range(runs)])
    ordinary = ests[:, 0]
    # Mean over 400 seeded runs within 5 standard errors of the truth.
    se = ordinary.std() / runs**0.5  # ≈ 0.08 / √400 ≈ 0.004
    assert abs(ordinary.mean().item() - true) < 5 * se
    # Per-sample variance: E_b[w² r²] − v² = Σ π_t² μ / π_b − v² ≈ 0.8627.
    theory = ((pt**2 / pb) * mu).sum().item() - true**2
    per_sample = (pt[a] / pb[a] * r).var().item()
    assert abs(per_sample - theory) < 0.05 * theory  # 1e5 samples: ~1% noise
    # Weighted IS has lower spread across runs (it is biased only by O(1/N)).
    assert ests[:, 1].std() < ordinary.std()
    # Its O(1/N) bias is far below 0.02 at N = 250 (observed ≤ 0.003).
    assert abs(ests[:, 1].mean().item() - true) < 0.02
