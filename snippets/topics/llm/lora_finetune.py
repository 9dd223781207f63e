"""Fine-tune a frozen model through LoRA adapters, then merge them."""

import torch
from torch import nn

from snippets.topics.llm.lora import LoRALinear


# --8<-- [start:wrap]
def add_lora(model, r=4, alpha=8, targets=("q_proj", "v_proj")):
    """Freeze every weight of model, then wrap each nn.Linear whose
    attribute name is in targets with a trainable LoRALinear.

    Returns the model, changed in place.
    """
    model.requires_grad_(False)
    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            if isinstance(child, nn.Linear) and name in targets:
                setattr(parent, name, LoRALinear(child, r, alpha))
    return model


def merge_lora(model):
    """Replace every LoRALinear by its merged nn.Linear, in place."""
    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            if isinstance(child, LoRALinear):
                setattr(parent, name, child.merged())
    return model


# --8<-- [end:wrap]


# --8<-- [start:train]
def counting_batch(B, T, V, stride, device=None):
    """Token sequences s, s + stride, s + 2·stride, ... (mod V).

    Returns inputs and next-token targets, both (B, T).
    """
    start = torch.randint(0, V, (B, 1), device=device)
    seq = (start + stride * torch.arange(T + 1, device=device)) % V
    return seq[:, :-1], seq[:, 1:]


def train(model, stride, steps, lr, B=32):
    """Adam on the parameters that require grad; returns the losses."""
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.Adam(params, lr=lr)
    V, T = model.tok_emb.num_embeddings, model.block_size
    device = model.tok_emb.weight.device
    losses = []
    for _ in range(steps):
        x, y = counting_batch(B, T, V, stride, device)
        _, loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


# --8<-- [end:train]
