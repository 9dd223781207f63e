import itertools
import math

import torch

from snippets.topics.ml.gumbel_softmax import gumbel_softmax, sample_gumbel


def test_gumbel_noise_moments(device):
    # Standard Gumbel: mean = Euler–Mascheroni γ ≈ 0.5772, variance π²/6.
    N = 200_000
    g = sample_gumbel((N,), device=device)
    var = math.pi**2 / 6
    assert abs(g.mean().item() - 0.5772157) < 5 * math.sqrt(var / N)
    # SE of the sample variance ≈ σ²√((κ − 1)/N), Gumbel kurtosis κ = 5.4.
    assert abs(g.var().item() - var) < 5 * var * math.sqrt(4.4 / N)


def test_argmax_frequencies_follow_the_categorical(device):
    probs = torch.tensor([0.1, 0.2, 0.3, 0.4], device=device)
    N = 200_000
    y = gumbel_softmax(probs.log().expand(N, 4), tau=0.5)
    freq = torch.bincount(y.argmax(-1), minlength=4).float() / N
    # Binomial SE √(p(1 − p)/N) ≤ 0.0011; allow 5 SE per category.
    se = (probs * (1 - probs) / N).sqrt()
    assert ((freq - probs).abs() < 5 * se).all(), freq
    torch.testing.assert_close(y.sum(-1), torch.ones(N, device=device))


def test_low_temperature_approaches_one_hot(device):
    logits = torch.tensor([0.5, -1.0, 0.0, 1.0, 0.2], device=device)
    N = 20_000
    mean_max = []
    for tau in (10.0, 1.0, 0.1, 0.01):
        y = gumbel_softmax(logits.expand(N, 5), tau=tau)
        mean_max.append(y.max(-1).values.mean().item())
    # Rises monotonically: ≈ 0.25 at τ = 10 (near uniform 0.2) up to > 0.99.
    assert all(a < b for a, b in itertools.pairwise(mean_max)), mean_max
    assert mean_max[0] < 0.3 and mean_max[-1] > 0.99


def test_straight_through_is_one_hot_with_soft_gradient(device):
    logits = torch.randn(6, 3, device=device, requires_grad=True)
    torch.manual_seed(7)
    hard = gumbel_softmax(logits, tau=0.5, hard=True)
    torch.manual_seed(7)  # same Gumbel noise
    soft = gumbel_softmax(logits, tau=0.5)
    # Forward value: the one-hot of the soft sample's argmax (up to the
    # rounding of y − y.detach(), one float32 ulp).
    one_hot = torch.nn.functional.one_hot(soft.argmax(-1), 3).float()
    torch.testing.assert_close(hard.detach(), one_hot, atol=1e-6, rtol=0)
    c = torch.randn(6, 3, device=device)
    (g_hard,) = torch.autograd.grad((hard * c).sum(), logits)
    (g_soft,) = torch.autograd.grad((soft * c).sum(), logits)
    torch.testing.assert_close(g_hard, g_soft)
