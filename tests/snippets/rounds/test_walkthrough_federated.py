import torch

from snippets.rounds.walkthrough_federated import (
    coordinate_median,
    fedavg,
    fedprox_penalty,
    local_train,
)

F64 = torch.float64


def make_clients(sizes, P=4, device=None, shift=0.0):
    """Least-squares data split over clients of the given sizes; with
    shift > 0 each client's true weights differ (non-IID)."""
    g = torch.Generator().manual_seed(0)
    w_true = torch.randn(P, generator=g, dtype=F64)
    out = []
    for n in sizes:
        X = torch.randn(n, P, generator=g, dtype=F64)
        w_k = w_true + shift * torch.randn(P, generator=g, dtype=F64)
        y = X @ w_k + 0.1 * torch.randn(n, generator=g, dtype=F64)
        out.append((X.to(device), y.to(device)))
    return out


def test_fedavg_of_client_means_is_the_global_mean(device):
    sizes = [5, 40, 13, 2]
    data = torch.randn(sum(sizes), 3, device=device, dtype=F64)
    parts = torch.split(data, sizes)
    means = torch.stack([p.mean(0) for p in parts])  # (K, 3)
    n = torch.tensor(sizes, device=device)
    torch.testing.assert_close(fedavg(means, n), data.mean(0), rtol=1e-12, atol=1e-12)
    # The unweighted mean of means is not the global mean.
    assert (means.mean(0) - data.mean(0)).abs().max().item() > 0.05


def test_one_local_step_is_one_centralised_gradient_step(device):
    sizes = [7, 30, 12]
    clients = make_clients(sizes, device=device, shift=1.0)  # non-IID
    w0 = torch.zeros(4, device=device, dtype=F64)
    lr = 0.1
    local = torch.stack([local_train(w0, X, y, 1, lr) for X, y in clients])
    w_fed = fedavg(local, torch.tensor(sizes, device=device))
    X = torch.cat([X for X, _ in clients])
    y = torch.cat([y for _, y in clients])
    w_central = w0 - lr * X.T @ (X @ w0 - y) / len(y)
    torch.testing.assert_close(w_fed, w_central, rtol=1e-12, atol=1e-12)
    # With many local steps on non-IID clients the two part ways.
    local = torch.stack([local_train(w0, X, y, 50, lr) for X, y in clients])
    w_fed50 = fedavg(local, torch.tensor(sizes, device=device))
    w_c = w0.clone()
    for _ in range(50):
        w_c = w_c - lr * X.T @ (X @ w_c - y) / len(y)
    assert (w_fed50 - w_c).norm().item() > 0.05


def test_prox_penalty_value_and_gradient(device):
    w = torch.tensor([1.0, -2.0, 0.5], device=device, dtype=F64, requires_grad=True)
    wg = torch.tensor([0.0, 1.0, 0.5], device=device, dtype=F64)
    pen = fedprox_penalty(w, wg, mu=0.1)
    pen.backward()
    assert abs(pen.item() - 0.05 * (1 + 9 + 0)) < 1e-15  # 0.5
    torch.testing.assert_close(w.grad, 0.1 * (w.detach() - wg), rtol=1e-15, atol=1e-15)


def test_fedprox_local_solution_is_pulled_to_the_global_model(device):
    # Many local steps converge to argmin f_k(w) + mu/2 ||w - w_g||^2,
    # which for least squares is (A + mu I)^-1 (b + mu w_g),
    # A = X^T X / n, b = X^T y / n.
    ((X, y),) = make_clients([50], device=device, shift=0.0)
    wg = torch.ones(4, device=device, dtype=F64)
    A, b = X.T @ X / len(y), X.T @ y / len(y)
    eye = torch.eye(4, device=device, dtype=F64)
    drift = []
    for mu in [0.0, 1.0, 10.0]:
        w = local_train(wg, X, y, steps=1000, lr=0.1, mu=mu)
        ref = torch.linalg.solve(A + mu * eye, b + mu * wg)
        torch.testing.assert_close(w, ref, rtol=1e-8, atol=1e-8)
        drift.append((w - wg).norm().item())
    assert drift[0] > drift[1] > drift[2]


def test_median_resists_one_poisoned_client(device):
    honest = torch.randn(9, 6, device=device, dtype=F64)  # 9 clients
    poison = torch.full((1, 6), 1e3, device=device, dtype=F64)
    updates = torch.cat([honest, poison])  # (10, 6)
    n = torch.ones(10, device=device)
    mean_shift = (fedavg(updates, n) - honest.mean(0)).abs().min().item()
    assert mean_shift > 90.0  # 1000/10 minus the honest mean's wiggle
    med = coordinate_median(updates)
    lo, hi = honest.min(0).values, honest.max(0).values
    assert ((med >= lo) & (med <= hi)).all()
    # ...and it barely moved from the honest median (at most one rank).
    sorted_h = honest.sort(0).values
    assert ((med >= sorted_h[4]) & (med <= sorted_h[5])).all()
