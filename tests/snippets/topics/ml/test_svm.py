import math

import torch

from snippets.topics.ml.svm import fit_svm, svm_objective, svm_subgradient

F64 = torch.float64


def hand_example(device):
    # Hard-margin solution by hand: the closest pair is (0, 0) and (2, 2),
    # so w ∝ (1, 1); y(w·x + b) = 1 at both gives w = (½, ½), b = −1 and a
    # geometric margin 1/‖w‖ = √2 (half the distance 2√2 between them).
    # Every other point has y(w·x + b) ≥ 1.5.
    X = torch.tensor(
        [[0, 0], [2, 2], [3, 2], [2, 4], [4, 4], [-1, 0], [0, -2], [-1, -1]],
        dtype=F64,
        device=device,
    )
    y = torch.tensor([-1, 1, 1, 1, 1, -1, -1, -1], dtype=F64, device=device)
    return X, y


def test_subgradient_matches_autograd_where_differentiable(device):
    X = torch.randn(50, 4, dtype=F64, device=device)
    y = torch.randint(0, 2, (50,), device=device).to(F64) * 2 - 1
    w = torch.randn(4, dtype=F64, device=device, requires_grad=True)
    b = torch.tensor(0.3, dtype=F64, device=device, requires_grad=True)
    margins = y * (X @ w + b)
    # Away from the kink: no margin within 1e-6 of 1 (a.s. true here).
    assert ((margins - 1).abs() > 1e-6).all()
    assert ((margins < 1).sum() > 0) and ((margins > 1).sum() > 0)
    auto = torch.autograd.grad(svm_objective(X, y, w, b, 0.1), (w, b))
    ours = svm_subgradient(X, y, w.detach(), b.detach(), 0.1)
    for a, o in zip(auto, ours, strict=True):
        torch.testing.assert_close(o, a, atol=1e-12, rtol=0)


def test_recovers_the_max_margin_solution_by_hand(device):
    X, y = hand_example(device)
    # With N = 8 the hinge weight is C = 1/(λN); the hard-margin dual has
    # α = ¼ on both support vectors, so any λ ≤ 0.5 gives the same optimum.
    w, b = fit_svm(X, y, lam=0.3, steps=1000)
    expected_w = torch.tensor([0.5, 0.5], dtype=F64, device=device)
    torch.testing.assert_close(w, expected_w, atol=5e-3, rtol=0)
    assert abs(b.item() + 1) < 5e-3
    assert math.isclose(1 / w.norm().item(), math.sqrt(2), rel_tol=1e-2)
    margins = y * (X @ w + b)
    assert (margins > 0).all()  # separates
    support = (margins < 1.05).nonzero().flatten().tolist()
    assert support == [0, 1]  # exactly (0, 0) and (2, 2)
    # Objective at the hand solution: ½·0.3·½ = 0.075, and ours is close.
    assert svm_objective(X, y, w, b, 0.3).item() < 0.075 + 1e-3


def test_separates_seeded_separable_data(device):
    # Two Gaussian clouds 6 standard deviations apart: linearly separable.
    N = 100
    y = torch.arange(N, device=device).remainder(2).to(F64) * 2 - 1
    X = torch.randn(N, 2, dtype=F64, device=device) + 3.0 * y[:, None]
    w, b = fit_svm(X, y, lam=0.01, steps=1000)
    margins = y * (X @ w + b)
    assert (margins > 0).all()
    # Most points sit outside the margin; those inside are support vectors.
    assert (margins >= 1 - 1e-2).float().mean() > 0.9
