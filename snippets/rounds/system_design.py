"""Back-of-envelope arithmetic for the ML system design round.

Units live in the names: bytes, seconds, FLOPs. Hardware figures are the
vendor's dense peaks; a real job reaches a fraction of them (MFU for
compute, roughly 70-90 % of peak for bandwidth).
"""

from snippets.rounds.talk_compute import training_flops, wall_clock_days
from snippets.topics.distributed.fsdp import zero_bytes_per_param

# --8<-- [start:hardware]
# One H100 SXM: dense bf16 FLOP/s, HBM capacity and bandwidth, NVLink
# bandwidth per direction, and one 400 Gb/s InfiniBand NIC per GPU.
H100 = dict(
    bf16_flops=989e12,
    hbm_bytes=80e9,
    hbm_bw=3.35e12,
    nvlink_bw=450e9,
    ib_bw=50e9,
)
# --8<-- [end:hardware]


# --8<-- [start:estimates]
def dense_params(n_layers, d_model, vocab_size):
    """Weights of a GPT-style decoder with a tied embedding: per layer
    4 d^2 (Q, K, V, O) + 8 d^2 (MLP, 4x hidden); biases, norms and
    position tables are O(d) and left out."""
    return 12 * n_layers * d_model**2 + vocab_size * d_model


def kv_cache_bytes(n_layers, n_kv_heads, d_head, seq_len, batch, nbytes=2):
    """Keys and values of every layer: 2 * L * n_kv * hs * T * B * nbytes."""
    return 2 * n_layers * n_kv_heads * d_head * seq_len * batch * nbytes


def training_memory_bytes(n_params, zero_stage, world_size):
    """Weights, grads and Adam states per GPU (activations excluded):
    16 bytes/param unsharded (stage 0 = plain DDP)."""
    return n_params * zero_bytes_per_param(zero_stage, world_size)


def ring_all_reduce_seconds(n_bytes, world_size, link_bw):
    """A ring all-reduce sends (and receives) 2 (p - 1) / p of the
    buffer per rank, so its time barely grows with p."""
    p = world_size
    return 2 * (p - 1) / p * n_bytes / link_bw


def decode_step_seconds(n_params, batch, gpu, n_gpus=1, kv_bytes=0):
    """One decoding step (bf16 weights): the slower of reading weights
    and KV cache once, and doing 2 N FLOPs per sequence (a roofline)."""
    memory = (2 * n_params + kv_bytes) / (n_gpus * gpu["hbm_bw"])
    compute = 2 * n_params * batch / (n_gpus * gpu["bf16_flops"])
    return max(memory, compute)


def prefill_seconds(n_params, n_tokens, gpu, n_gpus=1, mfu=0.5):
    """Prompt processing is compute-bound: 2 N FLOPs per prompt token."""
    return 2 * n_params * n_tokens / (n_gpus * gpu["bf16_flops"] * mfu)


# --8<-- [end:estimates]


# --8<-- [start:plan]
def plan_training(n_params, n_tokens, n_gpus, gpu=H100, mfu=0.4):
    """The numbers to say out loud before designing a training run."""
    flops = training_flops(n_params, n_tokens)
    return dict(
        flops=flops,
        days=wall_clock_days(flops, n_gpus, gpu["bf16_flops"], mfu),
        ddp_gb=training_memory_bytes(n_params, 0, n_gpus) / 1e9,
        fsdp_gb=training_memory_bytes(n_params, 3, n_gpus) / 1e9,
        # bf16 gradients all-reduced over the inter-node links
        all_reduce_s=ring_all_reduce_seconds(
            2 * n_params, n_gpus, gpu["ib_bw"]
        ),
    )


# --8<-- [end:plan]
