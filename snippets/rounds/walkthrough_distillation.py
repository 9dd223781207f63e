"""Knowledge distillation (Hinton et al., 2015): a small student learns
from a large teacher's softened probabilities and from the hard labels.
"""

import torch.nn.functional as F


# --8<-- [start:distill]
def distillation_loss(z_s, z_t, y, T=4.0, alpha=0.5):
    """alpha * T^2 * KL(p_t || p_s) + (1 - alpha) * CE(z_s, y).

    z_s, z_t: (N, K) student and teacher logits; y: (N,) labels.
    p = softmax(z / T). The KL term is averaged over the batch. The
    factor T^2 keeps its gradient on the scale of the CE term: the
    gradient in z_s is T * (p_s - p_t) / N, whose size does not
    shrink like 1/T as the distributions soften.
    """
    log_ps = F.log_softmax(z_s / T, dim=-1)  # (N, K)
    log_pt = F.log_softmax(z_t.detach() / T, dim=-1)  # teacher is fixed
    kl = (log_pt.exp() * (log_pt - log_ps)).sum(-1).mean()
    ce = F.cross_entropy(z_s, y)
    return alpha * T * T * kl + (1 - alpha) * ce


# --8<-- [end:distill]
