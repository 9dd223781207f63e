import math

import torch
import torch.nn.functional as F

from snippets.rounds.walkthrough_distillation import distillation_loss


def test_hand_computed_two_classes(device):
    # Teacher logits (2, 0), student (0, 0), T = 2, label 0.
    z_t = torch.tensor([[2.0, 0.0]], device=device, dtype=torch.float64)
    z_s = torch.zeros(1, 2, device=device, dtype=torch.float64)
    y = torch.tensor([0], device=device)
    pt = math.e / (math.e + 1)  # softmax((1, 0))[0] = 0.7311
    kl = pt * math.log(pt / 0.5) + (1 - pt) * math.log((1 - pt) / 0.5)
    ce = math.log(2.0)  # the student is uniform
    assert abs(kl - 0.1109) < 1e-4
    got = distillation_loss(z_s, z_t, y, T=2.0, alpha=0.3).item()
    assert abs(got - (0.3 * 4 * kl + 0.7 * ce)) < 1e-12


def test_kl_term_matches_kl_div(device):
    z_s = torch.randn(16, 10, device=device)
    z_t = 3 * torch.randn(16, 10, device=device)
    y = torch.randint(0, 10, (16,), device=device)
    T = 3.0
    ref = (
        F.kl_div(
            F.log_softmax(z_s / T, -1),
            F.log_softmax(z_t / T, -1),
            log_target=True,
            reduction="batchmean",
        )
        * T
        * T
    )
    got = distillation_loss(z_s, z_t, y, T=T, alpha=1.0)
    torch.testing.assert_close(got, ref, rtol=1e-5, atol=1e-6)


def test_gradient_is_T_times_prob_gap_over_batch(device):
    N, K, T = 8, 5, 4.0
    z_s = torch.randn(N, K, device=device, dtype=torch.float64, requires_grad=True)
    z_t = 2 * torch.randn(N, K, device=device, dtype=torch.float64)
    y = torch.randint(0, K, (N,), device=device)
    distillation_loss(z_s, z_t, y, T=T, alpha=1.0).backward()
    p_s = torch.softmax(z_s.detach() / T, -1)
    p_t = torch.softmax(z_t / T, -1)
    torch.testing.assert_close(z_s.grad, T * (p_s - p_t) / N, rtol=1e-12, atol=1e-12)


def test_full_gradient_mixes_soft_and_hard_terms(device):
    N, K, T, a = 8, 5, 2.0, 0.7
    z_s = torch.randn(N, K, device=device, dtype=torch.float64, requires_grad=True)
    z_t = torch.randn(N, K, device=device, dtype=torch.float64)
    y = torch.randint(0, K, (N,), device=device)
    distillation_loss(z_s, z_t, y, T=T, alpha=a).backward()
    soft = T * (torch.softmax(z_s.detach() / T, -1) - torch.softmax(z_t / T, -1)) / N
    hard = (torch.softmax(z_s.detach(), -1) - F.one_hot(y, K).double()) / N
    torch.testing.assert_close(z_s.grad, a * soft + (1 - a) * hard, rtol=1e-12, atol=1e-12)


def test_zero_when_student_equals_teacher(device):
    z = torch.randn(8, 6, device=device, dtype=torch.float64, requires_grad=True)
    y = torch.randint(0, 6, (8,), device=device)
    loss = distillation_loss(z, z.detach().clone(), y, T=5.0, alpha=1.0)
    loss.backward()
    assert abs(loss.item()) < 1e-15
    assert z.grad.abs().max().item() < 1e-15


def test_high_temperature_is_logit_matching(device):
    # For zero-mean logits, T^2 KL -> ||z_s - z_t||^2 / (2K) as T grows,
    # with a relative error of order 1/T (here 1e-3): tolerance 1e-2.
    K, T = 6, 1000.0
    z_s = torch.randn(4, K, device=device, dtype=torch.float64)
    z_t = torch.randn(4, K, device=device, dtype=torch.float64)
    z_s, z_t = z_s - z_s.mean(-1, keepdim=True), z_t - z_t.mean(-1, True)
    y = torch.zeros(4, dtype=torch.long, device=device)
    got = distillation_loss(z_s, z_t, y, T=T, alpha=1.0).item()
    ref = ((z_s - z_t) ** 2).sum(-1).mean().item() / (2 * K)
    assert abs(got - ref) < 1e-2 * ref
