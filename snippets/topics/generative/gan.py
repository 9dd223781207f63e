"""GAN objectives on logits, the optimal discriminator, and a logistic
discriminator that learns it from samples."""

import torch
import torch.nn.functional as F


# --8<-- [start:losses]
def discriminator_loss(real_logits, fake_logits):
    """−E[log D(x)] − E[log(1 − D(G(z)))] with D = σ(logit).

    log σ(l) = −softplus(−l) and log(1 − σ(l)) = −softplus(l): stable
    for any logit, unlike log(sigmoid(l)).
    """
    return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()


def generator_loss_minimax(fake_logits):
    """E[log(1 − D(G(z)))], minimised: flat when D(G(z)) ≈ 0."""
    return -F.softplus(fake_logits).mean()


def generator_loss_nonsaturating(fake_logits):
    """−E[log D(G(z))]: same fixed point, gradient ≈ −1 per logit when the
    discriminator confidently rejects the fakes."""
    return F.softplus(-fake_logits).mean()


# --8<-- [end:losses]


# --8<-- [start:optimal]
def optimal_discriminator(p_data, p_g):
    """D*(x) = p_data(x) / (p_data(x) + p_g(x)) for a fixed generator."""
    return p_data / (p_data + p_g)


def quadratic_features(x):
    """(N,) → (N, 2): [x, x²]. The log-ratio of two 1-D Gaussians is
    quadratic in x, so a logistic regression on these can be exact."""
    return torch.stack([x, x * x], dim=-1)


def fit_logistic_discriminator(real, fake, steps=30):
    """Logistic regression of real (label 1) vs fake (label 0), 1-D samples,
    by L-BFGS on the discriminator loss. Returns a logit function."""
    linear = torch.nn.Linear(2, 1, device=real.device, dtype=real.dtype)
    opt = torch.optim.LBFGS(
        linear.parameters(), max_iter=steps, line_search_fn="strong_wolfe"
    )
    f_real, f_fake = quadratic_features(real), quadratic_features(fake)

    def closure():
        opt.zero_grad()
        loss = discriminator_loss(linear(f_real), linear(f_fake))
        loss.backward()
        return loss

    opt.step(closure)
    return lambda x: linear(quadratic_features(x)).squeeze(-1)


# --8<-- [end:optimal]
