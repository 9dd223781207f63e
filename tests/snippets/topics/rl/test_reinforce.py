import torch
import torch.nn.functional as F

from snippets.topics.rl.reinforce import expected_reward, score_function_samples, train_reinforce


def bandit(device):
    # Rewards offset by +5: without a baseline, every sample pushes up the
    # log-probability of whatever arm it drew, and only the average cancels.
    means = torch.tensor([1.0, 1.5, 2.0, 0.5], dtype=torch.float64, device=device) + 5
    logits = torch.tensor([0.2, -0.3, 0.1, 0.4], dtype=torch.float64, device=device)
    return means, logits


def exact_grad(logits, means):
    theta = logits.clone().requires_grad_(True)
    return torch.autograd.grad(expected_reward(theta, means), theta)[0]


def test_exact_gradient_closed_form(device):
    # ∂J/∂θ_k = π_k (μ_k − J): autograd of the exact expectation agrees.
    means, logits = bandit(device)
    pi = torch.softmax(logits, -1)
    closed = pi * (means - pi @ means)
    torch.testing.assert_close(exact_grad(logits, means), closed, atol=1e-12, rtol=0)


def test_grad_log_softmax_is_onehot_minus_probs(device):
    _, logits = bandit(device)
    theta = logits.clone().requires_grad_(True)
    for a in range(4):
        g = torch.autograd.grad(F.log_softmax(theta, -1)[a], theta)[0]
        onehot = F.one_hot(torch.tensor(a, device=device), 4).to(logits)
        torch.testing.assert_close(g, onehot - torch.softmax(logits, -1), atol=1e-12, rtol=0)


def test_estimator_is_unbiased_with_and_without_baseline(device):
    means, logits = bandit(device)
    n = 100_000
    target = exact_grad(logits, means)
    J = expected_reward(logits, means).item()
    variances = []
    for b in (0.0, J):
        g, _ = score_function_samples(logits, means, n, baseline=b)
        se = g.std(0) / n**0.5
        # Each component within 5 standard errors of the exact gradient.
        assert ((g.mean(0) - target).abs() < 5 * se).all()
        variances.append(g.var(0).sum().item())
    # Observed total variance ≈ 29 without and ≈ 0.9 with the baseline.
    assert variances[0] / variances[1] > 10


def test_any_constant_baseline_keeps_the_mean(device):
    # E[∇ log π(a)] = Σ_a ∇π_a = ∇ 1 = 0, so subtracting b changes no mean:
    # the difference of the two estimators is exactly b · (π − onehot).
    means, logits = bandit(device)
    torch.manual_seed(1)
    g0, _ = score_function_samples(logits, means, 1000)
    torch.manual_seed(1)
    g1, _ = score_function_samples(logits, means, 1000, baseline=3.0)
    diff = (g0 - g1) / 3.0  # = onehot(a) − π for each sample
    assert abs(diff.mean(0)).max() < 5 * diff.std(0).max() / 1000**0.5
    torch.testing.assert_close(diff.sum(-1), torch.zeros(1000, dtype=diff.dtype, device=device))


def test_training_improves_expected_return(device):
    means, _ = bandit(device)
    start = expected_reward(torch.zeros_like(means), means).item()  # 6.25
    logits = train_reinforce(means, steps=200, batch=64, lr=0.5)
    final = expected_reward(logits, means).item()
    assert start < 6.3 and final > means.max().item() - 0.05  # best arm: 7.0
    assert torch.softmax(logits, -1).argmax().item() == 2
