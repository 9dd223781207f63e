import pytest
import torch
import torch.nn.functional as F
from torch import nn

from snippets.topics.ml.grad_accumulation import accumulate_grads


def model_and_batch(device, B=12):
    model = nn.Sequential(nn.Linear(5, 16), nn.GELU(), nn.Linear(16, 3))
    model = model.to(device, torch.float64)
    x = torch.randn(B, 5, device=device, dtype=torch.float64)
    y = torch.randint(0, 3, (B,), device=device)
    return model, x, y


def full_batch_grads(model, x, y):
    model.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    return loss.item(), [p.grad.clone() for p in model.parameters()]


@pytest.mark.parametrize("n_micro", [1, 2, 3, 4, 6, 12])
def test_accumulated_equals_full_batch_float64(n_micro, device):
    model, x, y = model_and_batch(device)
    loss, expected = full_batch_grads(model, x, y)
    total = accumulate_grads(model, F.cross_entropy, x, y, n_micro)
    assert abs(total - loss) < 1e-12
    for p, g in zip(model.parameters(), expected, strict=True):
        torch.testing.assert_close(p.grad, g, atol=1e-12, rtol=0)


def test_uneven_micro_batches_need_size_weights(device):
    # B = 10 in 3 chunks: sizes 4, 4, 2. Weighting by b/B is exact; a plain
    # 1/k weights the 2-example chunk as much as the 4-example ones.
    model, x, y = model_and_batch(device, B=10)
    _, expected = full_batch_grads(model, x, y)
    accumulate_grads(model, F.cross_entropy, x, y, 3)
    for p, g in zip(model.parameters(), expected, strict=True):
        torch.testing.assert_close(p.grad, g, atol=1e-12, rtol=0)
    model.zero_grad()
    for xb, yb in zip(x.chunk(3), y.chunk(3), strict=True):
        (F.cross_entropy(model(xb), yb) / 3).backward()
    naive = torch.cat([p.grad.flatten() for p in model.parameters()])
    exact = torch.cat([g.flatten() for g in expected])
    assert (naive - exact).abs().max() > 1e-3


def test_forgetting_to_scale_multiplies_the_gradient_by_k(device):
    model, x, y = model_and_batch(device)
    _, expected = full_batch_grads(model, x, y)
    model.zero_grad()
    for xb, yb in zip(x.chunk(4), y.chunk(4), strict=True):
        F.cross_entropy(model(xb), yb).backward()
    for p, g in zip(model.parameters(), expected, strict=True):
        torch.testing.assert_close(p.grad, 4 * g, atol=1e-12, rtol=0)
