import math

import torch

from snippets.rounds.system_design import (
    H100,
    decode_step_seconds,
    dense_params,
    kv_cache_bytes,
    plan_training,
    prefill_seconds,
    ring_all_reduce_seconds,
    training_memory_bytes,
)
from snippets.topics.llm.kv_cache import KVCache
from snippets.topics.llm.tiny_gpt import TinyGPT


def test_dense_params_against_a_real_model(device):
    L, d, V, T = 2, 64, 50, 16
    model = TinyGPT(V, T, d, n_heads=4, n_layers=L, device=device)
    counted = sum(p.numel() for p in model.parameters())  # tied: counted once
    # What the 12 L d^2 + V d rule leaves out, by hand: per layer the
    # Q, K, V, O biases (4d), MLP biases (4d + d) and two LayerNorms (4d)
    # = 13d; then the position table (T d) and the final LayerNorm (2d).
    left_out = 13 * d * L + T * d + 2 * d
    assert counted - dense_params(L, d, V) == left_out


def test_kv_cache_bytes_match_allocated_tensors(device):
    L, n_kv, hs, T, B = 3, 2, 8, 20, 4
    caches = [KVCache(B, n_kv, T, hs, device=device, dtype=torch.bfloat16) for _ in range(L)]
    allocated = sum(t.numel() * t.element_size() for c in caches for t in (c.k, c.v))
    assert kv_cache_bytes(L, n_kv, hs, T, B, nbytes=2) == allocated


def test_kv_cache_of_known_models():
    # Llama-2-7B (32 layers, 32 KV heads of 128): 0.5 MiB per token in bf16.
    assert kv_cache_bytes(32, 32, 128, 1, 1) == 2**19
    # A 70B model with GQA (80 layers, 8 KV heads of 128): 320 KiB per token.
    assert kv_cache_bytes(80, 8, 128, 1, 1) == 320 * 2**10


def test_training_memory_is_sixteen_bytes_per_param_unsharded():
    assert training_memory_bytes(7e9, 0, 64) == 16 * 7e9
    assert math.isclose(training_memory_bytes(7e9, 3, 64), 16 * 7e9 / 64)


def test_ring_all_reduce_closed_forms():
    n = 14e9
    assert ring_all_reduce_seconds(n, 1, 50e9) == 0.0
    assert math.isclose(ring_all_reduce_seconds(n, 2, 50e9), n / 50e9)
    # The limit 2 n / bw as p grows: within 1/p of it at p = 1024.
    assert math.isclose(ring_all_reduce_seconds(n, 1024, 50e9), 2 * n / 50e9, rel_tol=1e-3)


def test_decode_roofline_crossover():
    n = 7e9
    # Batch 1 is memory-bound: 14 GB read at 3.35 TB/s is 4.18 ms.
    assert math.isclose(decode_step_seconds(n, 1, H100), 14e9 / 3.35e12)
    # The two bounds meet at batch = peak FLOP/s / bandwidth (bf16).
    ridge = H100["bf16_flops"] / H100["hbm_bw"]  # about 295
    memory_time = 2 * n / H100["hbm_bw"]
    assert math.isclose(2 * n * ridge / H100["bf16_flops"], memory_time)
    assert decode_step_seconds(n, 1024, H100) > memory_time
    assert math.isclose(decode_step_seconds(n, 1024, H100), 2 * n * 1024 / 989e12)
    # Tensor parallelism over 4 GPUs divides the memory-bound step by 4.
    assert math.isclose(
        decode_step_seconds(n, 1, H100, n_gpus=4),
        decode_step_seconds(n, 1, H100) / 4,
    )


def test_prefill_by_hand():
    # 70B, 2,000-token prompt, 4 GPUs at 50 % MFU: 2.8e14 / 1.978e15 s.
    t = prefill_seconds(70e9, 2000, H100, n_gpus=4, mfu=0.5)
    assert math.isclose(t, 2.8e14 / (4 * 989e12 * 0.5))


def test_plan_training_worked_case():
    plan = plan_training(7e9, 1e12, 64)
    assert math.isclose(plan["flops"], 4.2e22)
    days = 4.2e22 / (64 * 989e12 * 0.4) / 86_400
    assert math.isclose(plan["days"], days)  # about 19.2 days
    assert math.isclose(plan["ddp_gb"], 112.0)
    assert math.isclose(plan["fsdp_gb"], 1.75)
    assert math.isclose(plan["all_reduce_s"], 2 * 63 / 64 * 14e9 / 50e9)
