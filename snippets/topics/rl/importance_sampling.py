"""Off-policy evaluation of a bandit policy by importance sampling."""


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
