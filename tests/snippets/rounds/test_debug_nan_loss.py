import math

import torch

from snippets.rounds.debug_nan_loss import (
    LOG_FP16_MAX,
    buggy_cross_entropy,
    fixed_cross_entropy,
    make_data,
    train,
)

# float16 keeps 11 significant bits, so each exp in the sum is off by at most
# 2^-11 relative and the log-sum-exp at which the sum overflows is known to
# about 5e-4; 0.01 is a comfortable margin either side of ln(65504).
MARGIN = 0.01


def test_buggy_loss_turns_nan_once_logits_pass_log_fp16_max(device):
    losses, peaks = train(buggy_cross_entropy, device=device)
    step = len(losses) - 1  # train stops at the first non-finite loss
    assert not math.isfinite(losses[step])
    assert 10 <= step < 60  # not at the start: 26 on the CPU
    # Until then training looked healthy: the loss fell by over 100x.
    assert all(math.isfinite(v) for v in losses[:step])
    assert losses[step - 1] < losses[0] / 100
    # The model itself is fine (finite logits); the loss overflowed.
    assert math.isfinite(peaks[step])
    assert max(peaks[:step]) < LOG_FP16_MAX + MARGIN
    assert peaks[step] > LOG_FP16_MAX - MARGIN


def test_fixed_loss_stays_finite_through_the_same_logits(device):
    losses, peaks = train(fixed_cross_entropy, device=device)
    assert len(losses) == 60 and all(math.isfinite(v) for v in losses)
    assert max(peaks) > LOG_FP16_MAX + 0.5  # past the point that broke it
    assert losses[-1] < losses[0] / 100


def test_both_losses_agree_while_the_logits_are_small(device):
    # Same function in exact arithmetic: at initialisation the two losses
    # differ only by float16 rounding (11 bits: about 1e-3 relative).
    _, y = make_data(device=device)
    logits = (2 * torch.randn(len(y), 4, device=device)).half()  # (N, 4)
    assert logits.float().logsumexp(-1).max() < LOG_FP16_MAX - 1
    a = buggy_cross_entropy(logits, y).item()
    b = fixed_cross_entropy(logits, y).item()
    assert abs(a - b) < 2e-3 * abs(b)
