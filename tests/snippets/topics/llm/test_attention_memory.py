import pytest
import torch

from snippets.topics.llm.attention_memory import LiveBytes, memory_table, peak_extra_bytes


def allocate_and_free(x):
    y = x * 2  # +1 buffer
    z = y + 1  # +1 buffer: two live, the peak
    del y  # -1 buffer
    z.view(-1)[:5].add_(1)  # a view and an in-place op allocate nothing
    w = z.clone()  # +1 buffer: two live again
    return w.sum()  # + one float


def test_live_bytes_counts_a_hand_worked_case(device):
    x = torch.randn(1024, device=device)  # 4096 bytes, allocated outside: not counted
    with torch.no_grad(), LiveBytes() as tracker:
        result = allocate_and_free(x)
        assert tracker.live == 4  # only the returned scalar is still alive
        del result
        assert tracker.live == 0  # the finalizer ran when the scalar was freed
    assert tracker.peak == 2 * 4096 + 4  # z and w, plus the 4-byte sum


def test_peak_extra_bytes_hand_worked_case(device):
    x = torch.randn(1024, device=device)
    peak = peak_extra_bytes(allocate_and_free, x)
    # On CUDA the caching allocator rounds every block up to 512 bytes.
    assert peak == (2 * 4096 + (512 if device.type == "cuda" else 4))


def test_naive_grows_quadratically_and_tiled_linearly(device):
    rows = memory_table(Ts=(128, 256, 512), hs=64, block=64, device=device)
    (_, n1, t1), (_, n2, t2), (_, n3, t3) = rows
    # Naive: the (T, T) score matrices dominate, so each doubling of T costs 4x.
    # A linear term (the output, T x hs) pulls the ratio just below 4: allow 3%.
    assert n2 / n1 == pytest.approx(4, rel=0.03) and n3 / n2 == pytest.approx(4, rel=0.03)
    # Tiled: a fixed workspace for one (block_q, block_k) tile plus a part linear in T
    # (output and log-sum-exp). The fixed part cancels in differences, which double
    # with T; the ratio of peaks stays below 2 and tends to 2 as T grows.
    assert (t3 - t2) / (t2 - t1) == pytest.approx(2, rel=0.05)
    assert 1 < t2 / t1 < t3 / t2 <= 2
    # The linear part is the output and the log-sum-exp, (hs + 1) floats per query.
    assert t3 - t2 == pytest.approx(256 * (64 + 1) * 4, rel=0.05)
    # At 512 tokens the naive pass already needs > 10x the tiled one.
    assert n3 > 10 * t3
