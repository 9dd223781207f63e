import math

import torch
import torch.nn.functional as F

from snippets.rounds.talk_calibration import (
    expected_calibration_error,
    fit_temperature,
    nll_slope,
    overconfident_model,
)


def two_class_logits(confidences, device):
    """Logits (N, 2) whose softmax puts probability c on class 1."""
    c = torch.tensor(confidences, dtype=torch.float64, device=device)
    return torch.stack([torch.zeros_like(c), torch.log(c / (1 - c))], -1)


def test_ece_by_hand(device):
    # Four predictions at 0.85 (three right: acc 0.75) and two at 0.65
    # (one right: acc 0.5). ECE = 4/6 * 0.10 + 2/6 * 0.15 = 0.11667.
    logits = two_class_logits([0.85] * 4 + [0.65] * 2, device)
    y = torch.tensor([1, 1, 1, 0, 1, 0], device=device)
    ece = expected_calibration_error(logits, y, n_bins=10)
    assert math.isclose(ece, 4 / 6 * 0.10 + 2 / 6 * 0.15, abs_tol=1e-6)


def test_ece_matches_a_loop_over_bins(device):
    g = torch.Generator(device=device).manual_seed(0)
    logits = 3 * torch.randn(500, 5, generator=g, device=device)
    y = torch.randint(0, 5, (500,), generator=g, device=device)
    conf, pred = logits.softmax(-1).max(-1)
    ref = 0.0
    for m in range(15):
        inside = (conf > m / 15) & (conf <= (m + 1) / 15)
        if inside.any():
            acc = (pred[inside] == y[inside]).float().mean()
            ref += inside.float().mean() * (acc - conf[inside].mean()).abs()
    ece = expected_calibration_error(logits, y, n_bins=15)
    assert math.isclose(ece, ref.item(), abs_tol=1e-5)


def test_temperature_scaling_recovers_the_scale_and_fixes_ece(device):
    # Labels come from softmax(z); the model reports 2.5 z. The MLE of T
    # on 20,000 held-out examples has a standard error near 1 % (spread
    # of 0.045 at 5,000 over five seeds, halved at four times the data):
    # 5 % is five standard errors.
    g = torch.Generator(device=device).manual_seed(0)
    val_logits, val_y = overconfident_model(20_000, 10, 2.5, g, device)
    test_logits, test_y = overconfident_model(20_000, 10, 2.5, g, device)
    t = fit_temperature(val_logits, val_y)
    assert abs(t / 2.5 - 1) < 0.05
    before = expected_calibration_error(test_logits, test_y)
    after = expected_calibration_error(test_logits / t, test_y)
    # Before: about 0.26. After: a calibrated model's ECE is only the
    # finite-sample bias of 15 bins, under 0.015 at n = 20,000.
    assert before > 0.2
    assert after < 0.015 and after < before / 10
    # One scalar cannot change the argmax: accuracy is untouched.
    assert torch.equal(test_logits.argmax(-1), (test_logits / t).argmax(-1))


def test_fitted_temperature_for_calibrated_and_underconfident(device):
    g = torch.Generator(device=device).manual_seed(1)
    for scale in (1.0, 0.5):  # calibrated, then underconfident (T < 1)
        logits, y = overconfident_model(20_000, 10, scale, g, device)
        assert abs(fit_temperature(logits, y) / scale - 1) < 0.05


def test_slope_matches_autograd_and_vanishes_at_the_fit(device):
    g = torch.Generator(device=device).manual_seed(2)
    logits, y = overconfident_model(2000, 10, 2.0, g, device)
    logits = logits.double()
    for beta in (0.2, 0.5, 1.0, 3.0):
        b = torch.tensor(beta, dtype=torch.float64, device=device)
        b.requires_grad_(True)
        F.cross_entropy(logits * b, y).backward()
        ref = b.grad.item()
        assert math.isclose(nll_slope(logits, y, beta).item(), ref, rel_tol=1e-9, abs_tol=1e-12)
    t = fit_temperature(logits, y)
    assert abs(nll_slope(logits, y, 1 / t).item()) < 1e-9
    nll = [F.cross_entropy(logits / (t * f), y).item() for f in (0.99, 1, 1.01)]
    assert nll[1] < nll[0] and nll[1] < nll[2]
