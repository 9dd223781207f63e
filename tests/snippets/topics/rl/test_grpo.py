import torch

from snippets.topics.rl.grpo import grpo_advantages


def test_hand_worked_groups(device):
    r = torch.tensor(
        [[1.0, 0.0, 0.0, 1.0], [1.0, 0.0, 0.0, 0.0], [2.0, 2.0, 2.0, 2.0]], device=device
    )
    adv = grpo_advantages(r)
    # Group 0: mean 0.5, std 0.5 -> ±1.
    # Group 1: mean 0.25, std √(0.1875) = 0.4330 -> 1.7321, −0.5774.
    # Group 2: all equal -> 0 (no learning signal from that prompt).
    expected = torch.tensor(
        [[1.0, -1.0, -1.0, 1.0], [3**0.5, -(3**-0.5), -(3**-0.5), -(3**-0.5)], [0.0] * 4],
        device=device,
    )
    torch.testing.assert_close(adv, expected, atol=1e-5, rtol=0)


def test_each_group_has_zero_mean_and_unit_std(device):
    r = torch.randn(5, 8, device=device) * 3 + 2
    adv = grpo_advantages(r)
    torch.testing.assert_close(adv.mean(-1), torch.zeros(5, device=device), atol=1e-5, rtol=0)
    torch.testing.assert_close(
        adv.std(-1, correction=0), torch.ones(5, device=device), atol=1e-5, rtol=0
    )
    # Invariant to shifting and positively scaling a group's rewards.
    torch.testing.assert_close(grpo_advantages(10 * r - 4), adv, atol=1e-4, rtol=0)
