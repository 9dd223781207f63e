import pytest
import torch
from torch import nn

from snippets.topics.llm.lora import LoRALinear


def test_starts_equal_to_the_base_layer(device):
    base = nn.Linear(32, 16, device=device)
    lora = LoRALinear(base, r=4, alpha=8)
    x = torch.randn(5, 32, device=device)
    assert torch.equal(lora(x), base(x))


@pytest.mark.parametrize(("d_in", "d_out", "r"), [(32, 16, 4), (768, 768, 8), (10, 3, 1)])
def test_trainable_parameter_count(d_in, d_out, r):
    lora = LoRALinear(nn.Linear(d_in, d_out), r=r)
    trainable = sum(p.numel() for p in lora.parameters() if p.requires_grad)
    frozen = sum(p.numel() for p in lora.parameters() if not p.requires_grad)
    assert trainable == r * (d_in + d_out)
    assert frozen == d_in * d_out + d_out


def test_only_a_and_b_learn_and_merge_is_exact(device):
    base = nn.Linear(12, 6, device=device)
    w0 = base.weight.detach().clone()
    lora = LoRALinear(base, r=2, alpha=4)
    opt = torch.optim.SGD([p for p in lora.parameters() if p.requires_grad], lr=0.1)
    x, y = torch.randn(16, 12, device=device), torch.randn(16, 6, device=device)
    for _ in range(5):
        opt.zero_grad()
        loss = (lora(x) - y).square().mean()
        loss.backward()
        assert base.weight.grad is None and base.bias.grad is None
        opt.step()
    assert torch.equal(base.weight, w0)
    assert lora.B.abs().max() > 0  # the update moved
    merged = lora.merged()
    torch.testing.assert_close(merged(x), lora(x), atol=1e-5, rtol=0)
    delta = merged.weight - w0
    assert torch.linalg.matrix_rank(delta) <= 2  # the update is low-rank


def test_update_is_scaled_by_alpha_over_r(device):
    base = nn.Linear(4, 3, bias=False, device=device)
    lora = LoRALinear(base, r=2, alpha=6)
    with torch.no_grad():
        lora.A.copy_(torch.tensor([[1.0, 0, 0, 0], [0, 1.0, 0, 0]]))
        lora.B.copy_(torch.ones(3, 2))
    x = torch.tensor([[2.0, 3.0, 0.0, 0.0]], device=device)
    # (alpha / r) · B A x = 3 · (2 + 3) = 15 on every output.
    torch.testing.assert_close(lora(x) - base(x), torch.full((1, 3), 15.0, device=device))


def test_gradcheck_float64(device):
    base = nn.Linear(5, 4, device=device, dtype=torch.float64)
    lora = LoRALinear(base, r=2)
    with torch.no_grad():
        lora.B.normal_()
    x = torch.randn(3, 5, device=device, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(
        lambda x, A, B: base(x) + lora.scale * x @ A.T @ B.T, (x, lora.A, lora.B)
    )
    torch.testing.assert_close(lora(x), base(x) + lora.scale * x @ lora.A.T @ lora.B.T)
