"""Off-policy evaluation by importance sampling: bandits and trajectories."""

import torch


# --8<-- [start:ope]
def importance_sampling(actions, rewards, pi_target, pi_behaviour):
    """Estimate the target policy's value from behaviour-policy data.

    actions: (N,) logged actions a ~ π_b; rewards: (N,);
    pi_target, pi_behaviour: (K,) action probabilities (π_b > 0
    wherever π_t > 0). Returns the ordinary IS estimate
    mean(w r) (unbiased) and the weighted one Σ w r / Σ w (biased,
    consistent, lower variance), with w = π_t(a) / π_b(a).
    """
    w = pi_target[actions] / pi_behaviour[actions]  # (N,)
    ordinary = (w * rewards).mean()
    weighted = (w * rewards).sum() / w.sum()
    return ordinary, weighted


# --8<-- [end:ope]


# --8<-- [start:trajectory]
def trajectory_is(actions, rewards, pi_target, pi_behaviour, gamma=1.0):
    """Per-trajectory and per-decision IS estimates of a T-step return.

    actions, rewards: (N, T) logged under π_b (a state-free policy,
    so that one (K,) vector of probabilities serves every step).
    ρ_{0:t} = Π_{k≤t} π_t(a_k) / π_b(a_k) is the cumulative weight.
    Per-trajectory: ρ_{0:T−1} Σ_t γ^t r_t. Per-decision: Σ_t γ^t ρ_{0:t}
    r_t, since r_t cannot depend on actions after t. Both (N,).
    """
    T = actions.size(-1)
    discount = gamma ** torch.arange(T, device=rewards.device)  # (T,)
    rho = (pi_target[actions] / pi_behaviour[actions]).cumprod(-1)
    returns = (discount * rewards).sum(-1)  # (N,)
    per_trajectory = rho[:, -1] * returns
    per_decision = (discount * rho * rewards).sum(-1)
    return per_trajectory, per_decision, rho  # rho: (N, T)


# --8<-- [end:trajectory]
