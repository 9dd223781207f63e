import math

import pytest
import torch
from torch import nn

from snippets.topics.ml.initialization import (
    fans,
    gain,
    kaiming_normal_,
    kaiming_std,
    kaiming_uniform_,
    relu_stack_variances,
    xavier_normal_,
    xavier_std,
    xavier_uniform_,
)

FAN_OUT, FAN_IN = 384, 1024  # a (out, in) weight with n = 393,216 entries


def check_variance(w, var, kind):
    """Sample variance of w equals `var` within 5 standard errors.

    The sample variance of n draws has standard error sqrt((m4 - σ⁴) / n):
    sqrt(2 / n) σ² for a normal (m4 = 3σ⁴) and sqrt(0.8 / n) σ² for a
    uniform (m4 = 1.8σ⁴). Here n = 393,216, so 5 standard errors are
    1.1 % (normal) and 0.7 % (uniform) of σ².
    """
    n = w.numel()
    excess = {"normal": 2.0, "uniform": 0.8}[kind]
    w = w.double()
    assert abs(w.var().item() - var) < 5 * var * math.sqrt(excess / n)
    assert abs(w.mean().item()) < 5 * math.sqrt(var / n)


def check_bound(w, bound):
    # n uniform draws on [-a, a] all stay below a(1 - 1e-4) with
    # probability (1 - 1e-4)^n = e^-39: the max sits at the bound.
    m = w.abs().max().item()
    assert bound * (1 - 1e-4) < m <= bound


@pytest.mark.parametrize(
    "args", [("linear",), ("sigmoid",), ("relu",), ("tanh",), ("leaky_relu", 0.2), ("leaky_relu",)]
)
def test_gain_matches_torch_calculate_gain(args):
    assert gain(*args) == pytest.approx(nn.init.calculate_gain(*args), rel=1e-12)


def test_fans_hand_worked(device):
    assert fans(torch.empty(384, 1024, device=device)) == (1024, 384)
    # Conv2d(3 -> 64, 5x5): each output sums 3 · 25 = 75 inputs.
    assert fans(torch.empty(64, 3, 5, 5, device=device)) == (75, 1600)


def test_derived_formulas():
    fi, fo = FAN_IN, FAN_OUT
    assert xavier_std(fi, fo) ** 2 == pytest.approx(2 / (fi + fo), rel=1e-12)
    assert math.sqrt(3) * xavier_std(fi, fo) == pytest.approx(math.sqrt(6 / (fi + fo)), rel=1e-12)
    assert kaiming_std(fi) ** 2 == pytest.approx(2 / fi, rel=1e-12)
    relu = nn.init.calculate_gain("relu")
    assert kaiming_std(fi, relu) == pytest.approx(relu / math.sqrt(fi), rel=1e-12)


def test_xavier_uniform_variance_and_bound(device):
    w = xavier_uniform_(torch.empty(FAN_OUT, FAN_IN, device=device))
    check_variance(w, 2 / (FAN_IN + FAN_OUT), "uniform")
    check_bound(w, math.sqrt(6 / (FAN_IN + FAN_OUT)))
    # The built-in draws from the same distribution.
    ref = nn.init.xavier_uniform_(torch.empty(FAN_OUT, FAN_IN, device=device))
    check_variance(ref, 2 / (FAN_IN + FAN_OUT), "uniform")
    check_bound(ref, math.sqrt(6 / (FAN_IN + FAN_OUT)))


def test_xavier_normal_variance_with_gain(device):
    g = nn.init.calculate_gain("tanh")
    w = xavier_normal_(torch.empty(FAN_OUT, FAN_IN, device=device), gain=g)
    check_variance(w, g**2 * 2 / (FAN_IN + FAN_OUT), "normal")
    ref = nn.init.xavier_normal_(torch.empty(FAN_OUT, FAN_IN, device=device), gain=g)
    check_variance(ref, g**2 * 2 / (FAN_IN + FAN_OUT), "normal")


@pytest.mark.parametrize("mode", ["fan_in", "fan_out"])
def test_kaiming_normal_variance(mode, device):
    fan = FAN_IN if mode == "fan_in" else FAN_OUT
    w = kaiming_normal_(torch.empty(FAN_OUT, FAN_IN, device=device), mode=mode)
    check_variance(w, 2 / fan, "normal")
    ref = torch.empty(FAN_OUT, FAN_IN, device=device)
    nn.init.kaiming_normal_(ref, mode=mode, nonlinearity="relu")
    check_variance(ref, 2 / fan, "normal")


def test_kaiming_uniform_variance_and_bound(device):
    w = kaiming_uniform_(torch.empty(FAN_OUT, FAN_IN, device=device))
    check_variance(w, 2 / FAN_IN, "uniform")
    check_bound(w, math.sqrt(6 / FAN_IN))
    ref = torch.empty(FAN_OUT, FAN_IN, device=device)
    nn.init.kaiming_uniform_(ref, nonlinearity="relu")
    check_bound(ref, math.sqrt(6 / FAN_IN))


def test_signal_through_20_relu_layers(device):
    # Each layer multiplies Var(y) by width · Var(w) / 2: 1 for He,
    # 1/2 for Xavier, 256 · 1e-4 / 2 = 0.0128 for std 0.01. At finite width
    # that factor is itself random (relative spread O(1/√width)), so log Var
    # wanders around the prediction; over 30 seeds the largest excursion
    # for any of the three inits was 1.2, so we allow ln 8 = 2.08.
    width, depth = 256, 20
    layer = torch.arange(depth + 1, device=device, dtype=torch.float64)
    band = math.log(8.0)

    he = relu_stack_variances(kaiming_normal_, width, depth, device=device)
    assert he.log().abs().max() < band  # every layer in [1/8, 8]

    xavier = relu_stack_variances(xavier_normal_, width, depth, device=device)
    assert (xavier.log() - layer * math.log(0.5)).abs().max() < band
    assert xavier[-1] < 1e-5  # 2^-20 ≈ 1e-6

    small = relu_stack_variances(lambda w: w.normal_(0.0, 0.01), width, depth, device=device)
    factor = width * 0.01**2 / 2
    assert (small.log() - layer * math.log(factor)).abs().max() < band
    assert small[-1] < 1e-35  # 0.0128^20 ≈ 1.4e-38: the signal is gone
