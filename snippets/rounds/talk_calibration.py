"""Expected calibration error and temperature scaling.

A classifier is calibrated when, among the predictions made with
confidence c, a fraction c is correct. ECE measures the gap with M
equal-width confidence bins; temperature scaling divides the logits by
one scalar T > 0, fitted on held-out data, which leaves the predicted
class unchanged and moves only the confidence.
"""

import torch
import torch.nn.functional as F


# --8<-- [start:ece]
def expected_calibration_error(logits, y, n_bins=15):
    """ECE = sum_m (n_m / n) |acc_m - conf_m| over equal-width bins.

    logits: (N, K); y: (N,) class indices. Confidence is the top softmax
    probability; bin m holds confidences in ((m - 1) / M, m / M].
    """
    conf, pred = F.softmax(logits.float(), dim=-1).max(dim=-1)  # (N,)
    correct = (pred == y).float()
    edges = torch.linspace(0, 1, n_bins + 1, device=logits.device)
    bins = torch.bucketize(conf, edges[1:-1])  # (N,) in [0, M - 1]
    count = torch.zeros(n_bins, device=logits.device)
    count.index_add_(0, bins, torch.ones_like(conf))
    gap = torch.zeros(n_bins, device=logits.device)
    gap.index_add_(0, bins, correct - conf)  # sum of (acc - conf) per bin
    return (gap.abs().sum() / len(conf)).item()


# --8<-- [end:ece]


# --8<-- [start:temperature]
def nll_slope(logits, y, inv_t):
    """d/d(1/T) of the mean NLL of softmax(logits / T): (N, K), (N,).

    With beta = 1/T the NLL is mean(logsumexp(beta z) - beta z_y), whose
    derivative is mean(E_p[z] - z_y) with p = softmax(beta z).
    """
    p = F.softmax(logits * inv_t, dim=-1)  # (N, K)
    expected = (p * logits).sum(-1)  # (N,)
    return (expected - logits.gather(1, y[:, None]).squeeze(1)).mean()


def fit_temperature(logits, y, lo=1e-2, hi=1e2, steps=40):
    """T > 0 minimising the held-out NLL of softmax(logits / T).

    The NLL is convex in beta = 1/T (a log-sum-exp of linear functions
    of beta), so its slope increases with beta: bisect (geometrically)
    for the zero. Returns a float.
    """
    logits = logits.detach().double()
    for _ in range(steps):
        mid = (lo * hi) ** 0.5
        if nll_slope(logits, y, mid) > 0:
            hi = mid  # past the minimum: beta too large
        else:
            lo = mid
    return 1.0 / (lo * hi) ** 0.5


# --8<-- [end:temperature]


# --8<-- [start:simulate]
def overconfident_model(n, n_classes, scale, generator=None, device=None):
    """Labels drawn from softmax(z), but the model reports scale * z.

    Returns logits (n, K) and labels (n,). With scale > 1 the model is
    overconfident, and T = scale is the exact fix.
    """
    z = 2 * torch.randn(n, n_classes, generator=generator, device=device)
    y = torch.multinomial(F.softmax(z, dim=-1), 1, generator=generator)
    return scale * z, y.squeeze(1)


# --8<-- [end:simulate]
