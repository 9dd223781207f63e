import torch

from snippets.rounds.walkthrough_fake_quant import fake_quant, scale_for_range


def away_from_ties(x, scale):
    """Values whose x / scale is not within 1e-3 of a rounding tie.

    PyTorch's kernels form 1 / scale in float32, we in float64; the two
    can differ by one ulp, which flips round() only at a near-tie.
    """
    frac = torch.frac((x.double() / scale).abs())
    return (frac - 0.5).abs() > 1e-3


def test_forward_matches_pytorch(device):
    x = 3 * torch.randn(4096, device=device)
    for scale, zp, lo, hi in [(0.02, 0, -128, 127), (0.05, 10, -128, 127), (0.03, 128, 0, 255)]:
        ref = torch.fake_quantize_per_tensor_affine(x, scale, zp, lo, hi)
        got = fake_quant(x, scale, zp, lo, hi)
        ok = away_from_ties(x, scale)  # all but about 0.2 % of values
        assert ok.float().mean().item() > 0.99
        torch.testing.assert_close(got[ok], ref[ok], rtol=0, atol=0)


def test_forward_is_quantise_dequantise(device):
    # On the grid the value is exact; inside the range the error is at
    # most half a step; outside it the value sticks to the end levels.
    scale = 0.1
    x = torch.linspace(-20, 20, 4001, device=device, dtype=torch.float64)
    y = fake_quant(x, scale)
    inside = (x >= -12.8) & (x <= 12.7)
    assert (y[inside] - x[inside]).abs().max().item() <= scale / 2 + 1e-12
    assert abs(y.min().item() + 12.8) < 1e-12
    assert abs(y.max().item() - 12.7) < 1e-12
    levels = scale * torch.arange(-128, 128, device=device, dtype=torch.float64)
    torch.testing.assert_close(fake_quant(levels, scale), levels, rtol=0, atol=1e-12)


def test_straight_through_gradient(device):
    scale, zp = 0.05, 3
    x = (5 * torch.randn(2048, device=device)).requires_grad_(True)
    g = torch.randn(2048, device=device)
    (fake_quant(x, scale, zp) * g).sum().backward()
    q = torch.round(x.detach() * (1.0 / scale)) + zp
    inside = (q >= -128) & (q <= 127)
    assert 0.1 < inside.float().mean().item() < 0.9  # both cases occur
    torch.testing.assert_close(x.grad[inside], g[inside], rtol=0, atol=0)
    assert (x.grad[~inside] == 0).all()

    # The same mask as PyTorch's own fake-quantisation backward.
    x2 = x.detach().clone().requires_grad_(True)
    ref = torch.fake_quantize_per_tensor_affine(x2, scale, zp, -128, 127)
    (ref * g).sum().backward()
    ok = away_from_ties(x.detach(), scale)
    torch.testing.assert_close(x.grad[ok], x2.grad[ok], rtol=0, atol=0)


def test_scale_for_range_keeps_zero_exact(device):
    scale, zp = scale_for_range(-0.7, 2.3)  # asymmetric, e.g. after a shift
    assert abs(scale - 3.0 / 255) < 1e-15
    zero = torch.zeros(3, device=device)
    assert (fake_quant(zero, scale, zp) == 0).all()
    ends = torch.tensor([-0.7, 2.3], device=device, dtype=torch.float64)
    err = (fake_quant(ends, scale, zp) - ends).abs().max().item()
    assert err <= scale / 2 + 1e-12
