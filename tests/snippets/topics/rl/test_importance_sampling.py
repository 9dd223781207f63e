import torch

from snippets.topics.rl.importance_sampling import importance_sampling, trajectory_is

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
    # Per-sample variance: E_b[w² r²] − v² = Σ π_t² μ / π_b − v² ≈ 1.568.
    theory = ((pt**2 / pb) * mu).sum().item() - true**2
    per_sample = (pt[a] / pb[a] * r).var().item()
    assert abs(per_sample - theory) < 0.05 * theory  # 1e5 samples: ~1% noise
    # Weighted IS has lower spread across runs (it is biased only by O(1/N)).
    assert ests[:, 1].std() < ordinary.std()
    # Its O(1/N) bias is far below 0.02 at N = 250 (observed ≤ 0.003).
    assert abs(ests[:, 1].mean().item() - true) < 0.02


def test_trajectory_weights_have_mean_one_and_exponential_variance(device):
    # π_b uniform over 2 actions, π_t = (0.7, 0.3): E_b[ρ²] per step is
    # Σ π_t² / π_b = 0.98 + 0.18 = 1.16, so Var ρ_{0:t} = 1.16^(t+1) − 1.
    pb = torch.tensor([0.5, 0.5], dtype=torch.float64, device=device)
    pt = torch.tensor([0.7, 0.3], dtype=torch.float64, device=device)
    N, T = 200_000, 8
    a = (torch.rand(N, T, device=device) < 0.5).long()  # uniform actions
    r = torch.zeros(N, T, dtype=torch.float64, device=device)
    _, _, rho = trajectory_is(a, r, pt, pb)
    t = torch.arange(1, T + 1, dtype=torch.float64, device=device)
    theory = 1.16**t - 1  # 0.16 ... 2.28 at T = 8
    # SE of the mean is sqrt(Var/N) <= 0.0034; of the variance about
    # sqrt(E_b[ρ⁴]/N) with E_b[ρ⁴] = 1.9856^8 ≈ 241: 0.035. 5 SE each.
    torch.testing.assert_close(rho.mean(0), torch.ones_like(t), atol=0.017, rtol=0)
    torch.testing.assert_close(rho.var(0), theory, atol=0.18, rtol=0)


def test_per_decision_is_unbiased_with_less_variance(device):
    mu = torch.tensor(MU, dtype=torch.float64, device=device)
    pt = torch.tensor([0.1, 0.2, 0.7], dtype=torch.float64, device=device)
    pb = torch.tensor([0.5, 0.3, 0.2], dtype=torch.float64, device=device)
    N, T, gamma = 100_000, 5, 0.9
    a = torch.multinomial(pb, N * T, replacement=True).view(N, T)
    r = torch.bernoulli(mu[a])
    traj, pd, _ = trajectory_is(a, r, pt, pb, gamma)
    true = (pt @ mu).item() * sum(gamma**k for k in range(T))  # 0.68·4.0951
    for est in (traj, pd):  # both unbiased: within 5 standard errors
        assert abs(est.mean().item() - true) < 5 * est.std().item() / N**0.5
    # Per-trajectory weights multiply five ratios (E_b[ρ²] = 2.60 per step,
    # 2.60^5 ≈ 119 for the product); per-decision weights on early rewards
    # are short products. Observed variances ≈ 1230 and 127.
    assert pd.var() * 5 < traj.var()
