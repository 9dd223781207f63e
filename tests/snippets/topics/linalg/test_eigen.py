import torch

from snippets.topics.linalg.eigen import power_iteration, top_eigenpairs

F64 = torch.float64


def psd_with_eigenvalues(values, device):
    D = len(values)
    Q, _ = torch.linalg.qr(torch.randn(D, D, dtype=F64, device=device))
    lam = torch.tensor(values, dtype=F64, device=device)
    return (Q * lam) @ Q.T, Q, lam


def tan_angle(v, q):
    # ‖v − (v·q)q‖ / |v·q|, not √(1 − cos²)/cos, which rounds to 0 early.
    c = v @ q
    return (v - c * q).norm() / c.abs()


def test_top_eigenpair_matches_eigh(device):
    X = torch.randn(40, 6, dtype=F64, device=device)
    A = X.T @ X  # random PSD
    lam, v, _ = power_iteration(A, steps=500)
    evals, evecs = torch.linalg.eigh(A)  # ascending
    torch.testing.assert_close(lam, evals[-1], atol=0, rtol=1e-10)
    torch.testing.assert_close(
        (v @ evecs[:, -1]).abs(), torch.tensor(1.0, dtype=F64, device=device)
    )


def test_error_shrinks_exactly_by_ratio_in_two_dimensions(device):
    # A start vector in span(q1, q2) stays there, so
    # tan θ_k = (λ2/λ1)^k tan θ_0 holds exactly (up to rounding).
    A, Q, _ = psd_with_eigenvalues([5.0, 4.0, 1.0, 0.5], device)
    v0 = 0.3 * Q[:, 0] + 0.8 * Q[:, 1]
    _, _, it = power_iteration(A, steps=30, v0=v0)
    t = torch.stack([tan_angle(v, Q[:, 0]) for v in it])
    k = torch.arange(31, dtype=F64, device=device)
    torch.testing.assert_close(t, (0.8 / 0.3) * 0.8**k, rtol=1e-9, atol=0)


def test_rate_is_bounded_by_ratio_and_eigenvalue_error_squares_it(device):
    A, Q, lam = psd_with_eigenvalues([5.0, 3.0, 2.0, 1.0, 0.2], device)
    v0 = torch.randn(5, dtype=F64, device=device)
    _, _, it = power_iteration(A, steps=40, v0=v0)
    rho = 3.0 / 5.0
    t = torch.stack([tan_angle(v, Q[:, 0]) for v in it])
    k = torch.arange(41, dtype=F64, device=device)
    assert (t <= t[0] * rho**k * (1 + 1e-9)).all()
    # Late on, the second eigenvector dominates the error: the ratio of
    # successive tangents tends to λ2/λ1.
    torch.testing.assert_close(
        t[40] / t[39], torch.tensor(rho, dtype=F64, device=device), rtol=1e-3, atol=0
    )
    # The Rayleigh quotient's error λ1 − vᵀAv is ≤ (λ1 − λmin) tan² θ,
    # so it converges twice as fast, like ρ^(2k).
    rq = torch.stack([v @ A @ v for v in it])
    assert ((lam[0] - rq) <= (lam[0] - lam[-1]) * t.square() * (1 + 1e-9) + 1e-14).all()
    assert (lam[0] - rq[20]).item() < 1e-7  # 0.6^40 ≈ 1.3e-9 times a constant


def test_deflation_recovers_all_pairs_and_reconstructs(device):
    A, _, _ = psd_with_eigenvalues([10.0, 6.0, 3.0, 1.5, 0.5], device)
    values, Q = top_eigenpairs(A, k=5, steps=300)
    evals, evecs = torch.linalg.eigh(A)
    torch.testing.assert_close(values, evals.flip(0), atol=1e-10, rtol=0)
    cos = (Q * evecs.flip(1)).sum(0).abs()
    torch.testing.assert_close(cos, torch.ones(5, dtype=F64, device=device), atol=1e-10, rtol=0)
    torch.testing.assert_close(Q.T @ Q, torch.eye(5, dtype=F64, device=device), atol=1e-10, rtol=0)
    # Spectral theorem: A = Q Λ Qᵀ.
    torch.testing.assert_close((Q * values) @ Q.T, A, atol=1e-10, rtol=0)


def test_hand_worked_2x2(device):
    # [[2, 1], [1, 2]] has eigenpairs 3 ↔ (1, 1)/√2 and 1 ↔ (1, −1)/√2.
    A = torch.tensor([[2.0, 1.0], [1.0, 2.0]], dtype=F64, device=device)
    lam, v, _ = power_iteration(A, steps=60, v0=torch.tensor([1.0, 0.0], dtype=F64, device=device))
    torch.testing.assert_close(lam, torch.tensor(3.0, dtype=F64, device=device))
    r = 2**-0.5
    torch.testing.assert_close(v, torch.tensor([r, r], dtype=F64, device=device))
