"""Exact policy evaluation: the Bellman expectation equation as a solve."""

import torch


# --8<-- [start:solve]
def policy_matrices(mdp, policy):
    """Collapse the MDP under a policy: P_π (S, S) and r_π (S,).

    policy: (S, A) rows of action probabilities π(a | s).
    """
    P_pi = torch.einsum("sa,sat->st", policy, mdp.P)  # (S, S)
    r_pi = (policy * mdp.R).sum(-1)  # (S,)
    return P_pi, r_pi


def evaluate_exactly(mdp, policy):
    """V_π = (I − γ P_π)⁻¹ r_π with one linear solve, O(S³).

    γ < 1 makes I − γ P_π invertible: P_π is row-stochastic, so the
    eigenvalues of γ P_π have modulus at most γ.
    """
    P_pi, r_pi = policy_matrices(mdp, policy)
    eye = torch.eye(len(r_pi), dtype=P_pi.dtype, device=P_pi.device)
    return torch.linalg.solve(eye - mdp.gamma * P_pi, r_pi)  # (S,)


def occupancy(mdp, policy, start):
    """Discounted state visits d(s) = Σ_t γ^t P(s_t = s | s_0 = start):
    d = (I − γ P_πᵀ)⁻¹ e_start, so that V_π(start) = d · r_π."""
    P_pi, _ = policy_matrices(mdp, policy)
    eye = torch.eye(len(P_pi), dtype=P_pi.dtype, device=P_pi.device)
    return torch.linalg.solve(eye - mdp.gamma * P_pi.T, eye[start])  # (S,)


# --8<-- [end:solve]
