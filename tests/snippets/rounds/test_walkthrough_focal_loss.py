import math

import torch
import torch.nn.functional as F

from snippets.rounds.walkthrough_focal_loss import (
    easy_example_discount,
    focal_loss,
)


def test_gamma_zero_is_cross_entropy(device):
    logits = 3 * torch.randn(64, 5, device=device)
    y = torch.randint(0, 5, (64,), device=device)
    torch.testing.assert_close(
        focal_loss(logits, y, gamma=0.0),
        F.cross_entropy(logits, y),
        rtol=1e-6,
        atol=1e-6,
    )


def test_alpha_with_gamma_zero_is_weighted_cross_entropy(device):
    logits = torch.randn(64, 3, device=device)
    y = torch.randint(0, 3, (64,), device=device)
    alpha = torch.tensor([0.25, 1.0, 4.0], device=device)
    # Per-example weighted CE, then a plain mean (F.cross_entropy's own
    # 'mean' would divide by the sum of the weights instead).
    ref = F.cross_entropy(logits, y, weight=alpha, reduction="none").mean()
    torch.testing.assert_close(
        focal_loss(logits, y, gamma=0.0, alpha=alpha),
        ref,
        rtol=1e-6,
        atol=1e-6,
    )


def test_hand_computed_easy_and_hard_examples(device):
    # Two classes, logits (ln 9, 0): p(class 0) = 0.9 exactly.
    logits = torch.tensor([[math.log(9.0), 0.0]], device=device, dtype=torch.float64)
    easy = torch.tensor([0], device=device)  # p_y = 0.9
    hard = torch.tensor([1], device=device)  # p_y = 0.1
    ce_easy, ce_hard = -math.log(0.9), -math.log(0.1)  # 0.1054, 2.3026
    fl_easy = focal_loss(logits, easy, gamma=2.0).item()
    fl_hard = focal_loss(logits, hard, gamma=2.0).item()
    assert abs(fl_easy - 0.01 * ce_easy) < 1e-12  # 0.0010536
    assert abs(fl_hard - 0.81 * ce_hard) < 1e-12  # 1.8651
    # The easy example is discounted 100x, the hard one only 1.23x.
    assert abs(ce_easy / fl_easy - easy_example_discount(0.9)) < 1e-9
    assert abs(easy_example_discount(0.9) - 100.0) < 1e-9
    assert abs(ce_hard / fl_hard - 1 / 0.81) < 1e-9


def test_alpha_scales_each_class(device):
    logits = torch.tensor([[math.log(9.0), 0.0]], device=device, dtype=torch.float64)
    y = torch.tensor([1], device=device)
    alpha = torch.tensor([0.25, 0.75], device=device, dtype=torch.float64)
    got = focal_loss(logits, y, gamma=2.0, alpha=alpha).item()
    assert abs(got - 0.75 * 0.81 * -math.log(0.1)) < 1e-12


def test_gradient_matches_finite_differences(device):
    logits = torch.randn(6, 4, device=device, dtype=torch.float64, requires_grad=True)
    y = torch.randint(0, 4, (6,), device=device)
    alpha = torch.rand(4, device=device, dtype=torch.float64) + 0.5
    assert torch.autograd.gradcheck(lambda z: focal_loss(z, y, gamma=2.0, alpha=alpha), (logits,))


def test_easy_examples_lose_their_share_of_the_loss(device):
    # 990 easy negatives at p_y = 0.99 and 10 hard positives at p_y = 0.3.
    # Cross-entropy: negatives carry 990 * 0.01005 = 9.95 against
    # 10 * 1.204 = 12.04 (45 %); focal (gamma 2): 0.000995 against 5.90.
    z_neg = math.log(99.0)  # p = 0.99 for class 0
    z_pos = math.log(0.3 / 0.7)  # p = 0.3 for class 1
    logits = torch.tensor(
        [[z_neg, 0.0]] * 990 + [[0.0, z_pos]] * 10, device=device, dtype=torch.float64
    )
    y = torch.tensor([0] * 990 + [1] * 10, device=device)
    neg, pos = slice(0, 990), slice(990, 1000)

    def share(gamma):
        a = focal_loss(logits[neg], y[neg], gamma) * 990
        b = focal_loss(logits[pos], y[pos], gamma) * 10
        return (a / (a + b)).item()

    assert abs(share(0.0) - 0.4525) < 1e-3
    assert share(2.0) < 2e-4
