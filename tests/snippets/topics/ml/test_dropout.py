import math

import pytest
import torch
from torch import nn

from snippets.topics.ml.dropout import Dropout, dropout


def seeded(device, seed=0):
    return torch.Generator(device=device).manual_seed(seed)


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_fraction_dropped_is_p_and_survivors_are_scaled(p, device):
    n = 1_000_000
    x = torch.rand(n, device=device) + 0.5  # no zeros, so a zero means dropped
    out = dropout(x, p, generator=seeded(device))
    dropped = out == 0
    # The dropped count is Binomial(n, p): its fraction has standard error
    # sqrt(p (1 - p) / n) <= 5e-4; 5 standard errors fail by chance with
    # probability 6e-7.
    se = math.sqrt(p * (1 - p) / n)
    assert abs(dropped.float().mean().item() - p) < 5 * se
    torch.testing.assert_close(out[~dropped], x[~dropped] / (1 - p))


def test_expectation_is_preserved(device):
    # Average M independent masks applied to the same x. One draw of
    # element j has mean x_j and variance x_j² p / (1 - p), so the average
    # has standard error |x_j| sqrt(p / ((1 - p) M)). 6 standard errors over
    # D = 64 elements: a false alarm has probability below 64 · 2e-9.
    p, M, D = 0.3, 20_000, 64
    x = torch.randn(D, device=device)
    outs = dropout(x.expand(M, D), p, generator=seeded(device, 1))
    se = x.abs() * math.sqrt(p / ((1 - p) * M))
    assert ((outs.mean(0) - x).abs() < 6 * se).all()
    # The naive estimate without rescaling would be off by a factor 1 - p.
    naive = (outs * (1 - p)).mean(0)
    assert ((naive - x).abs() > 6 * se).any()


def test_identity_in_eval(device):
    x = torch.randn(4, 8, device=device)
    layer = Dropout(0.5).eval()
    assert torch.equal(layer(x), x)
    assert torch.equal(dropout(x, 0.9, training=False), x)


def test_outputs_take_the_same_two_values_as_nn_dropout(device):
    # Our module and nn.Dropout both output 0 or x / (1 - p), elementwise.
    x = torch.rand(1000, device=device) + 1.0
    for layer in (Dropout(0.25).train(), nn.Dropout(0.25).train()):
        out = layer(x)
        ok = (out == 0) | torch.isclose(out, x / 0.75)
        assert ok.all()


def test_p_zero_is_identity_and_p_one_is_zeros(device):
    x = torch.randn(3, 5, device=device)
    assert torch.equal(dropout(x, 0.0), x)
    out = dropout(x, 1.0)
    assert torch.equal(out, torch.zeros_like(x)) and torch.isfinite(out).all()


def test_gradient_is_the_scaled_mask(device):
    x = torch.randn(200, device=device, requires_grad=True)
    out = dropout(x, 0.4, generator=seeded(device))
    (grad,) = torch.autograd.grad(out.sum(), x)
    expected = (out != 0).float() / 0.6
    torch.testing.assert_close(grad, expected)


def test_same_generator_seed_same_mask(device):
    x = torch.ones(100, device=device)
    a = dropout(x, 0.5, generator=seeded(device, 7))
    b = dropout(x, 0.5, generator=seeded(device, 7))
    assert torch.equal(a, b)


def test_rejects_p_outside_unit_interval(device):
    with pytest.raises(ValueError):
        dropout(torch.ones(2, device=device), 1.5)
