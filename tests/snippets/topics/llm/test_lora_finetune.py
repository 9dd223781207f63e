import copy

import pytest
import torch
from torch import nn

from snippets.topics.llm.lora import LoRALinear
from snippets.topics.llm.lora_finetune import add_lora, counting_batch, merge_lora, train
from snippets.topics.llm.tiny_gpt import TinyGPT

V, T, C, NH, L = 16, 16, 32, 4, 2
ALL_LINEARS = ("q_proj", "k_proj", "v_proj", "out_proj", "fc", "proj")
RUNS = {}


def finetuned(device):
    """Pretrain on stride 1, then LoRA-fine-tune on stride 3 (once per device)."""
    key = str(device)
    if key not in RUNS:
        RUNS[key] = _pretrain_then_finetune(device)
    return RUNS[key]


def _pretrain_then_finetune(device):
    torch.manual_seed(0)
    model = TinyGPT(V, T, C, NH, L, device=device)
    train(model, stride=1, steps=30, lr=1e-2)
    model.zero_grad(set_to_none=True)  # so any later .grad is fine-tuning's
    pretrained = copy.deepcopy(model)
    add_lora(model, r=4, alpha=8, targets=ALL_LINEARS)
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    x, y = counting_batch(64, T, V, stride=3, device=device)  # held out
    with torch.no_grad():
        loss_before = model(x, y)[1].item()
    train(model, stride=3, steps=30, lr=1e-2)
    with torch.no_grad():
        loss_after = model(x, y)[1].item()
    return pretrained, model, before, loss_before, loss_after, x


def test_only_a_and_b_receive_gradients_and_change(device):
    _, model, before, *_ = finetuned(device)
    adapters = 0
    for name, p in model.named_parameters():
        if name.endswith((".A", ".B")):
            adapters += 1
            assert p.grad is not None and p.grad.abs().max() > 0, name
            assert not torch.equal(p, before[name]), name
        else:
            assert p.grad is None and not p.requires_grad, name
            assert torch.equal(p, before[name]), name  # bit-identical
    assert adapters == 2 * L * len(ALL_LINEARS)


def test_base_weights_are_bit_identical_to_the_pretrained_model(device):
    pretrained, model, *_ = finetuned(device)
    ref = dict(pretrained.named_parameters())
    for name, p in model.named_parameters():
        if not name.endswith((".A", ".B")):
            assert torch.equal(p, ref[name.replace(".base.", ".")]), name


def test_loss_on_the_new_task_falls_at_least_tenfold(device):
    # The pretrained model confidently predicts s + 1; the new task is s + 3.
    *_, loss_before, loss_after, _ = finetuned(device)
    assert loss_before > 3.0  # worse than uniform guessing: ln 16 = 2.77
    assert loss_after < loss_before / 10


def test_merged_model_matches_the_lora_model(device):
    _, model, _, _, _, x = finetuned(device)
    merged = merge_lora(copy.deepcopy(model))
    assert not any(isinstance(m, LoRALinear) for m in merged.modules())
    n_merged = sum(p.numel() for p in merged.parameters())
    assert n_merged == V * C + T * C + L * (12 * C * C + 13 * C) + 2 * C
    with torch.no_grad():
        torch.testing.assert_close(merged(x)[0], model(x)[0], atol=5e-5, rtol=0)


@pytest.mark.parametrize("r", [1, 4, 8])
def test_trainable_count_is_r_times_in_plus_out_per_wrapped_layer(r, device):
    model = add_lora(TinyGPT(V, T, C, NH, L, device=device), r=r)  # q_proj, v_proj
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    assert trainable == L * 2 * r * (C + C)
    wrapped = [n for n, m in model.named_modules() if isinstance(m, LoRALinear)]
    assert wrapped == [f"blocks.{i}.attn.{p}" for i in range(L) for p in ("q_proj", "v_proj")]


def test_a_fresh_adapter_leaves_the_outputs_unchanged(device):
    model = TinyGPT(V, T, C, NH, L, device=device)
    x = torch.randint(0, V, (2, T), device=device)
    expected = model(x)[0]
    add_lora(model, targets=ALL_LINEARS)
    assert torch.equal(model(x)[0], expected)  # B = 0: exactly the base
    assert isinstance(model.blocks[0].mlp.fc, LoRALinear)
    assert isinstance(model.lm_head, nn.Linear)  # not a target
