import itertools
import math

import torch

from snippets.topics.generative.classifier_free_guidance import (
    MixtureEps,
    cfg_combine,
    cfg_loss,
    guided_eps,
)
from snippets.topics.generative.ddpm_ddim import ddim_sample
from snippets.topics.generative.diffusion import TimeMLP, ddpm_loss, linear_schedule
from snippets.topics.generative.score_matching import gmm_score

T = 100


def test_cfg_combination_by_hand(device):
    eps_u = torch.tensor([[1.0, -2.0]], device=device)
    eps_c = torch.tensor([[3.0, 0.0]], device=device)
    torch.testing.assert_close(cfg_combine(eps_u, eps_c, -1.0), eps_u)  # s = 0
    torch.testing.assert_close(cfg_combine(eps_u, eps_c, 0.0), eps_c)  # s = 1
    # w = 2 (s = 3): 3·3 − 2·1 = 7 and 3·0 − 2·(−2) = 4.
    torch.testing.assert_close(
        cfg_combine(eps_u, eps_c, 2.0), torch.tensor([[7.0, 4.0]], device=device)
    )


def test_guided_eps_endpoints_are_the_two_predictions(device):
    model = TimeMLP(n_classes=3, device=device)
    x = torch.randn(5, 2, device=device)
    t = torch.rand(5, device=device)
    y = torch.tensor([0, 1, 2, 0, 1], device=device)
    with torch.no_grad():
        torch.testing.assert_close(guided_eps(model, x, t, y, -1.0), model(x, t))
        torch.testing.assert_close(guided_eps(model, x, t, y, 0.0), model(x, t, y))


def test_cfg_loss_drops_labels_to_the_null_label(device):
    _, alpha_bar = linear_schedule(T, 1e-3, 0.1, device=device)
    model = TimeMLP(n_classes=2, device=device)
    x0 = torch.randn(64, 2, device=device)
    y = torch.randint(2, (64,), device=device)
    # p_uncond = 1: every label is dropped, so with the same random draws
    # the loss is DDPM's unconditional loss.
    torch.manual_seed(5)
    a = cfg_loss(model, x0, y, alpha_bar, p_uncond=1.0)
    torch.manual_seed(5)
    b = ddpm_loss(model, x0, alpha_bar)
    torch.testing.assert_close(a, b)

    # The fraction of labels that reach the model is 1 − p_uncond.
    class Recorder:  # records the labels the "network" receives
        n_classes = 2

        def __call__(self, x, t, y):
            self.y = y
            return torch.zeros_like(x)

    N, p, net = 100_000, 0.1, Recorder()
    zeros = torch.zeros(N, dtype=torch.long, device=device)
    cfg_loss(net, torch.zeros(N, 2, device=device), zeros, alpha_bar, p)
    frac = (net.y == 2).float().mean().item()
    assert ((net.y == 0) | (net.y == 2)).all()
    assert abs(frac - p) < 5 * math.sqrt(p * (1 - p) / N), frac  # 5 binomial SE


MEANS = [[-1.0, 0.0], [1.0, 0.0]]
STD = 0.7


def test_mixture_eps_is_the_scaled_mixture_score(device):
    _, alpha_bar = linear_schedule(T, 1e-3, 0.1, device=device)
    means = torch.tensor(MEANS, device=device)
    oracle = MixtureEps(means, STD, alpha_bar)
    x = torch.randn(50, 2, device=device)
    ab = alpha_bar[29]  # t = 30
    sd = (ab * STD**2 + 1 - ab).sqrt()
    for y, w in ((0, [1.0, 0.0]), (1, [0.0, 1.0]), (2, [0.5, 0.5])):
        w = torch.tensor(w, device=device)
        keep = w > 0
        k = int(keep.sum())
        score = gmm_score(x, w[keep], ab.sqrt() * means[keep], sd.expand(k))
        got = oracle(x, torch.full((50,), 0.3, device=device), torch.full((50,), y, device=device))
        torch.testing.assert_close(got, -(1 - ab).sqrt() * score, atol=1e-5, rtol=1e-5)


def test_guidance_concentrates_samples_on_the_class(device):
    # Exact ε for two overlapping classes N((±1, 0), 0.7² I); sample class 1
    # with 50-step DDIM for w = −1 (unconditional), 0 (conditional), 1, 3, 7.
    _, alpha_bar = linear_schedule(T, 1e-3, 0.1, device=device)
    oracle = MixtureEps(torch.tensor(MEANS, device=device), STD, alpha_bar)
    N = 4000
    x_T = torch.randn(N, 2, device=device)
    y = torch.ones(N, dtype=torch.long, device=device)
    conf, spread, other = {}, {}, {}
    for w in (-1.0, 0.0, 1.0, 3.0, 7.0):

        def eps(x, t, w=w):
            return guided_eps(oracle, x, t, y, w)

        x = ddim_sample(eps, x_T, alpha_bar)
        conf[w] = torch.sigmoid(2 * x[:, 0] / STD**2).mean().item()  # p(1 | x)
        spread[w], other[w] = x[:, 0].std().item(), x[:, 1].std().item()
    # w = −1 and w = 0 reproduce the unconditional and conditional laws:
    # p(1|x) averages 1/2 by symmetry; class 1 has std 0.7 along x₁ (SE of
    # a std with N = 4000 is 0.7/√8000 = 0.008; allow 5 SE).
    assert abs(conf[-1.0] - 0.5) < 0.03
    assert abs(spread[0.0] - STD) < 5 * STD / math.sqrt(2 * N)
    # Observed: p(1|x) = 0.88, 0.987, 0.9988, 0.9999 and std along x₁
    # 0.68, 0.48, 0.37, 0.30 for w = 0, 1, 3, 7: fidelity up, diversity down.
    ws = (0.0, 1.0, 3.0, 7.0)
    assert all(conf[a] < conf[b] for a, b in itertools.pairwise(ws))
    assert all(spread[a] > spread[b] for a, b in itertools.pairwise(ws))
    assert conf[3.0] > 0.99 and spread[3.0] < 0.6 * STD
    # Guidance acts only along the direction that separates the classes.
    assert max(other.values()) - min(other.values()) < 1e-4
