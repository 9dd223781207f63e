"""Xavier/Glorot and He/Kaiming initialisation, from the variance argument."""

import math

import torch

# --8<-- [start:formulas]
RELU_GAIN = math.sqrt(2.0)  # ReLU zeroes half the inputs: E[y²] halves


def fans(w):
    """fan_in, fan_out of a weight shaped (out, in, *kernel)."""
    receptive = math.prod(w.shape[2:])  # 1 for a Linear weight
    return w.size(1) * receptive, w.size(0) * receptive


def gain(nonlinearity="linear", negative_slope=0.01):
    """Std multiplier that undoes the nonlinearity's loss of E[y²]."""
    if nonlinearity in ("linear", "sigmoid"):
        return 1.0
    if nonlinearity == "relu":
        return RELU_GAIN
    if nonlinearity == "leaky_relu":
        return math.sqrt(2.0 / (1.0 + negative_slope**2))
    if nonlinearity == "tanh":
        return 5.0 / 3.0  # an empirical value, not derived
    raise ValueError(f"no gain for {nonlinearity!r}")


def xavier_std(fan_in, fan_out, gain=1.0):
    """Var(w) = 2 / (fan_in + fan_out): a compromise between keeping the
    forward variance (1 / fan_in) and the backward one (1 / fan_out)."""
    return gain * math.sqrt(2.0 / (fan_in + fan_out))


def kaiming_std(fan, gain=RELU_GAIN):
    """Var(w) = gain² / fan; with the ReLU gain, 2 / fan_in."""
    return gain / math.sqrt(fan)


# --8<-- [end:formulas]


# --8<-- [start:fill]
# U(-a, a) has variance a² / 3, so the bound for a target std is √3 std.
@torch.no_grad()
def xavier_uniform_(w, gain=1.0):
    a = math.sqrt(3.0) * xavier_std(*fans(w), gain)  # √(6/(in+out))·gain
    return w.uniform_(-a, a)


@torch.no_grad()
def xavier_normal_(w, gain=1.0):
    return w.normal_(0.0, xavier_std(*fans(w), gain))


@torch.no_grad()
def kaiming_uniform_(w, nonlinearity="relu", mode="fan_in"):
    fan_in, fan_out = fans(w)
    fan = fan_in if mode == "fan_in" else fan_out
    a = math.sqrt(3.0) * kaiming_std(fan, gain(nonlinearity))
    return w.uniform_(-a, a)


@torch.no_grad()
def kaiming_normal_(w, nonlinearity="relu", mode="fan_in"):
    fan_in, fan_out = fans(w)
    fan = fan_in if mode == "fan_in" else fan_out
    return w.normal_(0.0, kaiming_std(fan, gain(nonlinearity)))


# --8<-- [end:fill]


# --8<-- [start:signal]
@torch.no_grad()
def relu_stack_variances(
    init_, width=256, depth=20, batch=64, device=None, dtype=torch.float64
):
    """Variance of y_l = W_l relu(y_{l-1}), l = 0..depth, for y_0 ~ N(0, 1).

    init_(w) fills each (width, width) weight in place; no biases.
    Returns a (depth + 1,) tensor. Each layer multiplies the variance by
    width · Var(w) / 2: 1 for He init, 1/2 for Xavier.
    """
    y = torch.randn(batch, width, device=device, dtype=dtype)
    variances = [y.var()]
    for _ in range(depth):
        w = init_(torch.empty(width, width, device=device, dtype=dtype))
        y = torch.relu(y) @ w.T  # (batch, width)
        variances.append(y.var())
    return torch.stack(variances)


# --8<-- [end:signal]
