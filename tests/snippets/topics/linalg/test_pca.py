import torch

from snippets.topics.linalg.pca import pca, project, reconstruct

F64 = torch.float64


def correlated_data(device, N=200, D=5):
    # Distinct variances along random directions, plus an offset mean.
    scales = torch.tensor([3.0, 2.0, 1.0, 0.5, 0.1], dtype=F64, device=device)
    mix, _ = torch.linalg.qr(torch.randn(D, D, dtype=F64, device=device))
    return (torch.randn(N, D, dtype=F64, device=device) * scales) @ mix.T + 4.0


def test_components_are_covariance_eigenvectors(device):
    X = correlated_data(device)
    mean, comps, var, ratio = pca(X)
    cov = torch.cov(X.T)  # (D, D), divides by N − 1
    evals, evecs = torch.linalg.eigh(cov)  # ascending
    evals, evecs = evals.flip(0), evecs.flip(1)
    torch.testing.assert_close(var, evals, atol=1e-10, rtol=1e-10)
    # Up to sign: |⟨ours, eigh's⟩| = 1 for every pair.
    cos = (comps * evecs.T).sum(dim=1).abs()
    torch.testing.assert_close(cos, torch.ones(5, dtype=F64, device=device), atol=1e-10, rtol=0)
    torch.testing.assert_close(
        comps @ comps.T, torch.eye(5, dtype=F64, device=device), atol=1e-12, rtol=0
    )
    torch.testing.assert_close(ratio.sum(), torch.tensor(1.0, dtype=F64, device=device))
    torch.testing.assert_close(mean, X.mean(0))


def test_matches_torch_svd_and_sign_convention(device):
    X = correlated_data(device)
    _, comps, var, _ = pca(X)
    S = torch.linalg.svdvals(X - X.mean(0))
    torch.testing.assert_close(var, S.square() / (X.size(0) - 1), atol=1e-12, rtol=1e-12)
    # Largest-magnitude entry of each component is positive.
    big = comps.gather(1, comps.abs().argmax(1, keepdim=True))
    assert (big > 0).all()


def test_full_reconstruction_is_exact(device):
    X = correlated_data(device)
    mean, comps, _, _ = pca(X)
    X_hat = reconstruct(project(X, mean, comps), mean, comps)
    torch.testing.assert_close(X_hat, X, atol=1e-12, rtol=0)


def test_truncation_error_is_sum_of_discarded_eigenvalues(device):
    X = correlated_data(device)
    N = X.size(0)
    _, _, all_var, _ = pca(X)
    for k in range(6):
        mean, comps, var, ratio = pca(X, k)
        X_hat = reconstruct(project(X, mean, comps), mean, comps)
        err = (X - X_hat).square().sum() / (N - 1)
        torch.testing.assert_close(err, all_var[k:].sum(), atol=1e-10, rtol=1e-10)
        assert comps.shape == (k, 5) and var.shape == ratio.shape == (k,)


def test_low_rank_data_has_zero_trailing_variance(device):
    # Rank-2 data in 4-D: two nonzero variances, ratios summing to 1.
    X = torch.randn(50, 2, dtype=F64, device=device) @ torch.randn(2, 4, dtype=F64, device=device)
    _, _, var, ratio = pca(X)
    assert var[2:].abs().max().item() < 1e-12
    torch.testing.assert_close(ratio[:2].sum(), torch.tensor(1.0, dtype=F64, device=device))


def test_hand_worked_two_points(device):
    # Points (1, 1) and (-1, -1): one direction (1, 1)/√2 with variance
    # (2 + 2)/(2 − 1) = 4, the other with 0.
    X = torch.tensor([[1.0, 1.0], [-1.0, -1.0]], dtype=F64, device=device)
    _, comps, var, ratio = pca(X, k=1)
    r = 2**-0.5
    torch.testing.assert_close(comps[0], torch.tensor([r, r], dtype=F64, device=device))
    torch.testing.assert_close(var, torch.tensor([4.0], dtype=F64, device=device))
    torch.testing.assert_close(ratio, torch.tensor([1.0], dtype=F64, device=device))
