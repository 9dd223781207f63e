import math

import torch

from snippets.topics.ml.bayes_theorem import (
    posterior_positive,
    simulate_positive_rate,
)


def test_base_rate_example_by_hand():
    # 1% prevalence, 99% sensitivity, 99% specificity:
    # P(D|+) = 0.99·0.01 / (0.99·0.01 + 0.01·0.99) = 1/2 exactly.
    assert math.isclose(posterior_positive(0.01, 0.99, 0.99), 0.5, rel_tol=1e-12)
    # With 95% specificity: 0.0099 / (0.0099 + 0.0495) = 1/6.
    assert math.isclose(posterior_positive(0.01, 0.99, 0.95), 1 / 6, rel_tol=1e-12)
    # A second, independent positive test starts from the prior 1/2:
    # 0.99·0.5 / (0.99·0.5 + 0.01·0.5) = 0.99.
    p2 = posterior_positive(posterior_positive(0.01, 0.99, 0.99), 0.99, 0.99)
    assert math.isclose(p2, 0.99, rel_tol=1e-12)


def test_posterior_is_monotone_in_prevalence(device):
    prev = torch.linspace(0.001, 0.999, 200, dtype=torch.float64, device=device)
    post = posterior_positive(prev, 0.9, 0.8)
    assert (post.diff() > 0).all()
    # Odds form: posterior odds = prior odds × likelihood ratio 0.9 / 0.2.
    odds = post / (1 - post)
    torch.testing.assert_close(odds, prev / (1 - prev) * 4.5, rtol=1e-12, atol=0)


def test_simulation_agrees_with_bayes(device):
    g = torch.Generator(device=device).manual_seed(0)
    est, n_pos = simulate_positive_rate(0.01, 0.99, 0.99, 2_000_000, g, device)
    # About 39 600 positives; binomial SE √(0.25 / n_pos) ≈ 0.0025;
    # allow 5 SE.
    se = math.sqrt(0.25 / n_pos.item())
    assert abs(est.item() - 0.5) < 5 * se, (est.item(), se)
