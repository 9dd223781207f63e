import math

import pytest
import torch

from snippets.topics.llm.tiny_gpt import TinyGPT


def closed_form(V, T, C, L, tied):
    """The count derived on the page: embeddings, L blocks, final LN, head."""
    return V * C + T * C + L * (12 * C * C + 13 * C) + 2 * C + (0 if tied else V * C)


@pytest.mark.parametrize("tied", [True, False])
@pytest.mark.parametrize(
    ("V", "T", "C", "nh", "L"), [(11, 8, 16, 2, 1), (65, 32, 64, 4, 3), (100, 7, 24, 3, 2)]
)
def test_parameter_count_matches_the_closed_form(V, T, C, nh, L, tied):
    model = TinyGPT(V, T, C, nh, L, tie_weights=tied, device="meta")
    assert sum(p.numel() for p in model.parameters()) == closed_form(V, T, C, L, tied)


def test_gpt2_small_has_124_439_808_parameters():
    # On the meta device nothing is allocated: shapes only.
    model = TinyGPT(50257, 1024, 768, 12, 12, device="meta")
    n = sum(p.numel() for p in model.parameters())
    assert n == closed_form(50257, 1024, 768, 12, True) == 124_439_808


def test_weight_tying_shares_one_tensor(device):
    model = TinyGPT(13, 8, 16, 2, 1, device=device)
    assert model.lm_head.weight is model.tok_emb.weight
    untied = TinyGPT(13, 8, 16, 2, 1, tie_weights=False, device=device)
    assert untied.lm_head.weight.data_ptr() != untied.tok_emb.weight.data_ptr()


@pytest.mark.parametrize(("B", "T"), [(1, 1), (3, 5), (2, 16)])
def test_output_shapes_and_loss(B, T, device):
    V = 17
    model = TinyGPT(V, 16, 32, 4, 2, device=device)
    idx = torch.randint(0, V, (B, T), device=device)
    targets = torch.randint(0, V, (B, T), device=device)
    logits, loss = model(idx, targets)
    assert logits.shape == (B, T, V) and loss.shape == ()
    # Mean negative log-probability of the targets, by hand.
    logp = logits.log_softmax(-1).gather(-1, targets[..., None])
    torch.testing.assert_close(loss, -logp.mean(), atol=1e-6, rtol=0)
    assert model(idx)[1] is None


def test_initial_loss_is_close_to_log_vocab(device):
    # std-0.02 weights give logits of std ≈ 0.02·√C = 0.11: near uniform.
    V = 50
    model = TinyGPT(V, 32, 32, 4, 2, device=device)
    idx = torch.randint(0, V, (16, 32), device=device)
    targets = torch.randint(0, V, (16, 32), device=device)
    _, loss = model(idx, targets)
    assert abs(loss.item() - math.log(V)) < 0.05


def test_changing_token_t_leaves_earlier_logits_unchanged(device):
    V, T = 23, 10
    model = TinyGPT(V, T, 32, 4, 3, device=device)
    idx = torch.randint(0, V, (2, T), device=device)
    logits, _ = model(idx)
    for t in range(T):
        changed = idx.clone()
        changed[:, t] = (idx[:, t] + 1) % V
        logits2, _ = model(changed)
        torch.testing.assert_close(logits2[:, :t], logits[:, :t], atol=1e-6, rtol=0)
        assert (logits2[:, t] - logits[:, t]).abs().max() > 1e-4


def test_gradient_reaches_every_parameter(device):
    V, T = 19, 12
    model = TinyGPT(V, T, 32, 4, 2, tie_weights=False, device=device)
    idx = torch.randint(0, V, (4, T), device=device)
    _, loss = model(idx, torch.roll(idx, -1, dims=1))
    loss.backward()
    for name, p in model.named_parameters():
        assert p.grad is not None and torch.isfinite(p.grad).all(), name
        assert p.grad.abs().max() > 0, name


def test_longer_than_the_context_is_refused(device):
    model = TinyGPT(5, 4, 8, 2, 1, device=device)
    with pytest.raises(ValueError, match="exceed block_size"):
        model(torch.zeros(1, 5, dtype=torch.long, device=device))
