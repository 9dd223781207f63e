import pytest
import torch

from snippets.topics.linalg.psd import cholesky, is_psd

F64 = torch.float64


def spd(N, device):
    X = torch.randn(2 * N, N, dtype=F64, device=device)
    return X.T @ X / (2 * N)  # a sample covariance: SPD with probability 1


@pytest.mark.parametrize("N", [1, 4, 9])
def test_cholesky_matches_torch(N, device):
    A = spd(N, device)
    L = cholesky(A)
    torch.testing.assert_close(L, torch.linalg.cholesky(A), atol=1e-12, rtol=0)
    torch.testing.assert_close(L @ L.T, A, atol=1e-12, rtol=0)
    assert torch.equal(L, L.tril()) and (L.diagonal() > 0).all()


def test_cholesky_by_hand_and_rejects_indefinite(device):
    # [[4, 2], [2, 5]] = L Lᵀ with L = [[2, 0], [1, 2]].
    A = torch.tensor([[4.0, 2.0], [2.0, 5.0]], dtype=F64, device=device)
    expected = torch.tensor([[2.0, 0.0], [1.0, 2.0]], dtype=F64, device=device)
    torch.testing.assert_close(cholesky(A), expected, atol=0, rtol=0)
    # [[1, 2], [2, 1]] has eigenvalues 3 and −1: the second pivot is 1 − 4 < 0.
    B = torch.tensor([[1.0, 2.0], [2.0, 1.0]], dtype=F64, device=device)
    with pytest.raises(ValueError):
        cholesky(B)
    assert torch.linalg.cholesky_ex(B).info.item() == 2  # torch fails at pivot 2
    assert not is_psd(B)
    x = torch.tensor([1.0, -1.0], dtype=F64, device=device)
    assert (x @ B @ x).item() == -2.0  # the certificate: xᵀBx < 0


def test_covariance_is_psd_with_nonnegative_quadratic_form(device):
    # Rank-deficient covariance (N = 3 samples in 6-D): PSD but not PD.
    X = torch.randn(3, 6, dtype=F64, device=device)
    C = torch.cov(X.T)  # (6, 6), rank 2
    lam = torch.linalg.eigvalsh(C)
    assert lam.min().item() > -1e-12 and (lam > 1e-10).sum().item() == 2
    assert is_psd(C)
    Z = torch.randn(6, 1000, dtype=F64, device=device)
    q = (Z * (C @ Z)).sum(0)  # xᵀCx for 1000 random x
    assert q.min().item() > -1e-12
    # ... and xᵀCx is the variance of the projected data, ≥ 0 by definition.
    torch.testing.assert_close(q[:5], ((X - X.mean(0)) @ Z[:, :5]).var(0), atol=1e-12, rtol=1e-10)
    # Cholesky of the singular C fails; a small jitter fixes it.
    with pytest.raises(ValueError):
        cholesky(C)
    J = C + 1e-9 * torch.eye(6, dtype=F64, device=device)
    torch.testing.assert_close(cholesky(J), torch.linalg.cholesky(J), atol=1e-10, rtol=0)


def test_hessian_of_convex_loss_is_psd(device):
    # Logistic loss Σ log(1 + exp(−yᵢ xᵢ·w)) is convex: its Hessian
    # Xᵀ diag(p(1−p)) X is PSD at every w.
    X = torch.randn(20, 5, dtype=F64, device=device)
    y = torch.randint(0, 2, (20,), device=device).to(F64) * 2 - 1

    def loss(w):
        return torch.nn.functional.softplus(-y * (X @ w)).sum()

    for _ in range(3):
        w = torch.randn(5, dtype=F64, device=device)
        H = torch.autograd.functional.hessian(loss, w)
        p = torch.sigmoid(X @ w)
        torch.testing.assert_close(H, X.T @ (X * (p * (1 - p))[:, None]), atol=1e-12, rtol=0)
        assert is_psd(H)
    # A saddle, f = x² − y², has an indefinite Hessian diag(2, −2).
    H = torch.autograd.functional.hessian(
        lambda v: v[0] ** 2 - v[1] ** 2, torch.zeros(2, dtype=F64, device=device)
    )
    assert not is_psd(H)
