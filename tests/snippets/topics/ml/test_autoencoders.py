import math

import torch

from snippets.topics.linalg.pca import pca, project, reconstruct
from snippets.topics.ml.autoencoders import Autoencoder, train_autoencoder


def pca_mse(X, k):
    mean, comp, _, _ = pca(X, k)
    return (reconstruct(project(X, mean, comp), mean, comp) - X).square().mean().item(), comp


def test_linear_autoencoder_recovers_the_pca_subspace(device):
    N, D, k = 256, 8, 2
    Z = torch.randn(N, 3, device=device) * torch.tensor([3.0, 2.0, 0.5], device=device)
    A = torch.linalg.qr(torch.randn(D, 3, device=device))[0]  # orthonormal
    X = Z @ A.T + 0.1 * torch.randn(N, D, device=device) + 1.0
    best, comp = pca_mse(X, k)
    model = Autoencoder(D, k, device=device)
    mse = train_autoencoder(model, X, steps=300, lr=3e-2)
    # PCA is the optimal rank-k linear reconstruction (Eckart–Young), so
    # the autoencoder cannot beat it; 300 Adam steps get within 1%.
    assert best - 1e-6 <= mse < 1.01 * best, (mse, best)
    # The decoder's column space is the top-k principal subspace:
    # compare the orthogonal projectors (observed distance ≈ 1e-3).
    Q = torch.linalg.qr(model.decoder.weight.detach())[0]  # (D, k)
    gap = (Q @ Q.T - comp.T @ comp).norm().item()
    assert gap < 0.02, gap


def test_nonlinear_autoencoder_beats_pca_on_a_curved_manifold(device):
    # A circle in 8-D: one intrinsic coordinate (the angle), but no line
    # fits it; PCA with k = 1 keeps half the variance (MSE ≈ 0.5 / 8).
    N, D = 256, 8
    theta = torch.rand(N, device=device) * 2 * math.pi
    basis = torch.linalg.qr(torch.randn(D, 2, device=device))[0]
    X = torch.stack([theta.cos(), theta.sin()], 1) @ basis.T
    linear, _ = pca_mse(X, 1)
    assert abs(linear - 0.5 / D) < 0.01  # the circle's variance is ½ per axis
    model = Autoencoder(D, 1, hidden=32, device=device)
    mse = train_autoencoder(model, X, steps=300, lr=1e-2)
    assert mse < linear / 3, (mse, linear)  # observed ≈ 1/6


def test_denoising_objective_targets_the_clean_input(device):
    # With noise_std > 0 and a linear model with no bottleneck (k = D),
    # the minimiser of E‖W(x + ε) + b − x‖² shrinks towards the mean:
    # W = Σ(Σ + σ²I)⁻¹. On isotropic data with variance s², W = s²/(s²+σ²) I.
    N, D = 1024, 3
    X = 2.0 * torch.randn(N, D, device=device)
    X = X - X.mean(0)
    model = Autoencoder(D, D, device=device)
    train_autoencoder(model, X, steps=150, lr=3e-2, noise_std=1.0)
    W = model.decoder.weight @ model.encoder.weight  # end-to-end (D, D)
    cov = X.T @ X / N
    target = cov @ torch.linalg.inv(cov + torch.eye(D, device=device))
    # Fresh noise each step makes the optimum noisy: allow 0.05 (≈ 0.8 I).
    torch.testing.assert_close(W.detach(), target, rtol=0, atol=0.05)
