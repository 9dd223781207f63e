import pytest
import torch

from snippets.topics.linalg.least_squares import ill_conditioned
from snippets.topics.linalg.singular_matrices import condition_number, regularised_solve

F64 = torch.float64


def test_condition_number_matches_torch_and_hand_case(device):
    A = torch.randn(7, 7, dtype=F64, device=device)
    torch.testing.assert_close(condition_number(A), torch.linalg.cond(A), atol=0, rtol=1e-10)
    D = torch.diag(torch.tensor([100.0, 1.0, 0.01], dtype=F64, device=device))
    torch.testing.assert_close(condition_number(D), torch.tensor(1e4, dtype=F64, device=device))
    # det says nothing about conditioning: 0.1·I in 100-D has det 1e-100, κ = 1.
    S = 0.1 * torch.eye(100, dtype=F64, device=device)
    assert condition_number(S).item() == 1.0 and torch.linalg.det(S).item() < 1e-99


def test_perturbation_bound_is_attained_in_the_worst_direction(device):
    # Ax = b with b along u₁ and a perturbation along u_N: the relative
    # change in x is exactly κ times the relative change in b.
    kappa = 1e6
    A = ill_conditioned(6, 6, kappa, device=device)
    U, _, _ = torch.linalg.svd(A)
    b, db = U[:, 0], 1e-8 * U[:, -1]
    x = torch.linalg.solve(A, b)
    dx = torch.linalg.solve(A, b + db) - x
    amplification = (dx.norm() / x.norm()) / (db.norm() / b.norm())
    torch.testing.assert_close(amplification, condition_number(A), atol=0, rtol=1e-4)
    # Random perturbations never exceed the bound.
    for _ in range(20):
        db = 1e-8 * torch.randn(6, dtype=F64, device=device)
        b = torch.randn(6, dtype=F64, device=device)
        x = torch.linalg.solve(A, b)
        dx = torch.linalg.solve(A, b + db) - x
        assert (dx.norm() / x.norm()) <= kappa * (db.norm() / b.norm()) * (1 + 1e-6)


def test_regularised_solve_matches_ridge_normal_equations(device):
    A = torch.randn(10, 4, dtype=F64, device=device)
    b = torch.randn(10, dtype=F64, device=device)
    lam = 0.3
    ref = torch.linalg.solve(A.T @ A + lam * torch.eye(4, dtype=F64, device=device), A.T @ b)
    torch.testing.assert_close(regularised_solve(A, b, lam), ref, atol=1e-12, rtol=0)
    # λ → 0 recovers least squares on a full-rank A.
    ls = torch.linalg.lstsq(A.cpu(), b.cpu()[:, None]).solution.squeeze(-1).to(device)
    torch.testing.assert_close(regularised_solve(A, b, 1e-14), ls, atol=1e-10, rtol=0)


def test_singular_system_plain_solve_fails_regularised_is_min_norm(device):
    A = torch.tensor([[1.0, 1.0], [1.0, 1.0]], dtype=F64, device=device)
    b = torch.tensor([2.0, 2.0], dtype=F64, device=device)
    if device.type == "cpu":  # CUDA's solver does not check for singularity
        with pytest.raises(RuntimeError):
            torch.linalg.solve(A, b)
    # Tiny λ gives the minimum-norm solution (1, 1); closed form
    # x = σ/(σ²+λ)·(u·b) v with σ = 2, u·b = 2√2, v = (1, 1)/√2.
    lam = 1e-3
    expected = 2 * 2 / (4 + lam) * torch.ones(2, dtype=F64, device=device)
    torch.testing.assert_close(regularised_solve(A, b, lam), expected, atol=1e-14, rtol=0)
    torch.testing.assert_close(regularised_solve(A, b, 1e-12), torch.linalg.pinv(A) @ b)


def test_near_singular_noise_is_tamed_by_regularisation(device):
    # κ = 1e8 and noise 1e-6 in b; the truth lies along the three best-
    # determined directions (σ ≥ 5e-3). The plain solve amplifies the noise
    # by up to 1/σ_min = 1e8; ridge with λ = 1e-8 by at most 1/(2√λ) = 5e3,
    # and biases those three components by λ/(σ² + λ) ≤ 4e-4. So ridge's
    # error is ≲ 1e-2 and the plain solve's ~10–100 (observed medians
    # 3e-3 and 3e1 over 10 draws).
    errs_plain, errs_ridge = [], []
    for _ in range(10):
        A = ill_conditioned(8, 8, 1e8, device=device)
        _, _, Vh = torch.linalg.svd(A)
        x = Vh[:3].T @ torch.randn(3, dtype=F64, device=device)
        b = A @ x + 1e-6 * torch.randn(8, dtype=F64, device=device)
        errs_plain.append((torch.linalg.solve(A, b) - x).norm().item())
        errs_ridge.append((regularised_solve(A, b, 1e-8) - x).norm().item())
    errs_plain.sort()
    errs_ridge.sort()
    assert errs_ridge[5] < 2e-2
    assert errs_ridge[5] < 1e-2 * errs_plain[5]
