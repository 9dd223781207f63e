import torch
import torch.nn.functional as F

from snippets.topics.ml.few_shot_learning import (
    episode_accuracy,
    proto_logits,
    prototypes,
    zero_shot,
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


def toy_descriptions(device):
    # Three class descriptions in 2-d, at angles 0°, 90° and 45°.
    r = 2**-0.5
    return torch.tensor([[1.0, 0.0], [0.0, 1.0], [r, r]], dtype=F64, device=device)


def test_zero_shot_accuracy_on_noisy_copies_hand_checked(device):
    # Noisy, rescaled copies of the descriptions; cosine ignores the norm,
    # so only the angle matters and the boundaries sit at 22.5° and 67.5°.
    x = torch.tensor(
        [
            [2.0, 0.1],  # copy of class 0, angle 2.9°   -> 0
            [0.1, 3.0],  # copy of class 1, angle 88.1°  -> 1
            [1.0, 0.9],  # copy of class 2, angle 42.0°  -> 2
            [1.0, 0.3],  # copy of class 2, angle 16.7°  -> 0 (wrong)
        ],
        dtype=F64,
        device=device,
    )
    labels = torch.tensor([0, 1, 2, 2], device=device)
    probs = zero_shot(x, toy_descriptions(device))
    assert probs.argmax(1).tolist() == [0, 1, 2, 0]
    assert (probs.argmax(1) == labels).double().mean().item() == 0.75


def test_zero_shot_probabilities_by_hand_and_sum_to_one(device):
    x = 0.2 * torch.randn(7, 2, dtype=F64, device=device)
    probs = zero_shot(x, toy_descriptions(device), temperature=0.5)
    torch.testing.assert_close(
        probs.sum(1), torch.ones(7, dtype=F64, device=device), rtol=0, atol=1e-12
    )
    # x = (3, 0): cosines (1, 0, 1/√2), so p ∝ (e², e⁰, e^√2) at τ = 0.5.
    one = zero_shot(
        torch.tensor([[3.0, 0.0]], dtype=F64, device=device), toy_descriptions(device), 0.5
    )
    e = torch.tensor([2.0, 0.0, 2**0.5], dtype=F64, device=device).exp()
    torch.testing.assert_close(one[0], e / e.sum(), rtol=1e-12, atol=0)


def test_zero_shot_temperature_limits(device):
    x = torch.randn(50, 2, dtype=F64, device=device)
    desc = toy_descriptions(device)
    cos = F.normalize(x, dim=1) @ F.normalize(desc, dim=1).T
    # τ → 0: one-hot at the most similar description. With τ = 1e-5, any
    # cosine gap above 1e-3 leaves the runner-up below e^−100.
    top2 = cos.topk(2, dim=1).values
    assert (top2[:, 0] - top2[:, 1]).min() > 1e-3
    hard = F.one_hot(cos.argmax(1), 3).to(F64)
    torch.testing.assert_close(zero_shot(x, desc, 1e-5), hard, rtol=0, atol=1e-30)
    # τ → ∞: uniform; the argmax never depends on τ.
    torch.testing.assert_close(
        zero_shot(x, desc, 1e6), torch.full_like(hard, 1 / 3), rtol=0, atol=1e-6
    )
    assert torch.equal(zero_shot(x, desc, 1.0).argmax(1), cos.argmax(1))
