"""Federated averaging, the FedProx proximal term and a robust aggregate.

Clients hold their data; the server sees only model parameters (or
updates), each flattened to a vector of P numbers.
"""


# --8<-- [start:aggregate]
def fedavg(client_params, n_samples):
    """Average weighted by how much data each client trained on.

    client_params: (K, P), one row per client; n_samples: (K,).
    Returns (P,): sum_k n_k w_k / sum_k n_k.
    """
    n = n_samples.to(client_params.dtype)
    return (n / n.sum()) @ client_params  # (P,)


def coordinate_median(client_params):
    """Median of each coordinate over clients: (K, P) -> (P,).

    One client can move the mean anywhere; to move the median past the
    honest clients' range it needs a majority.
    """
    return client_params.quantile(0.5, dim=0)


# --8<-- [end:aggregate]


# --8<-- [start:prox]
def fedprox_penalty(w, w_global, mu):
    """(mu / 2) ||w - w_global||^2, added to each client's local loss.

    Its gradient mu (w - w_global) pulls the local model back towards
    the round's global model, which limits client drift on non-IID data.
    """
    return 0.5 * mu * (w - w_global).pow(2).sum()


def local_train(w_global, X, y, steps, lr, mu=0.0):
    """Full-batch gradient descent on one client's least-squares loss
    ||X w - y||^2 / (2 n), plus the FedProx penalty.

    X: (n, P), y: (n,), w_global: (P,). Returns the client's w (P,).
    """
    w = w_global.clone()
    for _ in range(steps):
        grad = X.T @ (X @ w - y) / len(y) + mu * (w - w_global)  # (P,)
        w = w - lr * grad
    return w


# --8<-- [end:prox]
