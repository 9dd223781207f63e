"""Power iteration and deflation for a symmetric positive semi-definite A."""

import torch


# --8<-- [start:power]
def power_iteration(A, steps=100, v0=None):
    """Top eigenpair of a symmetric PSD matrix A: (D, D).

    Repeats v ← Av / ‖Av‖. Returns the Rayleigh quotient vᵀAv (the
    eigenvalue estimate), the unit vector v (D,), and every iterate
    (steps + 1, D), so that the convergence can be measured.
    v0 (D,) is the start; a random one by default.
    """
    if v0 is None:
        v0 = torch.randn(A.size(0), dtype=A.dtype, device=A.device)
    v = v0 / v0.norm()
    iterates = [v]
    for _ in range(steps):
        w = A @ v
        v = w / w.norm()
        iterates.append(v)
    return v @ A @ v, v, torch.stack(iterates)


# --8<-- [end:power]


# --8<-- [start:deflation]
def top_eigenpairs(A, k, steps=200):
    """The k largest eigenpairs of a symmetric PSD A: (D, D).

    After finding (λ, q), deflate: A ← A − λ q qᵀ has the same
    eigenvectors, with λ replaced by 0, so the next power iteration
    finds the next eigenpair. Errors accumulate with each deflation;
    fine for a few pairs, not a replacement for torch.linalg.eigh.
    Returns eigenvalues (k,) in decreasing order and Q (D, k).
    """
    values, vectors = [], []
    for _ in range(k):
        lam, q, _ = power_iteration(A, steps)
        values.append(lam)
        vectors.append(q)
        A = A - lam * torch.outer(q, q)
    return torch.stack(values), torch.stack(vectors, dim=1)


# --8<-- [end:deflation]
