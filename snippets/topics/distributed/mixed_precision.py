"""Floating-point formats for training, fp16 loss scaling, fp32 master
weights, and the bytes per parameter of mixed-precision Adam."""

import torch

# --8<-- [start:formats]
# (exponent bits, mantissa bits); one sign bit on top.
FORMATS = {
    torch.float32: (8, 23),
    torch.float16: (5, 10),
    torch.bfloat16: (8, 7),
}


def format_limits(exp_bits, man_bits):
    """Range and resolution of a binary float with the given field widths.

    The all-ones exponent is kept for inf/nan, so the largest exponent is
    the bias, and the smallest normal one is 1 - bias.
    """
    bias = 2 ** (exp_bits - 1) - 1
    eps = 2.0**-man_bits  # gap between 1 and the next float
    return {
        "max": (2 - eps) * 2.0**bias,  # 1.11…1 × 2^bias
        "smallest_normal": 2.0 ** (1 - bias),
        "smallest_subnormal": 2.0 ** (1 - bias) * eps,
        "eps": eps,
    }


# --8<-- [end:formats]


# --8<-- [start:scaling]
def unscaled_grads(loss_fn, params, scale):
    """Backward of scale · loss, then gradients / scale in float32.

    loss_fn() returns a float32 scalar computed from fp16 activations;
    params may be fp16. Returns (grads in fp32, all finite?).
    """
    for p in params:
        p.grad = None
    (loss_fn() * scale).backward()  # every gradient is scale× larger
    grads = [p.grad.float() / scale for p in params]  # unscale in fp32
    finite = all(bool(torch.isfinite(g).all()) for g in grads)
    return grads, finite


def update_scale(scale, good_steps, found_inf, growth_interval=2000):
    """Dynamic loss scaling: halve on overflow (and skip that step),
    double after growth_interval overflow-free steps in a row."""
    if found_inf:
        return scale / 2, 0
    if good_steps + 1 == growth_interval:
        return scale * 2, 0
    return scale, good_steps + 1


# --8<-- [end:scaling]


# --8<-- [start:master]
def apply_updates(w0, update, steps, dtype):
    """Add `update` to a weight `steps` times, storing it in `dtype`.

    Shows why the optimiser keeps fp32 master weights: in bf16 an update
    below half the gap between neighbouring floats rounds away each time.
    """
    w = torch.tensor(w0, dtype=dtype)
    for _ in range(steps):
        w = w + torch.tensor(update, dtype=dtype)
    return w.item()


def training_state_bytes(model, opt):
    """Bytes of parameters, gradients and optimiser state per parameter.

    Scalar bookkeeping (Adam's step counter) is left out.
    """
    params = list(model.parameters())
    total = sum(p.numel() * p.element_size() for p in params)
    total += sum(p.grad.numel() * p.grad.element_size() for p in params)
    for state in opt.state.values():
        for t in state.values():
            if torch.is_tensor(t) and t.dim() > 0:
                total += t.numel() * t.element_size()
    return total / sum(p.numel() for p in params)


# --8<-- [end:master]
