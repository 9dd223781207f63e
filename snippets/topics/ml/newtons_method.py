"""Newton's method versus gradient descent: quadratic versus linear rates."""

import torch


# --8<-- [start:newton]
def newton(grad, hess, w, steps):
    """Iterate w ← w − H(w)⁻¹ ∇f(w); returns all iterates (steps + 1, D).

    grad: w -> (D,), hess: w -> (D, D), positive definite near the optimum.
    """
    iterates = [w]
    for _ in range(steps):
        w = w - torch.linalg.solve(hess(w), grad(w))
        iterates.append(w)
    return torch.stack(iterates)


def gradient_descent(grad, w, lr, steps):
    """Iterate w ← w − lr ∇f(w); returns all iterates (steps + 1, D)."""
    iterates = [w]
    for _ in range(steps):
        w = w - lr * grad(w)
        iterates.append(w)
    return torch.stack(iterates)


# --8<-- [end:newton]
