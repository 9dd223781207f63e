import pytest
import torch
import torch.nn.functional as F

from snippets.topics.llm.attention import attention
from snippets.topics.llm.griffin import RGLRU, associative_scan, local_attention, sequential_scan

F64 = torch.float64


def cumprod_scan(a, b):
    """Closed form h_t = P_t Σ_{s<=t} b_s / P_s with P_t = Π_{r<=t} a_r (h0 = 0)."""
    P = torch.cumprod(a, dim=1)
    return P * torch.cumsum(b / P, dim=1)


@pytest.mark.parametrize("T", [1, 2, 7, 16, 33])
def test_associative_scan_matches_sequential_and_closed_form(T, device):
    a = torch.rand(3, T, 5, device=device, dtype=F64) * 0.5 + 0.5  # a in (0.5, 1): P_t >= 2^-33
    b = torch.randn(3, T, 5, device=device, dtype=F64)
    h_seq = sequential_scan(a, b)
    torch.testing.assert_close(associative_scan(a, b), h_seq, atol=1e-12, rtol=0)
    torch.testing.assert_close(cumprod_scan(a, b), h_seq, atol=1e-10, rtol=0)


def test_initial_state_is_carried(device):
    a = torch.rand(2, 9, 4, device=device, dtype=F64)
    b = torch.randn(2, 9, 4, device=device, dtype=F64)
    h0 = torch.randn(2, 4, device=device, dtype=F64)
    # Running two halves, the second from the first's last state, equals one run.
    first = sequential_scan(a[:, :5], b[:, :5])
    second = associative_scan(a[:, 5:], b[:, 5:], h0=first[:, -1])
    torch.testing.assert_close(
        torch.cat([first, second], 1), sequential_scan(a, b), atol=1e-12, rtol=0
    )
    torch.testing.assert_close(
        associative_scan(a, b, h0), sequential_scan(a, b, h0), atol=1e-12, rtol=0
    )


def test_rglru_decay_is_in_the_unit_interval_and_matches_its_formula(device):
    lru = RGLRU(6, device=device, dtype=F64)
    x = 10 * torch.randn(2, 50, 6, device=device, dtype=F64)  # large inputs saturate the gates
    a, _ = lru.coefficients(x)
    assert a.min() > 0 and a.max() < 1
    r = torch.sigmoid(lru.gate_a(x))
    expected = torch.sigmoid(lru.Lambda) ** (lru.c * r)
    torch.testing.assert_close(a, expected, atol=1e-14, rtol=0)
    # At r = 1 the decay is the initialised σ(Λ)^c, drawn in [0.9, 0.999].
    a_full = torch.sigmoid(lru.Lambda) ** lru.c
    assert a_full.min() >= 0.9 - 1e-12 and a_full.max() <= 0.999 + 1e-12


def test_rglru_forward_matches_sequential_scan(device):
    lru = RGLRU(8, device=device, dtype=F64)
    x = torch.randn(2, 20, 8, device=device, dtype=F64)
    a, b = lru.coefficients(x)
    torch.testing.assert_close(lru(x), sequential_scan(a, b), atol=1e-12, rtol=0)


def test_sqrt_one_minus_a_squared_preserves_unit_variance(device):
    # For a constant a the map x -> h_T is linear, h_T = Σ_s w_s x_s with
    # w_s = a^(T-1-s) √(1-a²). With i.i.d. unit-variance inputs Var(h_T) = Σ w_s²
    # = 1 - a^(2T): the normalisation keeps the state's variance at most 1.
    T = 40
    for a_value in (0.5, 0.9, 0.99):
        a = torch.full((T, 1, T), a_value, device=device, dtype=F64)
        scale = (1 - a_value**2) ** 0.5
        impulses = torch.eye(T, device=device, dtype=F64)[:, :, None] * scale  # batch of T impulses
        w = sequential_scan(a.transpose(1, 2), impulses)[:, -1, 0]  # response of h_T to each x_s
        expected = 1 - a_value ** (2 * T)
        assert abs((w**2).sum().item() - expected) < 1e-12


def band_mask(T, window, device):
    i = torch.arange(T, device=device)[:, None]
    j = torch.arange(T, device=device)[None, :]
    return (j <= i) & (j > i - window)


@pytest.mark.parametrize("T,window", [(1, 1), (9, 1), (9, 3), (16, 5), (6, 6)])
def test_local_attention_matches_sdpa_with_band_mask(T, window, device):
    q, k, v = (torch.randn(2, 3, T, 8, device=device) for _ in range(3))
    expected = F.scaled_dot_product_attention(q, k, v, attn_mask=band_mask(T, window, device))
    torch.testing.assert_close(local_attention(q, k, v, window), expected, atol=1e-5, rtol=0)


def test_window_at_least_T_is_causal_attention(device):
    q, k, v = (torch.randn(1, 2, 7, 4, device=device) for _ in range(3))
    full, _ = attention(q, k, v, causal=True)
    torch.testing.assert_close(local_attention(q, k, v, window=7), full, atol=1e-5, rtol=0)
    torch.testing.assert_close(local_attention(q, k, v, window=20), full, atol=1e-5, rtol=0)
