"""A learned linear world model, and planning inside it (LQR)."""

import torch


# --8<-- [start:fit]
def fit_dynamics(x, u, x_next):
    """Least-squares model x' ≈ A x + B u from transitions.

    x, x_next: (N, n) states, u: (N, m) actions. Returns A: (n, n) and
    B: (n, m). Exact when the data are noise-free and [x, u] has rank
    n + m (N ≥ n + m varied transitions).
    """
    n = x.size(-1)
    inputs = torch.cat([x, u], dim=-1)  # (N, n + m)
    W = torch.linalg.lstsq(inputs, x_next).solution  # (n + m, n)
    return W[:n].T, W[n:].T


# --8<-- [end:fit]


# --8<-- [start:plan]
def plan_lqr(A, B, Q, R, T):
    """Finite-horizon LQR in the model: minimise Σ_t (xᵀQx + uᵀRu) +
    x_Tᵀ Q x_T. Backward Riccati recursion; returns the feedback gains
    K_0 .. K_{T−1} (u_t = −K_t x_t), each (m, n), and P_0 (n, n), the
    optimal cost-to-go x₀ᵀ P_0 x₀ predicted by the model."""
    P, gains = Q, []
    for _ in range(T):
        K = torch.linalg.solve(R + B.T @ P @ B, B.T @ P @ A)  # (m, n)
        P = Q + K.T @ R @ K + (A - B @ K).T @ P @ (A - B @ K)
        gains.append(K)
    return gains[::-1], P


def rollout_cost(A, B, Q, R, gains, x0):
    """Cost of running the gains in the system (A, B) from x0: (n,)."""
    x, cost = x0, 0.0
    for K in gains:
        u = -K @ x
        cost = cost + x @ Q @ x + u @ R @ u
        x = A @ x + B @ u
    return cost + x @ Q @ x


# --8<-- [end:plan]
