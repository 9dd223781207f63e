"""k-means: k-means++ seeding, then Lloyd's alternating updates."""

import torch


# --8<-- [start:seeding]
def squared_distances(X, centres):
    """X: (N, D), centres: (k, D) -> (N, k) squared Euclidean distances."""
    return (X[:, None, :] - centres[None, :, :]).square().sum(-1)


def kmeans_plus_plus(X, k):
    """Pick k rows of X as initial centres. X: (N, D) -> (k, D).

    The first centre is uniform over the points; each later one is drawn
    with probability proportional to D(x)², the squared distance from x
    to its nearest centre chosen so far.
    """
    N = X.size(0)
    first = torch.randint(N, (1,), device=X.device)
    centres = X[first]  # (1, D)
    for _ in range(k - 1):
        d2 = squared_distances(X, centres).min(dim=1).values  # (N,)
        nxt = torch.multinomial(d2 / d2.sum(), 1)
        centres = torch.cat([centres, X[nxt]])  # (j + 1, D)
    return centres


# --8<-- [end:seeding]


# --8<-- [start:lloyd]
def kmeans(X, k, max_iters=100, centres=None):
    """Lloyd's algorithm. X: (N, D).

    Returns centres (k, D), labels (N,) and the inertia (sum of squared
    distances to the assigned centre) measured after each assignment.
    Stops when no point changes cluster.
    """
    if centres is None:
        centres = kmeans_plus_plus(X, k)
    labels, history = None, []
    for _ in range(max_iters):
        d2 = squared_distances(X, centres)  # (N, k)
        new_labels = d2.argmin(dim=1)  # (N,)
        history.append(d2.gather(1, new_labels[:, None]).sum().item())
        if labels is not None and torch.equal(new_labels, labels):
            break
        labels = new_labels
        # Update step: every centre moves to the mean of its points.
        sums = torch.zeros_like(centres).index_add_(0, labels, X)  # (k, D)
        counts = torch.bincount(labels, minlength=k)  # (k,)
        # An empty cluster keeps its old centre instead of becoming 0/0.
        centres = torch.where(
            counts[:, None] > 0,
            sums / counts.clamp(min=1)[:, None].to(X.dtype),
            centres,
        )
    return centres, labels, history


# --8<-- [end:lloyd]
