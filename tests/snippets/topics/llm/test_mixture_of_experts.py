import math

import pytest
import torch

from snippets.topics.llm.mixture_of_experts import (
    MoE,
    expert_capacity,
    load_balancing_loss,
    route,
)

LN5 = math.log(5.0)  # a logit gap of ln 5 gives probabilities 5/8 and 1/8


def dense_reference(moe, x):
    """Loop over tokens and experts: run every expert, keep the top k."""
    B, T, C = x.shape
    xs = x.reshape(-1, C)
    out = torch.zeros_like(xs)
    for n in range(B * T):
        p = torch.softmax(moe.router.weight @ xs[n], dim=0)  # (E,)
        top = sorted(range(len(p)), key=lambda e: -p[e].item())[: moe.k]
        z = sum(p[e] for e in top)
        for e, expert in enumerate(moe.experts):
            if e in top:
                out[n] += p[e] / z * expert(xs[n])
    return out.view(B, T, C)


def test_capacity_formula():
    assert expert_capacity(16, 4, 1, 1.0) == 4
    assert expert_capacity(16, 4, 1, 1.25) == 5
    assert expert_capacity(10, 4, 2, 1.25) == 7  # ceil(6.25)
    assert expert_capacity(10, 8, 2, 1.0) == 3  # ceil(2.5)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_gates_sum_to_one_and_follow_the_router(k, device):
    logits = torch.randn(50, 6, device=device)
    probs, experts, gates = route(logits, k)
    torch.testing.assert_close(gates.sum(-1), torch.ones(50, device=device))
    assert (gates > 0).all()
    # The chosen experts are the k largest probabilities, and the gates
    # are those probabilities rescaled by one common factor per token.
    chosen = probs.gather(-1, experts)
    torch.testing.assert_close(chosen, probs.topk(k, -1).values)
    torch.testing.assert_close(gates * chosen.sum(-1, keepdim=True), chosen)


@pytest.mark.parametrize("k", [1, 2])
def test_matches_dense_reference_with_ample_capacity(k, device):
    E = 4
    # capacity_factor E / k makes the capacity N: nothing can be dropped.
    moe = MoE(8, 16, E, k=k, capacity_factor=E / k, device=device)
    x = torch.randn(2, 5, 8, device=device)
    out, _, dropped = moe(x)
    assert dropped.item() == 0
    torch.testing.assert_close(out, dense_reference(moe, x), atol=1e-5, rtol=0)


def one_expert_router(moe):
    """Logits (2, 1, 0, 0) for every token whose channel 0 is 1."""
    with torch.no_grad():
        moe.router.weight.zero_()
        moe.router.weight[:, 0] = torch.tensor([2.0, 1.0, 0.0, 0.0])


@pytest.mark.parametrize(
    "k, capacity_factor, capacity, dropped",
    [
        (1, 1.0, 4, 12),  # expert 0 takes tokens 0-3 of 16
        (1, 1.25, 5, 11),  # ceil(1.25 · 16 / 4) = 5 slots
        (2, 1.0, 8, 16),  # 8 of 16 first choices and 8 of 16 second
    ],
)
def test_router_sending_every_token_to_one_expert(k, capacity_factor, capacity, dropped, device):
    torch.manual_seed(0)
    moe = MoE(4, 8, 4, k=k, capacity_factor=capacity_factor, device=device)
    one_expert_router(moe)
    x = torch.randn(2, 8, 4, device=device)
    x[..., 0] = 1.0
    out, _, n_dropped = moe(x)
    assert n_dropped.item() == dropped
    out, xs = out.reshape(16, 4), x.reshape(16, 4)
    # Tokens 0 .. capacity-1 (in order) are served, the rest get 0 and
    # leave the block unchanged through the residual.
    assert out[capacity:].abs().max() == 0
    torch.testing.assert_close((xs + out)[capacity:], xs[capacity:], atol=0, rtol=0)
    # Served tokens: k = 1 gives gate 1 on expert 0; k = 2 gives gates
    # e²/(e² + e) and e/(e² + e) on experts 0 and 1.
    g0 = 1.0 if k == 1 else math.e / (math.e + 1)
    served = g0 * moe.experts[0](xs[:capacity])
    if k == 2:
        served = served + (1 - g0) * moe.experts[1](xs[:capacity])
    torch.testing.assert_close(out[:capacity], served, atol=1e-6, rtol=1e-5)


def one_hot_logits(targets, E, device):
    return LN5 * torch.nn.functional.one_hot(torch.tensor(targets, device=device), E).float()


@pytest.mark.parametrize(
    "targets, expected",
    [
        # f = (1/4,)*4 and P = (1/4,)*4: 4 · 4 · 1/16 = 1.
        ([0, 1, 2, 3, 0, 1, 2, 3], 1.0),
        # Half to 0, half to 1: P_0 = P_1 = (5/8 + 1/8)/2 = 3/8,
        # so 4 · (1/2 · 3/8 + 1/2 · 3/8) = 1.5.
        ([0, 1, 0, 1, 0, 1, 0, 1], 1.5),
        # All to expert 0: f = (1, 0, 0, 0), P_0 = 5/8, so 4 · 5/8 = 2.5.
        ([0] * 8, 2.5),
    ],
)
def test_balance_loss_hand_worked_top1(targets, expected, device):
    probs, experts, _ = route(one_hot_logits(targets, 4, device), k=1)
    loss = load_balancing_loss(probs, experts)
    torch.testing.assert_close(loss, torch.tensor(expected, device=device))


def test_balance_loss_hand_worked_top2(device):
    # Every token has weights (6, 3, 1, 1): P = (6, 3, 1, 1)/11 and the
    # 2 choices are experts 0 and 1, so f = (1/2, 1/2, 0, 0) and the loss
    # is 4 · (1/2 · 6/11 + 1/2 · 3/11) = 18/11.
    logits = torch.log(torch.tensor([6.0, 3.0, 1.0, 1.0], device=device)).expand(10, 4)
    probs, experts, _ = route(logits, k=2)
    loss = load_balancing_loss(probs, experts)
    torch.testing.assert_close(loss, torch.tensor(18 / 11, device=device))


def test_module_reports_the_balance_loss_of_its_router(device):
    # The router ln5 · I on the first 4 channels reproduces the top-1
    # "half to 0, half to 1" case: loss 1.5.
    moe = MoE(4, 8, 4, k=1, device=device)
    with torch.no_grad():
        moe.router.weight.copy_(LN5 * torch.eye(4))
    x = one_hot_logits([0, 1] * 4, 4, device).div(LN5).view(2, 4, 4)
    _, aux, _ = moe(x)
    torch.testing.assert_close(aux, torch.tensor(1.5, device=device))


def test_gradcheck_float64(device):
    moe = MoE(4, 6, 4, k=2, capacity_factor=1.0, device=device, dtype=torch.float64)
    x = torch.randn(1, 6, 4, device=device, dtype=torch.float64, requires_grad=True)
    # Output and balance loss are both differentiable in x (through the
    # gates, the experts and P); the routing choice is piecewise constant.
    assert torch.autograd.gradcheck(lambda x: moe(x)[0], (x,), fast_mode=True)
    assert torch.autograd.gradcheck(lambda x: moe(x)[1], (x,), fast_mode=True)
