import math

import torch
import torch.nn.functional as F

from snippets.topics.generative.gan import (
    discriminator_loss,
    fit_logistic_discriminator,
    generator_loss_minimax,
    generator_loss_nonsaturating,
    optimal_discriminator,
)

MU_D, SD_D, MU_G, SD_G = 0.0, 1.0, 1.5, 0.7  # p_data and p_g


def normal_pdf(x, mu, sd):
    return torch.exp(-0.5 * ((x - mu) / sd) ** 2) / (sd * math.sqrt(2 * math.pi))


def test_discriminator_loss_is_binary_cross_entropy(device):
    real, fake = torch.randn(2, 32, device=device) * 3
    bce = F.binary_cross_entropy_with_logits
    expected = bce(real, torch.ones_like(real)) + bce(fake, torch.zeros_like(fake))
    torch.testing.assert_close(discriminator_loss(real, fake), expected, atol=1e-6, rtol=0)


def test_generator_losses_gradients_when_discriminator_wins(device):
    # D(G(z)) = σ(−8) ≈ 3.4e-4: the minimax loss has gradient −σ(l) ≈ −3e-4
    # per logit, the non-saturating loss −(1 − σ(l)) ≈ −1.
    logits = torch.full((4,), -8.0, device=device, requires_grad=True)
    (g_mm,) = torch.autograd.grad(generator_loss_minimax(logits), logits)
    (g_ns,) = torch.autograd.grad(generator_loss_nonsaturating(logits), logits)
    d = torch.sigmoid(torch.tensor(-8.0, device=device))
    torch.testing.assert_close(g_mm, -d.expand(4) / 4)
    torch.testing.assert_close(g_ns, -(1 - d).expand(4) / 4)
    assert g_ns.abs().min() > 2000 * g_mm.abs().max()
    # Both losses fall as D(G(z)) rises: same direction, different scale.
    assert g_mm.max() < 0 and g_ns.max() < 0


def test_logistic_discriminator_learns_d_star(device):
    g = torch.Generator(device=device).manual_seed(5)
    N = 50_000
    kw = dict(generator=g, device=device)
    real = MU_D + SD_D * torch.randn(N, **kw)
    fake = MU_G + SD_G * torch.randn(N, **kw)
    logit = fit_logistic_discriminator(real, fake)
    x = torch.linspace(-2, 3, 11, device=device)
    d_star = optimal_discriminator(normal_pdf(x, MU_D, SD_D), normal_pdf(x, MU_G, SD_G))
    with torch.no_grad():
        d_hat = torch.sigmoid(logit(x))
    # With 50k samples per class the fitted D is off by about 0.002 at
    # these points (both densities > 0.01 there); 0.03 leaves a wide margin
    # for other seeds and devices.
    torch.testing.assert_close(d_hat, d_star, atol=0.03, rtol=0)


def test_value_at_d_star_is_minus_log4_plus_2_jsd(device):
    kw = dict(device=device, dtype=torch.float64)
    # ±8 keeps both densities above 1e-40: no 0·log 0 in float64.
    x = torch.linspace(-8, 8, 40_001, **kw)
    p, q = normal_pdf(x, MU_D, SD_D), normal_pdf(x, MU_G, SD_G)
    d = optimal_discriminator(p, q)
    one_minus_d = optimal_discriminator(q, p)  # not 1 − d: that rounds to 0
    value = torch.trapezoid(p * torch.log(d) + q * torch.log(one_minus_d), x)
    m = 0.5 * (p + q)
    jsd = 0.5 * torch.trapezoid(p * torch.log(p / m), x) + 0.5 * torch.trapezoid(
        q * torch.log(q / m), x
    )
    assert 0 < jsd < math.log(2)
    torch.testing.assert_close(value, -math.log(4) + 2 * jsd, atol=1e-8, rtol=0)
    # D* maximises the value: the constant D = ½ scores exactly −log 4.
    assert value > -math.log(4) + 0.1
    # Identical distributions: JSD = 0 and D* = ½ everywhere.
    torch.testing.assert_close(
        torch.trapezoid(p * torch.log(optimal_discriminator(p, p)) * 2, x),
        torch.tensor(-math.log(4), **kw),
        atol=1e-8,
        rtol=0,
    )
