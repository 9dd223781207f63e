import torch
import torch.nn.functional as F
from torch import nn
from torch.func import grad, vmap

from snippets.topics.distributed.frameworks import (
    dropout_mask,
    per_sample_grads,
    per_sample_grads_loop,
    split,
)

B, D, K = 6, 5, 3


def model_and_batch(device):
    model = nn.Sequential(nn.Linear(D, 8), nn.Tanh(), nn.Linear(8, K))
    model.to(device=device, dtype=torch.float64)
    x = torch.randn(B, D, device=device, dtype=torch.float64)
    y = torch.randint(0, K, (B,), device=device)
    return model, x, y


def test_vmap_of_grad_equals_a_loop_over_examples(device):
    model, x, y = model_and_batch(device)
    fast = per_sample_grads(model, x, y)
    slow = per_sample_grads_loop(model, x, y)
    assert fast.keys() == slow.keys()
    for k in fast:
        assert fast[k].shape == (B, *dict(model.named_parameters())[k].shape)
        # float64, the same arithmetic batched: 1e-12 is generous.
        torch.testing.assert_close(fast[k], slow[k], atol=1e-12, rtol=0)


def test_mean_of_per_sample_grads_is_the_batch_gradient(device):
    model, x, y = model_and_batch(device)
    per = per_sample_grads(model, x, y)
    model.zero_grad()
    F.cross_entropy(model(x), y).backward()
    for k, p in model.named_parameters():
        torch.testing.assert_close(per[k].mean(0), p.grad, atol=1e-12, rtol=0)


def test_func_grad_equals_autograd_and_the_closed_form(device):
    X = torch.randn(7, D, device=device, dtype=torch.float64)
    w = torch.randn(D, device=device, dtype=torch.float64)

    def f(w):
        return torch.tanh(X @ w).sum()

    g = grad(f)(w)
    closed = X.T @ (1 - torch.tanh(X @ w) ** 2)  # d/dw Σ tanh(Xw)
    torch.testing.assert_close(g, closed, atol=1e-12, rtol=0)
    w_ = w.clone().requires_grad_(True)
    (auto,) = torch.autograd.grad(f(w_), w_)
    torch.testing.assert_close(g, auto, atol=1e-12, rtol=0)
    # vmap over a batch of weight vectors = stacking single calls.
    W = torch.randn(4, D, device=device, dtype=torch.float64)
    torch.testing.assert_close(
        vmap(grad(f))(W), torch.stack([grad(f)(w) for w in W]), atol=1e-12, rtol=0
    )


def test_keys_make_randomness_independent_of_call_order(device):
    key_a, key_b = split(42)
    m1 = dropout_mask(key_a, (1000,), 0.1, device)
    torch.rand(10)  # global RNG traffic in between changes nothing
    torch.manual_seed(123)
    m2 = dropout_mask(key_a, (1000,), 0.1, device)
    assert torch.equal(m1, m2)
    assert split(42) == [key_a, key_b]  # pure: same key, same children
    assert key_a != key_b and not torch.equal(m1, dropout_mask(key_b, (1000,), 0.1, device))
    # keep rate ≈ 0.9: sd of the mean over 1000 draws is √(0.09/1000) ≈
    # 0.0095; 5 sd = 0.047.
    assert abs(m1.float().mean().item() - 0.9) < 0.047


def test_global_seed_depends_on_what_ran_before():
    torch.manual_seed(0)
    a = torch.rand(5)
    torch.manual_seed(0)
    torch.rand(1)  # one extra draw somewhere else in the program
    b = torch.rand(5)
    assert not torch.equal(a, b)
