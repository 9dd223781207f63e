"""Classifier-free guidance: the guided noise prediction, the training
loss with condition dropout, and an exact ε-predictor for a toy
two-class Gaussian mixture on which its effect can be measured."""

import torch

from snippets.topics.generative.diffusion import q_sample


# --8<-- [start:guidance]
def cfg_combine(eps_uncond, eps_cond, w):
    """Guided noise (1 + w) ε_c − w ε_u = ε_u + s (ε_c − ε_u), s = 1 + w.

    w = −1 (s = 0): unconditional; w = 0 (s = 1): conditional; w > 0
    moves further in the direction the label adds.
    """
    return (1 + w) * eps_cond - w * eps_uncond


def guided_eps(model, x, t, y, w):
    """Both predictions in one batched call, then the guided combination.

    model(x, t, y) with y = model.n_classes meaning "no label".
    """
    null = torch.full_like(y, model.n_classes)
    eps = model(torch.cat([x, x]), torch.cat([t, t]), torch.cat([y, null]))
    eps_cond, eps_uncond = eps.chunk(2)
    return cfg_combine(eps_uncond, eps_cond, w)


# --8<-- [end:guidance]


# --8<-- [start:training]
def cfg_loss(model, x0, y, alpha_bar, p_uncond=0.1):
    """DDPM's ε-loss with the label replaced by the null label with
    probability p_uncond, so one network learns ε(x, y) and ε(x, ∅).

    x0: (B, D); y: (B,) labels in 0..n_classes−1.
    """
    T = len(alpha_bar)
    t = torch.randint(1, T + 1, (len(x0),), device=x0.device)
    eps = torch.randn_like(x0)
    x_t = q_sample(x0, t, alpha_bar, eps)
    drop = torch.rand(len(y), device=y.device) < p_uncond  # (B,)
    y = torch.where(drop, model.n_classes, y)
    return (eps - model(x_t, t / T, y)).square().sum(-1).mean()


# --8<-- [end:training]


# --8<-- [start:toy]
class MixtureEps:
    """The exact ε-predictor for data from equally weighted classes
    N(means[k], std² I), conditional (y = k) or not (y = n_classes).

    Noising keeps each class Gaussian: N(√ᾱ μ_k, (ᾱ std² + 1 − ᾱ) I);
    the score of the mixture is that of score_matching.py, and
    ε* = −√(1 − ᾱ) ∇ log q(x_t | y).
    """

    def __init__(self, means, std, alpha_bar):
        self.means, self.std, self.alpha_bar = means, std, alpha_bar
        self.n_classes = len(means)

    def __call__(self, x, t, y):
        """x: (B, D); t: (B,) in (0, 1] (the fraction t/T); y: (B,)."""
        T, K = len(self.alpha_bar), self.n_classes
        ab = self.alpha_bar[(t * T).round().long() - 1][:, None]  # (B, 1)
        var = ab * self.std**2 + 1 - ab  # (B, 1)
        centres = ab.sqrt()[:, :, None] * self.means  # (B, K, D)
        sq = (x[:, None, :] - centres).square().sum(-1)  # (B, K)
        # The label's component only, or all K (the null label y = K).
        mine = torch.nn.functional.one_hot(y, K + 1)[:, :K].bool()
        allowed = mine | (y == K)[:, None]  # (B, K)
        logits = (-0.5 * sq / var).masked_fill(~allowed, -torch.inf)
        r = torch.softmax(logits, dim=-1)  # (B, K) responsibilities
        score = (r[..., None] * (centres - x[:, None, :])).sum(1) / var
        return -(1 - ab).sqrt() * score  # (B, D)


# --8<-- [end:toy]
