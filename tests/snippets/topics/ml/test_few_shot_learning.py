import torch
import torch.nn.functional as F

from snippets.topics.ml.few_shot_learning import (
    episode_accuracy,
    proto_logits,
    prototypes,
)

F64 = torch.float64


def test_prototypes_are_class_means(device):
    support = torch.tensor([[0.0, 0.0], [2.0, 0.0], [0.0, 4.0], [2.0, 8.0]], device=device)
    labels = torch.tensor([0, 0, 1, 1], device=device)
    expected = torch.tensor([[1.0, 0.0], [1.0, 6.0]], device=device)
    torch.testing.assert_close(prototypes(support, labels, 2), expected)


def test_prototype_classifier_is_linear(device):
    protos = torch.randn(5, 16, dtype=F64, device=device)
    query = torch.randn(30, 16, dtype=F64, device=device)
    linear = query @ (2 * protos).T - protos.square().sum(1)
    # The logits differ by −‖q‖², the same for every class, so the softmax
    # probabilities (and the cross-entropy) are identical.
    torch.testing.assert_close(
        F.log_softmax(proto_logits(query, protos), 1),
        F.log_softmax(linear, 1),
        rtol=1e-10,
        atol=1e-10,
    )


def test_accuracy_rises_with_shots_towards_the_nearest_mean_rule(device):
    g = torch.Generator(device=device).manual_seed(0)
    means = 0.6 * torch.randn(5, 16, generator=g, dtype=F64, device=device)
    runs = 200  # episodes of 5-way, 15 queries per class
    acc = {
        k: sum(episode_accuracy(means, k, 15, generator=g) for _ in range(runs)) / runs
        for k in (1, 5, 20)
    }
    # Classifying with the true means (K → ∞) bounds what prototypes reach.
    q = means.repeat_interleave(4000, 0)
    q = q + torch.randn(q.shape, generator=g, dtype=F64, device=device)
    labels = torch.arange(5, device=device).repeat_interleave(4000)
    oracle = (proto_logits(q, means).argmax(1) == labels).double().mean().item()
    # Each average covers 15 000 queries: SE ≤ 0.004. Observed 0.53,
    # 0.79, 0.87 against the oracle's 0.89 (20 000 queries).
    assert acc[1] + 0.05 < acc[5] < acc[20] < oracle + 0.01, (acc, oracle)
    assert oracle - acc[20] < 0.05, (acc, oracle)
