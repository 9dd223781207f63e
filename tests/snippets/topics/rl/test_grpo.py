import torch

from snippets.topics.rl.grpo import grpo_advantages, grpo_loss
from snippets.topics.rl.ppo import ppo_loss


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


def sampled(device, G=2, n=4, T=5):
    f64 = dict(dtype=torch.float64, device=device)
    logp = (-torch.rand(G, n, T, **f64)).requires_grad_()
    mask = torch.ones(G, n, T, **f64)
    if G == 2:
        mask[0, 1, 3:] = 0  # a 3-token response
        mask[1, 2, 1:] = 0  # a 1-token response
    return logp, mask


def test_on_policy_gradient_by_hand(device):
    logp, mask = sampled(device)
    rewards = torch.tensor([[1.0, 0.0, 0.0, 1.0], [3.0, 1.0, 2.0, 2.0]], device=device)
    rewards = rewards.double()
    # π_θ = π_old = π_ref: every ratio is 1 and k3 and its gradient vanish.
    loss = grpo_loss(logp, logp.detach(), logp.detach(), rewards, mask)
    loss.backward()
    adv = grpo_advantages(rewards)
    L = mask.sum(-1)  # response lengths
    # ∂loss/∂logp = −A_i / (G n L_i) on the response's tokens.
    expected = -(adv / (2 * 4 * L))[..., None] * mask
    torch.testing.assert_close(logp.grad, expected, atol=1e-12, rtol=0)
    assert abs(loss.item()) < 1e-6  # advantages have zero mean per group


def test_kl_gradient_pulls_towards_the_reference(device):
    logp, mask = sampled(device, G=1, n=2, T=3)
    logp_ref = logp.detach() + torch.tensor([0.5, -0.5, 0.0], device=device)
    rewards = torch.ones(1, 2, dtype=torch.float64, device=device)  # A = 0
    grpo_loss(logp, logp.detach(), logp_ref, rewards, mask, beta=1.0).backward()
    # d k3 / d logp = 1 − π_ref/π_θ, averaged over 3 tokens and 2 responses.
    ratio = (logp_ref - logp.detach()).exp()
    torch.testing.assert_close(logp.grad, (1 - ratio) / 6, atol=1e-12, rtol=0)


def test_one_token_responses_reduce_to_ppo(device):
    # With β = 0 and one token per response, GRPO is PPO's clipped loss
    # with the group-normalised advantages.
    logp_old = -torch.rand(3, 4, 1, dtype=torch.float64, device=device)
    logp = logp_old + 0.5 * torch.randn_like(logp_old)  # ratios beyond 1 ± ε
    rewards = torch.randn(3, 4, dtype=torch.float64, device=device)
    mask = torch.ones_like(logp)
    ours = grpo_loss(logp, logp_old, logp_old, rewards, mask, beta=0.0)
    ppo, _ = ppo_loss(logp.flatten(), logp_old.flatten(), grpo_advantages(rewards).flatten())
    torch.testing.assert_close(ours, ppo, atol=1e-12, rtol=0)
