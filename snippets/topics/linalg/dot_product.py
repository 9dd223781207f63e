"""Dot products: projection onto a vector, cosine similarity."""


# --8<-- [start:dot]
def project(x, u):
    """Orthogonal projection of x onto the line through u.

    x, u: (..., D). Returns (x·u / u·u) u, shape (..., D); the residual
    x − proj is orthogonal to u.
    """
    coef = (x * u).sum(-1, keepdim=True) / (u * u).sum(-1, keepdim=True)
    return coef * u


def cosine_similarity(a, b, eps=1e-8):
    """cos θ = a·b / (‖a‖ ‖b‖), shape (...,) for a, b: (..., D).

    Each norm is clamped at eps so that a zero vector gives 0, not NaN.
    By Cauchy–Schwarz the result lies in [−1, 1].
    """
    dot = (a * b).sum(-1)
    na = a.norm(dim=-1).clamp_min(eps)
    nb = b.norm(dim=-1).clamp_min(eps)
    return dot / (na * nb)


def similarity_matrix(X, Y):
    """All pairwise cosines between rows: X (N, D), Y (M, D) -> (N, M).

    Normalise once, then one matrix product: N·M·D multiply-adds.
    """
    Xn = X / X.norm(dim=-1, keepdim=True)
    Yn = Y / Y.norm(dim=-1, keepdim=True)
    return Xn @ Yn.T


# --8<-- [end:dot]
