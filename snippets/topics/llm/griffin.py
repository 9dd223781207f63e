"""Griffin's two temporal mixers: the RG-LRU recurrence and local attention."""

import math

import torch
import torch.nn.functional as F
from torch import nn


# --8<-- [start:scan]
def sequential_scan(a, b, h0=None):
    """h_t = a_t ⊙ h_{t-1} + b_t, one step at a time.

    a, b: (B, T, C); h0: (B, C) or None (zeros). Returns h: (B, T, C).
    """
    h = torch.zeros_like(b[:, 0]) if h0 is None else h0
    hs = []
    for t in range(b.size(1)):
        h = a[:, t] * h + b[:, t]  # (B, C)
        hs.append(h)
    return torch.stack(hs, dim=1)


def associative_scan(a, b, h0=None):
    """The same h in ⌈log₂ T⌉ parallel steps (Hillis-Steele).

    Step (a₁, b₁) followed by step (a₂, b₂) is the single step
    (a₂a₁, a₂b₁ + b₂). That composition is associative, so after round k
    position t holds the composition of the 2^k steps ending at t.
    """
    if h0 is not None:  # fold the initial state into the first step
        b = torch.cat([a[:, :1] * h0[:, None] + b[:, :1], b[:, 1:]], 1)
    T, shift = b.size(1), 1
    while shift < T:
        a_prev = F.pad(a[:, :-shift], (0, 0, shift, 0), value=1.0)
        b_prev = F.pad(b[:, :-shift], (0, 0, shift, 0), value=0.0)
        a, b = a * a_prev, a * b_prev + b
        shift *= 2
    return b


# --8<-- [end:scan]


# --8<-- [start:rglru]
class RGLRU(nn.Module):
    """Real-Gated Linear Recurrent Unit on x: (B, T, C).

    r_t = σ(W_a x_t), i_t = σ(W_x x_t), a_t = σ(Λ)^(c r_t),
    h_t = a_t ⊙ h_{t-1} + √(1 - a_t²) ⊙ (i_t ⊙ x_t).
    """

    def __init__(self, d_model, c=8.0, device=None, dtype=None):
        super().__init__()
        kw = dict(device=device, dtype=dtype)
        self.gate_a = nn.Linear(d_model, d_model, **kw)  # recurrence gate
        self.gate_x = nn.Linear(d_model, d_model, **kw)  # input gate
        # σ(Λ)^c uniform in [0.9, 0.999]: long memories from the start.
        a_c = torch.empty(d_model, **kw).uniform_(0.9, 0.999)
        self.Lambda = nn.Parameter(torch.logit(a_c ** (1 / c)))
        self.c = c

    def coefficients(self, x):
        """a_t in (0, 1) and the gated, normalised input b_t: (B, T, C)."""
        r = torch.sigmoid(self.gate_a(x))
        i = torch.sigmoid(self.gate_x(x))
        # log a = c r log σ(Λ) = -c r softplus(-Λ) < 0, so 0 < a < 1.
        log_a = -self.c * r * F.softplus(-self.Lambda)
        # √(1 - a²) = √(-expm1(2 log a)): exact even when a is near 1.
        scale = torch.sqrt(-torch.expm1(2 * log_a))
        return log_a.exp(), scale * (i * x)

    def forward(self, x, h0=None):
        a, b = self.coefficients(x)
        return associative_scan(a, b, h0)  # (B, T, C)


# --8<-- [end:rglru]


# --8<-- [start:local]
def local_attention(q, k, v, window):
    """Causal sliding-window attention: query t sees keys t-window+1..t.

    q, k, v: (B, nh, T, hs) -> (B, nh, T, hs). Scores are (T, window),
    not (T, T): memory and time grow linearly in T.
    """
    T, hs = q.shape[-2:]
    pad = window - 1  # keys "before position 0", masked below
    k_win = F.pad(k, (0, 0, pad, 0)).unfold(2, window, 1)  # (B,nh,T,hs,w)
    v_win = F.pad(v, (0, 0, pad, 0)).unfold(2, window, 1)  # (B,nh,T,hs,w)
    scores = (q.unsqueeze(-2) @ k_win).squeeze(-2) / math.sqrt(hs)  # (.,T,w)
    t = torch.arange(T, device=q.device)[:, None]
    slot = torch.arange(window, device=q.device)
    scores = scores.masked_fill(t + slot < pad, float("-inf"))
    weights = torch.softmax(scores, dim=-1)  # (B, nh, T, w)
    return (v_win @ weights.unsqueeze(-1)).squeeze(-1)


# --8<-- [end:local]
