import math

import torch
from torch.distributions import Categorical, Independent, Normal, kl_divergence

from snippets.topics.ml.kl_divergence import (
    fit_gaussian_to_mixture,
    js_divergence,
    kl_discrete,
    kl_gaussian,
)

F64 = torch.float64


def test_gaussian_closed_form_matches_torch(device):
    mu_p, mu_q = torch.randn(2, 5, 3, dtype=F64, device=device)
    var_p, var_q = torch.rand(2, 5, 3, dtype=F64, device=device) + 0.1
    ours = kl_gaussian(mu_p, var_p, mu_q, var_q)
    p = Independent(Normal(mu_p, var_p.sqrt()), 1)
    q = Independent(Normal(mu_q, var_q.sqrt()), 1)
    torch.testing.assert_close(ours, kl_divergence(p, q), rtol=1e-12, atol=1e-12)


def test_gaussian_by_hand_and_asymmetry(device):
    # KL(N(0,1) || N(1,4)) = ½(1/4 + 1/4 − 1 + log 4) = log 2 − 1/4.
    z, o = torch.zeros(1, dtype=F64, device=device), torch.ones(1, dtype=F64, device=device)
    forward = kl_gaussian(z, o, o, 4 * o).item()
    reverse = kl_gaussian(o, 4 * o, z, o).item()  # ½(4 + 1 − 1 − log 4)
    assert math.isclose(forward, math.log(2) - 0.25, rel_tol=1e-14)
    assert math.isclose(reverse, 2 - math.log(2), rel_tol=1e-14)
    assert reverse > 2.9 * forward  # 1.307 versus 0.443


def test_discrete_kl_and_js(device):
    p = torch.softmax(torch.randn(100, 7, dtype=F64, device=device), -1)
    q = torch.softmax(torch.randn(100, 7, dtype=F64, device=device), -1)
    ref = kl_divergence(Categorical(probs=p), Categorical(probs=q))
    torch.testing.assert_close(kl_discrete(p, q), ref, rtol=1e-12, atol=1e-12)
    js = js_divergence(p, q)
    torch.testing.assert_close(js, js_divergence(q, p), rtol=0, atol=1e-15)
    assert (js >= 0).all() and (js <= math.log(2)).all()
    # Disjoint supports: KL is infinite, JS is exactly log 2.
    a = torch.tensor([0.5, 0.5, 0.0, 0.0], dtype=F64, device=device)
    b = torch.tensor([0.0, 0.0, 0.25, 0.75], dtype=F64, device=device)
    assert math.isclose(js_divergence(a, b).item(), math.log(2), rel_tol=1e-14)
    assert kl_discrete(a, b).item() == math.inf


def test_forward_covers_reverse_seeks(device):
    # Forward KL to a Gaussian = moment matching: mean 0, variance 1 + 3² = 10.
    mu, s = fit_gaussian_to_mixture("forward", device=device)
    assert abs(mu) < 1e-3 and abs(s - math.sqrt(10)) < 1e-3, (mu, s)
    # Reverse KL locks onto one mode, N(3, 1) up to the other mode's tail.
    mu, s = fit_gaussian_to_mixture("reverse", mu0=1.0, device=device)
    assert abs(mu - 3) < 0.05 and abs(s - 1) < 0.05, (mu, s)
