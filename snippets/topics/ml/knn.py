"""k-nearest-neighbour classification with an explicit tie rule."""

import torch
import torch.nn.functional as F

from snippets.topics.ml.kmeans import squared_distances


# --8<-- [start:knn]
def knn_predict(X_train, y_train, X_query, k, n_classes):
    """Majority vote of the k nearest training points (Euclidean).

    X_train: (N, D), y_train: (N,) class ids, X_query: (Q, D) -> (Q,).
    Ties, stated once: equally distant neighbours are ordered by their
    index in X_train; a tie in votes goes to the tied class whose
    nearest member comes first in that order.
    """
    d2 = squared_distances(X_query, X_train)  # (Q, N), exact ties kept
    # A stable sort keeps equal distances in index order.
    nearest = d2.sort(dim=1, stable=True).indices[:, :k]  # (Q, k)
    labels = y_train[nearest]  # (Q, k), sorted by distance
    votes = F.one_hot(labels, n_classes).sum(dim=1)  # (Q, C)
    # Rank of each class's first (nearest) neighbour; k if absent.
    rank = torch.arange(k, device=X_query.device).expand_as(labels)
    first = torch.full_like(votes, k).scatter_reduce(
        1, labels, rank, reduce="amin"
    )  # (Q, C)
    # More votes wins; among equal votes the smaller first rank wins.
    # first < k + 1, so the score orders lexicographically.
    return (votes * (k + 1) - first).argmax(dim=1)


# --8<-- [end:knn]
