import torch
from torch import nn

from snippets.topics.ml.transfer_learning import fit, freeze, linear_probe, make_encoder

D, K = 30, 4


def tasks(device):
    # Source and target share the representation z = tanh(P x) (K = 4 dims);
    # the source has 1 000 examples of 10 outputs, the target 20 of one.
    P = 2 * torch.randn(K, D, device=device) / D**0.5
    rep = lambda X: torch.tanh(X @ P.T)  # noqa: E731
    Xs = torch.randn(1000, D, device=device)
    Ys = rep(Xs) @ torch.randn(K, 10, device=device)
    b = torch.randn(K, 1, device=device)
    Xt = torch.randn(20, D, device=device)
    yt = rep(Xt) @ b + 0.05 * torch.randn(20, 1, device=device)
    Xte = torch.randn(2000, D, device=device)
    return Xs, Ys, Xt, yt, Xte, rep(Xte) @ b


def ridge_predict(X, y, X_new, lam=1e-3):
    Phi = nn.functional.pad(X, (0, 1), value=1.0)
    eye = torch.eye(Phi.size(1), device=X.device)
    w = torch.linalg.solve(Phi.T @ Phi + lam * eye, Phi.T @ y)
    return nn.functional.pad(X_new, (0, 1), value=1.0) @ w


def test_pretrained_features_beat_training_from_scratch(device):
    Xs, Ys, Xt, yt, Xte, yte = tasks(device)
    enc, head = make_encoder(D, 32, 8, device=device), nn.Linear(8, 10, device=device)
    params = [*enc.parameters(), *head.parameters()]
    fit([enc, head], params, Xs, Ys, steps=300, lr=1e-2)
    probe = linear_probe(freeze(enc), Xt, yt)
    mse_probe = (probe(Xte) - yte).square().mean().item()
    # From scratch on the 20 target examples: ridge on the raw 30-D input
    # (fewer examples than dimensions) explains little of the variance.
    mse_scratch = (ridge_predict(Xt, yt, Xte) - yte).square().mean().item()
    # Observed 0.025 versus 0.47 (target variance 0.67): 18× better.
    assert mse_probe < 0.25 * mse_scratch, (mse_probe, mse_scratch)
    assert mse_probe < 0.1 * yte.var().item()


def test_frozen_encoder_does_not_move_while_a_new_head_trains(device):
    enc = freeze(make_encoder(D, 16, 4, device=device))
    before = [p.clone() for p in enc.parameters()]
    head = nn.Linear(4, 1, device=device)
    head_before = head.weight.clone()
    X, y = torch.randn(64, D, device=device), torch.randn(64, 1, device=device)
    fit([enc, head], list(head.parameters()), X, y, steps=20, lr=1e-2)
    assert all(not p.requires_grad for p in enc.parameters())
    for a, b in zip(before, enc.parameters(), strict=True):
        assert torch.equal(a, b)
    assert not torch.equal(head_before, head.weight)


def test_linear_probe_is_ridge_on_the_features(device):
    enc = freeze(make_encoder(D, 16, 4, device=device))
    X, y = torch.randn(50, D, device=device), torch.randn(50, 1, device=device)
    Xn = torch.randn(7, D, device=device)
    with torch.no_grad():
        expected = ridge_predict(enc(X), y, enc(Xn), lam=0.1)
    torch.testing.assert_close(linear_probe(enc, X, y, lam=0.1)(Xn), expected)
