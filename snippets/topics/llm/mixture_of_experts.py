"""Mixture-of-experts feed-forward layer: top-k routing with a capacity."""

import math

import torch
import torch.nn.functional as F
from torch import nn


# --8<-- [start:routing]
def route(logits, k):
    """Softmax router with top-k selection.

    logits: (N, E) for N tokens and E experts. Returns probs (N, E), the
    k chosen experts (N, k) and their gates (N, k): the chosen
    probabilities renormalised to sum to one for each token.
    """
    probs = logits.softmax(dim=-1)  # (N, E)
    top_p, experts = probs.topk(k, dim=-1)  # (N, k), largest first
    gates = top_p / top_p.sum(dim=-1, keepdim=True)  # (N, k)
    return probs, experts, gates


def load_balancing_loss(probs, experts):
    """Switch-Transformer auxiliary loss E · Σ_i f_i P_i.

    f_i: fraction of the N·k assignments that chose expert i (counted
    before capacity drops; not differentiable). P_i: mean router
    probability of expert i (differentiable). Equals 1 when both are
    uniform, and grows as routing concentrates on few experts.
    """
    E = probs.size(-1)
    f = F.one_hot(experts, E).to(probs.dtype).mean(dim=(0, 1))  # (E,)
    P = probs.mean(dim=0)  # (E,)
    return E * (f * P).sum()


def expert_capacity(n_tokens, n_experts, k, capacity_factor):
    """Slots per expert: ceil(capacity_factor · tokens · k / experts)."""
    return math.ceil(capacity_factor * n_tokens * k / n_experts)


# --8<-- [end:routing]


# --8<-- [start:module]
class MoE(nn.Module):
    """Replaces a transformer block's MLP with E expert MLPs; each token
    runs through k of them. The block adds the residual, so a token
    dropped by every chosen expert (output 0) passes through unchanged.
    """

    def __init__(
        self,
        d_model,
        d_ff,
        n_experts,
        k=2,
        capacity_factor=1.25,
        device=None,
        dtype=None,
    ):
        super().__init__()
        self.k, self.capacity_factor = k, capacity_factor
        kw = dict(device=device, dtype=dtype)
        self.router = nn.Linear(d_model, n_experts, bias=False, **kw)
        self.experts = nn.ModuleList(
            nn.Sequential(
                nn.Linear(d_model, d_ff, **kw),
                nn.GELU(),
                nn.Linear(d_ff, d_model, **kw),
            )
            for _ in range(n_experts)
        )

    def forward(self, x):
        """x: (B, T, C). Returns the expert mixture (B, T, C), the
        load-balancing loss and the number of (token, expert)
        assignments dropped for lack of capacity."""
        B, T, C = x.shape
        x = x.reshape(B * T, C)  # (N, C)
        N, E, k = B * T, len(self.experts), self.k
        probs, experts, gates = route(self.router(x), k)  # (N, E), (N, k)
        cap = expert_capacity(N, E, k, self.capacity_factor)

        # Queue the N·k assignments choice-major: every token's first
        # choice is served before any second choice, tokens in order.
        expert_of = experts.T.reshape(-1)  # (k·N,)
        gate_of = gates.T.reshape(-1)  # (k·N,)
        token_of = torch.arange(N, device=x.device).repeat(k)  # (k·N,)
        onehot = F.one_hot(expert_of, E)  # (k·N, E)
        slot = (onehot.cumsum(dim=0) * onehot).sum(dim=-1) - 1  # queue place
        kept = slot < cap  # (k·N,)

        out = torch.zeros_like(x)
        for e, expert in enumerate(self.experts):
            sel = kept & (expert_of == e)
            tok = token_of[sel]  # the tokens expert e processes
            out.index_add_(0, tok, gate_of[sel, None] * expert(x[tok]))
        aux = load_balancing_loss(probs, experts)
        return out.view(B, T, C), aux, (~kept).sum()


# --8<-- [end:module]
