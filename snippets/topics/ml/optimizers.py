"""SGD with momentum, Adagrad, Adam and AdamW from scratch, in PyTorch's
conventions.

Each optimiser takes an iterable of parameters and, like torch.optim,
reads p.grad in step() and updates p in place.
"""

import torch


# --8<-- [start:sgd]
class Optimizer:
    """Holds the parameters; subclasses read p.grad in step()."""

    def __init__(self, params):
        self.params = list(params)
        self.t = 0  # number of steps taken

    def zero_grad(self):
        for p in self.params:
            p.grad = None


class SGD(Optimizer):
    """v ← μ v + g;  p ← p − lr · v  (or g + μ v with Nesterov).

    weight_decay adds wd · p to the gradient (L2 regularisation).
    """

    def __init__(
        self, params, lr, momentum=0.0, nesterov=False, weight_decay=0.0
    ):
        super().__init__(params)
        self.lr, self.mu, self.nesterov = lr, momentum, nesterov
        self.wd = weight_decay
        self.v = [torch.zeros_like(p) for p in self.params]

    @torch.no_grad()
    def step(self):
        for p, v in zip(self.params, self.v, strict=True):
            g = p.grad + self.wd * p
            v.mul_(self.mu).add_(g)  # v starts at 0, so v₁ = g₁
            # Nesterov: step along the gradient plus the look-ahead μ v.
            update = g + self.mu * v if self.nesterov else v
            p.sub_(self.lr * update)


# --8<-- [end:sgd]


# --8<-- [start:adagrad]
class Adagrad(Optimizer):
    """G ← G + g²;  p ← p − lr · g / (√G + eps), elementwise.

    G sums every squared gradient seen so far, so each coordinate's
    effective learning rate lr / √G can only shrink. weight_decay adds
    wd · p to the gradient (L2), as in torch.optim.Adagrad.
    """

    def __init__(
        self,
        params,
        lr=1e-2,
        eps=1e-10,
        weight_decay=0.0,
        initial_accumulator_value=0.0,
    ):
        super().__init__(params)
        self.lr, self.eps, self.wd = lr, eps, weight_decay
        G0 = initial_accumulator_value
        self.G = [torch.full_like(p, G0) for p in self.params]

    @torch.no_grad()
    def step(self):
        self.t += 1
        for p, G in zip(self.params, self.G, strict=True):
            g = p.grad + self.wd * p
            G.add_(g * g)  # a sum, not an average: no forgetting
            p.sub_(self.lr * g / (G.sqrt() + self.eps))


# --8<-- [end:adagrad]


# --8<-- [start:adam]
class Adam(Optimizer):
    """Adam; decoupled=True gives AdamW.

    Adam (L2):   g ← g + wd · p, then the adaptive step.
    AdamW:       p ← p − lr · wd · p, then the adaptive step on the raw g.
    """

    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0.0,
        decoupled=False,
    ):
        super().__init__(params)
        self.lr, (self.b1, self.b2), self.eps = lr, betas, eps
        self.wd, self.decoupled = weight_decay, decoupled
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]

    @torch.no_grad()
    def step(self):
        self.t += 1
        # m and v start at 0, so early averages are biased towards 0 by
        # a factor (1 − βᵗ); dividing by it removes the bias.
        bc1, bc2 = 1 - self.b1**self.t, 1 - self.b2**self.t
        for p, m, v in zip(self.params, self.m, self.v, strict=True):
            g = p.grad
            if self.decoupled:
                p.mul_(1 - self.lr * self.wd)  # shrink p, outside of m, v
            else:
                g = g + self.wd * p  # decay enters m and v
            m.mul_(self.b1).add_((1 - self.b1) * g)
            v.mul_(self.b2).add_((1 - self.b2) * g * g)
            m_hat, v_hat = m / bc1, v / bc2
            p.sub_(self.lr * m_hat / (v_hat.sqrt() + self.eps))


class AdamW(Adam):
    def __init__(
        self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2
    ):
        super().__init__(params, lr, betas, eps, weight_decay, decoupled=True)


# --8<-- [end:adam]
