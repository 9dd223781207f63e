import math

import torch
import torch.nn.functional as F

from snippets.topics.llm.pretraining_and_sft import (
    IGNORE,
    lm_loss,
    pack,
    packed_causal_mask,
    render_chat,
    sft_batch,
)
from snippets.topics.llm.rope import apply_rope


def test_lm_loss_matches_cross_entropy_ignore_index(device):
    B, T, V = 3, 7, 11
    logits = torch.randn(B, T, V, device=device)
    labels = torch.randint(0, V, (B, T), device=device)
    labels[0, :4] = IGNORE
    labels[2, 5:] = IGNORE
    expected = F.cross_entropy(logits.flatten(0, 1), labels.flatten(), ignore_index=-100)
    torch.testing.assert_close(lm_loss(logits, labels), expected, atol=1e-6, rtol=0)
    # Without masking it is plain next-token cross-entropy.
    full = torch.randint(0, V, (B, T), device=device)
    expected = F.cross_entropy(logits.flatten(0, 1), full.flatten())
    torch.testing.assert_close(lm_loss(logits, full), expected, atol=1e-6, rtol=0)


def test_uniform_logits_give_log_v(device):
    labels = torch.randint(0, 50, (2, 9), device=device)
    loss = lm_loss(torch.zeros(2, 9, 50, device=device), labels)
    assert math.isclose(loss.item(), math.log(50), rel_tol=1e-6)


def test_sft_loss_is_the_loss_over_response_tokens_only(device):
    prompts = [torch.tensor([5, 6, 7], device=device), torch.tensor([8], device=device)]
    responses = [torch.tensor([1, 2], device=device), torch.tensor([3, 4, 9, 2], device=device)]
    inputs, labels = sft_batch(prompts, responses)
    # Example 0 is 5 6 7 1 2: inputs drop the last token, labels the first;
    # the targets 6 and 7 are prompt tokens, so only 1 and 2 are learned.
    assert inputs[0].tolist() == [5, 6, 7, 1]
    assert labels[0].tolist() == [IGNORE, IGNORE, 1, 2]
    assert inputs[1].tolist() == [8, 3, 4, 9] and labels[1].tolist() == [3, 4, 9, 2]
    # A shorter example is right-padded; padding targets are ignored too.
    _, short = sft_batch(prompts, [responses[0], responses[1][:1]])
    assert short[1].tolist() == [3, IGNORE, IGNORE, IGNORE]
    logits = torch.randn(*inputs.shape, 12, device=device, requires_grad=True)
    loss = lm_loss(logits, labels)
    # By hand: the 6 response targets, each -log softmax at its position.
    logp = torch.log_softmax(logits, -1)
    terms = [
        logp[0, 2, 1],
        logp[0, 3, 2],
        logp[1, 0, 3],
        logp[1, 1, 4],
        logp[1, 2, 9],
        logp[1, 3, 2],
    ]
    torch.testing.assert_close(loss, -torch.stack(terms).mean(), atol=1e-6, rtol=0)
    # Prompt and padding positions get exactly zero gradient.
    (grad,) = torch.autograd.grad(loss, logits)
    assert grad[labels == IGNORE].abs().max() == 0
    assert grad[labels != IGNORE].abs().min() > 0


def test_packing_with_resets_equals_separate_documents(device):
    docs = [torch.randint(0, 9, (n,), device=device) for n in (5, 3, 6)]
    tokens, doc_ids, positions = pack(docs)
    assert positions.tolist() == [0, 1, 2, 3, 4, 0, 1, 2, 0, 1, 2, 3, 4, 5]
    assert torch.equal(tokens, torch.cat(docs))
    T, hs = tokens.numel(), 8
    q, k, v = torch.randn(3, 1, 2, T, hs, device=device)  # (B, nh, T, hs)
    # RoPE at the reset positions and the block-diagonal causal mask ...
    qr, kr = apply_rope(q, positions), apply_rope(k, positions)
    mask = packed_causal_mask(doc_ids)
    packed = F.scaled_dot_product_attention(qr, kr, v, attn_mask=mask)
    # ... give exactly what each document computes on its own.
    start = 0
    for d in docs:
        sl, pos = slice(start, start + len(d)), torch.arange(len(d), device=device)
        alone = F.scaled_dot_product_attention(
            apply_rope(q[..., sl, :], pos),
            apply_rope(k[..., sl, :], pos),
            v[..., sl, :],
            is_causal=True,
        )
        torch.testing.assert_close(packed[..., sl, :], alone, atol=1e-5, rtol=0)
        start += len(d)
    # Without the reset, later documents attend to earlier ones: different.
    leaky = F.scaled_dot_product_attention(qr, kr, v, is_causal=True)
    assert (leaky[..., 5:, :] - packed[..., 5:, :]).abs().max() > 1e-2


def test_packed_mask_counts(device):
    # Documents of 5, 3 and 6 tokens: 15 + 6 + 21 = 42 allowed pairs.
    doc_ids = torch.tensor([0] * 5 + [1] * 3 + [2] * 6, device=device)
    assert packed_causal_mask(doc_ids).sum().item() == 42


def test_chat_template_marks_only_assistant_tokens():
    ids, train = render_chat([("user", "Hi"), ("assistant", "Yo")])
    text = bytes(ids.tolist()).decode()
    assert text == "<|user|>\nHi<|end|>\n<|assistant|>\nYo<|end|>\n"
    trained = bytes(ids[train].tolist()).decode()
    assert trained == "Yo<|end|>"
