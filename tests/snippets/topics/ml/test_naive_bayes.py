import math

import torch

from snippets.topics.ml.naive_bayes import fit_gaussian_nb, log_posterior

F64 = torch.float64


def test_statistics_are_per_class_sample_statistics(device):
    X = torch.randn(60, 4, dtype=F64, device=device) * torch.tensor(
        [1.0, 2.0, 0.5, 3.0], dtype=F64, device=device
    )
    y = torch.randint(0, 3, (60,), device=device)
    log_prior, mean, var = fit_gaussian_nb(X, y, 3, eps=1e-9)
    for c in range(3):
        Xc = X[y == c]
        torch.testing.assert_close(mean[c], Xc.mean(0), atol=1e-12, rtol=0)
        # Maximum-likelihood variance (divide by n_c), plus eps.
        torch.testing.assert_close(var[c] - 1e-9, Xc.var(0, correction=0), atol=1e-12, rtol=0)
        assert math.isclose(log_prior[c].exp().item(), len(Xc) / 60, rel_tol=1e-12)


def test_log_posterior_by_hand(device):
    # Class 0: (0, 0), (2, 2): mean (1, 1), variance (1, 1), prior 1/3.
    # Class 1: (4, 1), (6, 1), (4, 3), (6, 3): mean (5, 2), var (1, 1), 2/3.
    # At x = (3, 1) the squared deviations sum to 4 (class 0) and 4 + 1
    # (class 1), so log p(x|c) = −log 2π − 2 and −log 2π − 2.5, and
    # p(0|x) = (1/3)e^{−2} / ((1/3)e^{−2} + (2/3)e^{−2.5}) = 1/(1 + 2e^{−½}).
    X = torch.tensor([[0, 0], [2, 2], [4, 1], [6, 1], [4, 3], [6, 3]], dtype=F64, device=device)
    y = torch.tensor([0, 0, 1, 1, 1, 1], device=device)
    params = fit_gaussian_nb(X, y, 2, eps=0.0)
    out = log_posterior(torch.tensor([[3.0, 1.0]], dtype=F64, device=device), *params)
    denom = math.log(1 + 2 * math.exp(-0.5))
    expected = torch.tensor([[-denom, math.log(2) - 0.5 - denom]], dtype=F64, device=device)
    torch.testing.assert_close(out, expected, atol=1e-12, rtol=0)
    assert math.isclose(out[0, 0].exp().item(), 0.45186, abs_tol=1e-5)


def test_log_posterior_matches_torch_distributions(device):
    X = torch.randn(50, 3, dtype=F64, device=device)
    y = torch.randint(0, 4, (50,), device=device)
    log_prior, mean, var = fit_gaussian_nb(X, y, 4)
    Q = torch.randn(7, 3, dtype=F64, device=device)
    normal = torch.distributions.Normal(mean, var.sqrt())  # batch (C, D)
    joint = normal.log_prob(Q[:, None, :]).sum(-1) + log_prior  # (Q, C)
    expected = torch.log_softmax(joint, dim=1)
    torch.testing.assert_close(log_posterior(Q, log_prior, mean, var), expected, atol=1e-12, rtol=0)
