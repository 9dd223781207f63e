"""Mixed precision with bfloat16 autocast: fp32 master weights, bf16 matmuls."""

import torch
import torch.nn.functional as F


# --8<-- [start:step]
def mixed_precision_step(model, opt, x, y, device_type="cpu"):
    """One training step with the forward pass under bf16 autocast.

    The parameters (and so the optimiser's update) stay float32. Inside
    autocast, matmuls read bf16 copies of the weights and return bf16;
    reductions such as the loss are computed in float32.
    """
    opt.zero_grad(set_to_none=True)
    with torch.autocast(device_type, dtype=torch.bfloat16):
        logits = model(x)  # (B, K), bf16
    # Leave autocast before the loss and upcast: log-softmax over bf16
    # logits would lose the small differences that the loss is made of.
    loss = F.cross_entropy(logits.float(), y)
    loss.backward()  # grads arrive in the parameters' dtype: float32
    opt.step()
    return loss.detach(), logits.detach()


# --8<-- [end:step]
