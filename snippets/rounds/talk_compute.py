"""Compute arithmetic for a research talk: tokens, FLOPs, wall-clock.

A talk that says "we trained for 6,000 steps" invites the follow-up "so
how many tokens, how many FLOPs, how long?". These three functions are
the answer; keep the units in the names.
"""

SECONDS_PER_DAY = 86_400


# --8<-- [start:compute]
def tokens_seen(seq_len, global_batch, steps):
    """Training tokens: sequence length x sequences per step x steps."""
    return seq_len * global_batch * steps


def training_flops(n_params, n_tokens):
    """Dense-transformer training FLOPs, about 6 N D.

    Forward: 2 FLOPs (a multiply and an add) per parameter per token;
    backward: twice the forward (gradients of inputs and of weights).
    Ignores attention's T^2 term, small while T << 12 d_model.
    """
    return 6 * n_params * n_tokens


def wall_clock_days(flops, n_gpus, peak_flops_per_gpu, mfu):
    """Days to spend `flops` at a model-FLOPs utilisation `mfu` in (0, 1].

    peak_flops_per_gpu: dense FLOP/s of one accelerator in the training
    dtype (e.g. 312e12 for an A100 in bf16).
    """
    achieved = n_gpus * peak_flops_per_gpu * mfu  # FLOP/s
    return flops / achieved / SECONDS_PER_DAY


def tokens_per_second_per_gpu(n_params, peak_flops_per_gpu, mfu):
    """Throughput that the same MFU implies: peak x MFU / (6 N)."""
    return peak_flops_per_gpu * mfu / (6 * n_params)


# --8<-- [end:compute]
