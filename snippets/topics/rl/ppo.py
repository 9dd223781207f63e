"""PPO's clipped surrogate loss with a KL penalty, and KL estimators."""

import torch


# --8<-- [start:kl]
def kl_estimators(log_ratio):
    """Per-sample estimators of KL(q ‖ p) from samples x ~ q.

    log_ratio: log p(x) − log q(x), any shape. With r = p/q:
    k1 = −log r (unbiased, can be negative, high variance);
    k2 = ½ (log r)² (biased, low variance);
    k3 = (r − 1) − log r (unbiased since E_q[r] = 1, and always ≥ 0).
    """
    k1 = -log_ratio
    k2 = 0.5 * log_ratio**2
    k3 = torch.expm1(log_ratio) - log_ratio
    return k1, k2, k3


# --8<-- [end:kl]


# --8<-- [start:ppo]
def ppo_loss(logp, logp_old, adv, clip_eps=0.2, kl_coef=0.0):
    """Clipped surrogate loss (to minimise) with a KL(π_old ‖ π) penalty.

    logp: (N,) log π_θ(a|s) of the sampled actions, with gradient;
    logp_old: (N,) the same under the policy that collected the data;
    adv: (N,) advantage estimates (e.g. GAE), treated as constants.
    """
    log_ratio = logp - logp_old.detach()
    ratio = log_ratio.exp()  # r = π_θ / π_old
    adv = adv.detach()
    unclipped = ratio * adv
    clipped = ratio.clamp(1 - clip_eps, 1 + clip_eps) * adv
    # The min makes the objective pessimistic: once the ratio has moved
    # past 1 ± ε in the direction the advantage favours, the clipped
    # term is the smaller one and its gradient is zero.
    surrogate = torch.minimum(unclipped, clipped).mean()
    # x ~ π_old = q and p = π_θ, so log p − log q is log_ratio itself.
    _, _, k3 = kl_estimators(log_ratio)
    kl = k3.mean()
    loss = -surrogate + kl_coef * kl
    clip_frac = ((ratio - 1).abs() > clip_eps).float().mean()
    return loss, {"kl": kl.detach(), "clip_frac": clip_frac}


# --8<-- [end:ppo]
