import torch
import torch.nn.functional as F
from torch import nn

from snippets.topics.ml.mixed_precision import mixed_precision_step

# bf16 keeps 8 significant bits (7 stored + 1 implicit): unit roundoff
# u = 2⁻⁸ ≈ 0.0039, about 2.4 significant decimal digits.
U = 2.0**-8


def classifier(device):
    return nn.Sequential(nn.Linear(32, 64), nn.GELU(), nn.Linear(64, 10)).to(device)


def batch(device, B=64):
    return torch.randn(B, 32, device=device), torch.randint(0, 10, (B,), device=device)


def test_matmuls_run_in_bf16_and_weights_stay_fp32(device):
    model = classifier(device)
    x, _ = batch(device)
    with torch.autocast(device.type, dtype=torch.bfloat16):
        hidden = model[0](x)
        logits = model(x)
    assert hidden.dtype == torch.bfloat16 and logits.dtype == torch.bfloat16
    assert all(p.dtype == torch.float32 for p in model.parameters())


def test_step_keeps_fp32_master_weights_and_grads(device):
    model = classifier(device)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    x, y = batch(device)
    loss, logits = mixed_precision_step(model, opt, x, y, device.type)
    assert logits.dtype == torch.bfloat16 and loss.dtype == torch.float32
    assert all(p.dtype == torch.float32 for p in model.parameters())
    assert all(p.grad.dtype == torch.float32 for p in model.parameters())


def test_bf16_loss_is_within_a_few_roundoffs_of_fp32(device):
    model = classifier(device)
    x, y = batch(device)
    with torch.no_grad():
        fp32 = F.cross_entropy(model(x), y)
        with torch.autocast(device.type, dtype=torch.bfloat16):
            logits = model(x)
        bf16 = F.cross_entropy(logits.float(), y)
    # Tolerance u·|L|: the loss agrees to bf16's own resolution. Why that is
    # enough: each logit goes through ~4 roundings of relative size ≤ u
    # (input, weights, hidden, output); to first order ΔL = Σ (p − onehot)·Δz
    # and Σ|p − onehot| ≤ 2; the mean over 64 examples averages independent
    # errors down by ~√64 = 8. So |ΔL| ≲ 4u · 2 / 8 · |z| ≈ u for |z| ≲ 1.
    # Observed: about 0.02u, since the errors also cancel across classes.
    assert (bf16 - fp32).abs().item() < U * fp32.abs().item()
    # And bf16 did change the answer: the test is not comparing fp32 to itself.
    assert (bf16 - fp32).abs().item() > 0


def test_bf16_gradients_are_close_to_fp32_ones(device):
    model = classifier(device)
    x, y = batch(device)
    F.cross_entropy(model(x), y).backward()
    fp32 = [p.grad.clone() for p in model.parameters()]
    model.zero_grad()
    with torch.autocast(device.type, dtype=torch.bfloat16):
        logits = model(x)
    F.cross_entropy(logits.float(), y).backward()
    for p, g in zip(model.parameters(), fp32, strict=True):
        # Relative error of each gradient tensor: observed ≈ 1u (≈ 0.4%),
        # bounded by 8u; fp32 alone would give ~1e-7.
        rel = (torch.linalg.vector_norm(p.grad - g) / torch.linalg.vector_norm(g)).item()
        assert 0 < rel < 8 * U
