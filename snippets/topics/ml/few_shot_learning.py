"""Few-shot classification with prototypes: each class is the mean of its
few support embeddings, and a query goes to the nearest prototype.
Zero-shot: with no examples at all, the class's embedded description
stands in for the prototype."""

import torch


# --8<-- [start:prototypes]
def prototypes(support, labels, n_way):
    """Class means of the support embeddings.

    support: (N·K, E), labels: (N·K,) in 0..N−1 -> (N, E).
    """
    onehot = torch.nn.functional.one_hot(labels, n_way).to(support.dtype)
    return onehot.T @ support / onehot.sum(0)[:, None]


def proto_logits(query, protos):
    """Logits −‖q − c_k‖² for query: (Q, E), protos: (N, E) -> (Q, N).

    Expanding the square, −‖q‖² + 2 c_k·q − ‖c_k‖²: the first term is
    the same for every class, so this is a linear classifier with
    weights 2c_k and biases −‖c_k‖².
    """
    return -torch.cdist(query, protos).square()


# --8<-- [end:prototypes]


# --8<-- [start:episode]
def sample_episode(means, k_shot, n_query, std=1.0, generator=None):
    """An N-way K-shot episode from isotropic Gaussians around means (N, E).

    Returns support (N·K, E), support labels, query (N·Q, E), query labels.
    """
    N, E = means.shape
    kw = dict(generator=generator, device=means.device, dtype=means.dtype)
    labels = torch.arange(N, device=means.device)
    s_lab = labels.repeat_interleave(k_shot)
    q_lab = labels.repeat_interleave(n_query)
    support = means[s_lab] + std * torch.randn(N * k_shot, E, **kw)
    query = means[q_lab] + std * torch.randn(N * n_query, E, **kw)
    return support, s_lab, query, q_lab


def episode_accuracy(means, k_shot, n_query, std=1.0, generator=None):
    support, s_lab, query, q_lab = sample_episode(
        means, k_shot, n_query, std, generator
    )
    protos = prototypes(support, s_lab, means.size(0))
    pred = proto_logits(query, protos).argmax(1)
    return (pred == q_lab).double().mean().item()


# --8<-- [end:episode]


# --8<-- [start:zero_shot]
def zero_shot(x, class_emb, temperature=0.01):
    """Class probabilities from cosine similarity to class descriptions.

    x: (Q, E) input embeddings, class_emb: (N, E) embeddings of the
    classes' descriptions (e.g. "a photo of a {label}") -> (Q, N), rows
    summing to 1. temperature → 0 gives the one-hot nearest description.
    """
    x = torch.nn.functional.normalize(x, dim=-1)
    c = torch.nn.functional.normalize(class_emb, dim=-1)
    # Cosines lie in [−1, 1]: divided by 1 they give an almost flat
    # softmax over many classes, hence a small temperature (CLIP: 0.01).
    return torch.softmax(x @ c.T / temperature, dim=-1)  # (Q, N)


# --8<-- [end:zero_shot]
