import torch

from snippets.topics.ml.regularization import lasso, ridge, soft_threshold

F64 = torch.float64


def orthonormal_design(N, D, device):
    # Columns with XᵀX / N = I, so both penalties act coordinate-wise.
    Q, _ = torch.linalg.qr(torch.randn(N, D, dtype=F64, device=device))
    return Q * N**0.5


def test_soft_threshold_by_hand(device):
    z = torch.tensor([-3.0, -0.5, 0.0, 0.2, 2.0], dtype=F64, device=device)
    expected = torch.tensor([-2.0, 0.0, 0.0, 0.0, 1.0], dtype=F64, device=device)
    torch.testing.assert_close(soft_threshold(z, 1.0), expected, rtol=0, atol=0)


def test_orthonormal_closed_forms(device):
    N, D, lam = 50, 6, 0.3
    X = orthonormal_design(N, D, device)
    w_true = torch.tensor([2.0, -1.0, 0.25, -0.1, 0.0, 0.5], dtype=F64, device=device)
    y = X @ w_true + 0.05 * torch.randn(N, dtype=F64, device=device)
    ols = X.T @ y / N
    # Ridge divides every OLS coefficient by 1 + λ; never exactly zero.
    torch.testing.assert_close(ridge(X, y, lam), ols / (1 + lam), rtol=1e-12, atol=1e-12)
    # Lasso soft-thresholds every OLS coefficient at λ.
    w = lasso(X, y, lam, steps=5)
    torch.testing.assert_close(w, soft_threshold(ols, lam), rtol=1e-12, atol=1e-12)
    assert (w == 0).sum().item() == 3  # the coefficients with |OLS| < 0.3


def test_lasso_kkt_and_sparsity(device):
    N, D, lam = 80, 20, 0.1
    X = torch.randn(N, D, dtype=F64, device=device)
    w_true = torch.zeros(D, dtype=F64, device=device)
    w_true[:3] = torch.tensor([3.0, -2.0, 1.5], dtype=F64, device=device)
    y = X @ w_true + 0.5 * torch.randn(N, dtype=F64, device=device)
    w = lasso(X, y, lam, steps=500)
    c = X.T @ (y - X @ w) / N  # correlation of each column with the residual
    active = w != 0
    # KKT: c_j = λ sign(w_j) on the support, |c_j| ≤ λ off it.
    torch.testing.assert_close(c[active], lam * w[active].sign(), rtol=0, atol=1e-8)
    assert (c[~active].abs() <= lam + 1e-8).all()
    assert active[:3].all() and active.sum().item() < D // 2
    # Ridge with any λ keeps every coefficient non-zero.
    assert (ridge(X, y, lam) != 0).all()
