"""Sequence models from scratch: an LSTM, a vanilla RNN's vanishing
gradient, and a causal dilated convolution's receptive field."""

import torch
from torch import nn


# --8<-- [start:lstm]
def lstm_cell(x, h, c, W_ih, W_hh, b_ih, b_hh):
    """One LSTM step. x: (B, I), h, c: (B, H) -> (h, c).

    W_ih: (4H, I), W_hh: (4H, H), biases (4H,), gates stacked in
    PyTorch's order: input, forget, cell candidate, output.
    """
    gates = x @ W_ih.T + b_ih + h @ W_hh.T + b_hh  # (B, 4H)
    i, f, g, o = gates.chunk(4, dim=1)
    i, f, o = i.sigmoid(), f.sigmoid(), o.sigmoid()
    c = f * c + i * g.tanh()  # additive path: the gradient highway
    h = o * c.tanh()
    return h, c


def lstm(x, W_ih, W_hh, b_ih, b_hh):
    """Run lstm_cell over x: (B, T, I) from zero state -> (B, T, H)."""
    B, T, _ = x.shape
    H = W_hh.size(1)
    h = c = x.new_zeros(B, H)
    outputs = []
    for t in range(T):
        h, c = lstm_cell(x[:, t], h, c, W_ih, W_hh, b_ih, b_hh)
        outputs.append(h)
    return torch.stack(outputs, dim=1)


# --8<-- [end:lstm]


# --8<-- [start:rnn]
def rnn_hidden_gradient(W_hh, T, device=None, dtype=torch.float64):
    """‖∂h_T/∂h_0‖₂ for h_t = tanh(W_hh h_{t−1}) with zero input.

    The Jacobian is the product Π_t diag(1 − h_t²) W_hh, so its norm is
    at most ‖W_hh‖₂^T: it vanishes geometrically when ‖W_hh‖₂ < 1.
    """
    H = W_hh.size(0)
    h0 = torch.full((H,), 0.5, device=device, dtype=dtype)
    J = torch.autograd.functional.jacobian(
        lambda h: _unroll(W_hh, h, T), h0
    )  # (H, H)
    return torch.linalg.matrix_norm(J, ord=2).item()


def _unroll(W_hh, h, T):
    for _ in range(T):
        h = torch.tanh(W_hh @ h)
    return h


# --8<-- [end:rnn]


# --8<-- [start:causal_conv]
class CausalConvStack(nn.Module):
    """Dilated causal 1-D convolutions (WaveNet/TCN style).

    x: (B, C, T) -> (B, C, T); output t sees inputs t − R + 1 … t, with
    receptive field R = 1 + (kernel_size − 1) · Σ dilations.
    """

    def __init__(self, C, kernel_size, dilations, device=None):
        super().__init__()
        self.pads = [(kernel_size - 1) * d for d in dilations]
        self.convs = nn.ModuleList(
            nn.Conv1d(C, C, kernel_size, dilation=d, device=device)
            for d in dilations
        )

    def forward(self, x):
        for pad, conv in zip(self.pads, self.convs, strict=True):
            x = torch.tanh(conv(nn.functional.pad(x, (pad, 0))))  # left pad
        return x


def receptive_field(kernel_size, dilations):
    return 1 + (kernel_size - 1) * sum(dilations)


# --8<-- [end:causal_conv]
