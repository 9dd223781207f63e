"""Gradient accumulation: one large batch as several backward passes."""


# --8<-- [start:accumulate]
def accumulate_grads(model, loss_fn, x, y, n_micro):
    """Leave in p.grad the gradient of loss_fn(model(x), y) on the full batch.

    x: (B, ...), y: (B, ...); loss_fn averages over the batch.
    The batch is cut into n_micro micro-batches; each is forwarded and
    backwarded on its own, so activation memory is that of B / n_micro
    examples. backward() adds into p.grad, so the gradients add up.
    """
    model.zero_grad(set_to_none=True)
    B, total = x.size(0), 0.0
    for xb, yb in zip(x.chunk(n_micro), y.chunk(n_micro), strict=True):
        # A mean over the full batch = Σ (b/B) · mean over a micro-batch of
        # size b. With equal sizes the weight is 1 / n_micro.
        loss = loss_fn(model(xb), yb) * (xb.size(0) / B)
        loss.backward()
        total += loss.item()
    return total  # the full-batch loss, for logging


# --8<-- [end:accumulate]
