import math

import torch
import torch.nn.functional as F

from snippets.topics.llm.rlhf import kl_penalised_rewards, kl_regularised_optimum, objective
from snippets.topics.rl.preference import bradley_terry_loss


def test_per_token_rewards_hand_case(device):
    score = torch.tensor([2.0, -1.0], device=device)
    logp = torch.tensor([[0.0, -1.0, -2.0, -0.5], [-1.0, -1.0, -3.0, -9.0]], device=device)
    ref = torch.tensor([[0.0, -2.0, -1.0, -0.5], [-1.5, -0.5, -3.0, -1.0]], device=device)
    mask = torch.tensor([[0, 1, 1, 0], [1, 1, 1, 0]], device=device)  # prompt / padding = 0
    r = kl_penalised_rewards(score, logp, ref, mask, beta=0.5)
    expected = torch.tensor(
        [[0.0, -0.5, 0.5 + 2.0, 0.0], [-0.25, 0.25, 0.0 - 1.0, 0.0]], device=device
    )
    torch.testing.assert_close(r, expected, atol=0, rtol=0)


def test_summed_rewards_equal_score_minus_beta_log_ratio(device):
    B, T, beta = 4, 10, 0.05
    logp, ref = -torch.rand(2, B, T, device=device, dtype=torch.float64) * 3
    lengths = torch.tensor([10, 7, 3, 1], device=device)
    mask = torch.arange(T, device=device)[None, :] < lengths[:, None]
    score = torch.randn(B, device=device, dtype=torch.float64)
    r = kl_penalised_rewards(score, logp, ref, mask, beta)
    seq_log_ratio = ((logp - ref) * mask).sum(-1)  # log π(y)/π_ref(y)
    torch.testing.assert_close(r.sum(-1), score - beta * seq_log_ratio, atol=1e-12, rtol=0)


def test_mean_log_ratio_of_samples_estimates_the_kl(device):
    # E_{y~π}[log π(y) - log π_ref(y)] = KL(π || π_ref). 200k samples; the
    # estimator's s.e. is sd/√n; we allow 5 s.e.
    g = torch.Generator(device=device).manual_seed(0)
    pi = torch.tensor([0.5, 0.2, 0.2, 0.1], device=device, dtype=torch.float64)
    ref = torch.tensor([0.25, 0.25, 0.25, 0.25], device=device, dtype=torch.float64)
    y = torch.multinomial(pi, 200_000, replacement=True, generator=g)
    log_ratio = pi.log()[y] - ref.log()[y]
    exact = (pi * (pi.log() - ref.log())).sum()
    se = log_ratio.std() / math.sqrt(len(y))
    assert abs(log_ratio.mean() - exact) < 5 * se
    assert math.isclose(
        exact.item(), 0.5 * math.log(2) + 0.2 * math.log(0.8) * 2 + 0.1 * math.log(0.4)
    )


def test_reward_model_loss_is_logistic_regression_on_the_margin(device):
    # Bradley–Terry loss -log σ(r_w - r_l) = BCE-with-logits(r_w - r_l, 1).
    r_w, r_l = torch.randn(2, 64, device=device)
    expected = F.binary_cross_entropy_with_logits(r_w - r_l, torch.ones_like(r_w))
    torch.testing.assert_close(bradley_terry_loss(r_w, r_l), expected, atol=1e-6, rtol=0)
    zero = torch.zeros(1, device=device)
    assert math.isclose(bradley_terry_loss(zero, zero).item(), math.log(2), rel_tol=1e-6)


def test_kl_regularised_optimum_beats_every_other_policy(device):
    ref = torch.tensor([0.4, 0.3, 0.2, 0.1], device=device, dtype=torch.float64)
    reward = torch.tensor([0.0, 1.0, -1.0, 3.0], device=device, dtype=torch.float64)
    for beta in (0.1, 1.0, 10.0):
        pi, best = kl_regularised_optimum(ref, reward, beta)
        torch.testing.assert_close(objective(pi, ref, reward, beta), best, atol=1e-12, rtol=0)
        for _ in range(20):
            other = torch.softmax(pi.log() + 0.3 * torch.randn_like(pi), -1)
            assert objective(other, ref, reward, beta) < best
    # β → ∞ keeps π_ref; β → 0 puts everything on the best response.
    torch.testing.assert_close(kl_regularised_optimum(ref, reward, 1e6)[0], ref, atol=1e-5, rtol=0)
    assert kl_regularised_optimum(ref, reward, 0.01)[0][3] > 1 - 1e-12


def test_small_beta_exploits_a_misspecified_reward(device):
    # The proxy reward overrates response 3, which the reference rarely says
    # (true value -1, proxy +2). The true reward of π* first improves as β
    # falls, then collapses onto response 3.
    kw = dict(device=device, dtype=torch.float64)
    ref = torch.tensor([0.33, 0.33, 0.33, 0.01], **kw)
    true = torch.tensor([0.0, 1.0, 0.5, -1.0], **kw)
    proxy = torch.tensor([0.0, 1.0, 0.5, 2.0], **kw)
    true_at = {
        b: (kl_regularised_optimum(ref, proxy, b)[0] * true).sum().item() for b in (10.0, 1.0, 0.1)
    }
    assert true_at[1.0] > true_at[10.0] > true_at[0.1]
    assert true_at[0.1] < -0.99
