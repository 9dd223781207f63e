"""Credit assignment over time: TD(λ) forward and backward views, and
potential-based reward shaping."""

import torch

from snippets.topics.rl.gae import gae
from snippets.topics.rl.gridworld import MDP


# --8<-- [start:views]
def forward_view(states, rewards, V, gamma, lam, alpha=1.0):
    """Offline λ-return update for one episode that ends in a terminal
    state: ΔV(s) = α Σ_{t: s_t = s} (G^λ_t − V(s_t)), V held fixed.

    states: (T,) state ids, rewards: (T,), V: (S,). Returns ΔV: (S,).
    G^λ_t − V(s_t) is exactly GAE's advantage with that λ.
    """
    values = torch.cat([V[states], V.new_zeros(1)])  # V(terminal) = 0
    dones = torch.zeros_like(rewards)
    adv, _ = gae(rewards, values, dones, gamma, lam)  # G^λ_t − V(s_t)
    return torch.zeros_like(V).index_add_(0, states, alpha * adv)


def backward_view(states, rewards, V, gamma, lam, alpha=1.0):
    """The same update built online with an accumulating trace:
    e ← γλ e + 1[s_t];  ΔV ← ΔV + α δ_t e. Returns ΔV: (S,)."""
    trace, dV = torch.zeros_like(V), torch.zeros_like(V)
    T = len(states)
    for t in range(T):
        s = states[t]
        v_next = V[states[t + 1]] if t + 1 < T else 0.0
        delta = rewards[t] + gamma * v_next - V[s]
        trace = gamma * lam * trace
        trace[s] += 1.0
        dV = dV + alpha * delta * trace  # every past state gets a share
    return dV


# --8<-- [end:views]


# --8<-- [start:shaping]
def shape_rewards(mdp, phi):
    """Potential-based shaping: R'(s, a) = R(s, a) + γ E[Φ(s')] − Φ(s).

    phi: (S,) any potential. The shaped MDP has V'* = V* − Φ and
    Q'* = Q* − Φ(s), so the same optimal policies.
    """
    R = mdp.R + mdp.gamma * mdp.P @ phi - phi[:, None]  # (S, A)
    return MDP(mdp.P, R, mdp.gamma, mdp.terminal, mdp.start, mdp.cells)


# --8<-- [end:shaping]
