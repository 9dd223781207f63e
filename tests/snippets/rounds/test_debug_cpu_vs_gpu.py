import pytest
import torch
import torch.nn.functional as F

from snippets.rounds.debug_cpu_vs_gpu import (
    buggy_per_class_loss,
    fixed_per_class_loss,
    round_to_tf32,
)

K = 4


@pytest.fixture
def batch(device):
    logits = torch.randn(64, K, device=device)
    y = torch.arange(64, device=device) % K  # 16 examples per class
    losses = F.cross_entropy(logits, y, reduction="none")
    reference = torch.stack([losses[y == c].mean() for c in range(K)])
    return logits, y, reference


def memory_holds(monkeypatch, value):
    """Make torch.empty return memory that still holds `value`.

    This is what the CUDA caching allocator does when it reuses a block
    freed by a tensor full of `value`; the test sets it up on purpose
    instead of waiting for it to happen.
    """
    real_empty = torch.empty

    def empty(*size, **kwargs):
        return real_empty(*size, **kwargs).fill_(value)

    monkeypatch.setattr(torch, "empty", empty)


def test_fixed_matches_a_loop_whatever_the_memory_held(batch, monkeypatch):
    logits, y, reference = batch
    torch.testing.assert_close(fixed_per_class_loss(logits, y, K), reference)
    memory_holds(monkeypatch, 100.0)
    torch.testing.assert_close(fixed_per_class_loss(logits, y, K), reference)


def test_buggy_is_right_when_the_memory_happens_to_be_zero(batch, monkeypatch):
    logits, y, reference = batch
    memory_holds(monkeypatch, 0.0)
    torch.testing.assert_close(buggy_per_class_loss(logits, y, K), reference)


def test_buggy_adds_whatever_the_memory_held(batch, monkeypatch):
    logits, y, reference = batch
    stale = 100.0
    memory_holds(monkeypatch, stale)
    out = buggy_per_class_loss(logits, y, K)
    # Hand-worked: both sums start at 100, so each class mean m becomes
    # (100 + 16 m) / (100 + 16); m near ln 4 gives errors of tens of percent.
    torch.testing.assert_close(out, (stale + 16 * reference) / (stale + 16))
    assert ((out - reference).abs() / reference).min() > 0.1  # 0.35 on the CPU


def test_round_to_tf32_hand_cases(device):
    u = 2.0**-11  # half a unit in TF32's last place, relative to 1
    x = torch.tensor([1 + u / 2, 1 + u, 1 + 3 * u, -(1 + u), 0.0], device=device)
    expected = torch.tensor([1.0, 1 + 2 * u, 1 + 4 * u, -(1 + 2 * u), 0.0], device=device)
    assert torch.equal(round_to_tf32(x), expected)
    r = torch.randn(10_000, device=device)
    assert ((round_to_tf32(r) - r).abs() / r.abs()).max() <= u


def test_tf32_error_is_three_orders_below_the_bug(device):
    # Triage by size: rounding matmul inputs to TF32 moves a 64x256x64
    # product by about 3e-4 relative; the stale-memory bug moves the
    # per-class loss by over 1e-1.
    a = torch.randn(64, 256, device=device)
    b = torch.randn(256, 64, device=device)
    exact = a.double() @ b.double()
    tf32 = round_to_tf32(a).double() @ round_to_tf32(b).double()
    rel = ((tf32 - exact).norm() / exact.norm()).item()
    assert 1e-4 < rel < 1e-3  # bounded by 2 * 2^-11 ≈ 9.8e-4
