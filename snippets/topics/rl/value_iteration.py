"""Iterative policy evaluation and value iteration on a tabular MDP."""

import torch


# --8<-- [start:dp]
def q_from_v(mdp, V):
    """Q(s, a) = R(s, a) + γ Σ_s' p(s'|s, a) V(s').  V: (S,) -> (S, A)."""
    return mdp.R + mdp.gamma * mdp.P @ V  # (S, A, S) @ (S,) -> (S, A)


def policy_evaluation(mdp, policy, tol=1e-10, max_iters=100_000):
    """V_π by repeated Bellman expectation backups.

    policy: (S, A) action probabilities. Returns V: (S,).
    """
    P_pi = (policy[:, :, None] * mdp.P).sum(dim=1)  # (S, S)
    r_pi = (policy * mdp.R).sum(-1)  # (S,)
    V = torch.zeros_like(r_pi)
    for _ in range(max_iters):
        V_new = r_pi + mdp.gamma * P_pi @ V
        if (V_new - V).abs().max() < tol:
            return V_new
        V = V_new
    raise RuntimeError("policy evaluation did not converge")


def value_iteration(mdp, tol=1e-10, max_iters=100_000):
    """V* by repeated Bellman optimality backups.

    Returns V: (S,) and the greedy deterministic policy: (S,) action ids.
    Stopping when ‖V_k+1 − V_k‖∞ < tol guarantees the greedy policy is
    within 2γ·tol / (1 − γ) of optimal.
    """
    V = torch.zeros(mdp.R.size(0), dtype=mdp.R.dtype, device=mdp.R.device)
    for _ in range(max_iters):
        V_new = q_from_v(mdp, V).max(dim=-1).values
        if (V_new - V).abs().max() < tol:
            return V_new, q_from_v(mdp, V_new).argmax(dim=-1)
        V = V_new
    raise RuntimeError("value iteration did not converge")


# --8<-- [end:dp]
