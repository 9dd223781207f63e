"""Next-token loss, SFT loss masking, sequence packing, chat templates."""

import torch

IGNORE = -100  # the label of a position that takes no part in the loss


# --8<-- [start:loss]
def lm_loss(logits, labels):
    """Mean -log p(label) over the positions whose label is not IGNORE.

    logits: (B, T, V); labels: (B, T) token ids or IGNORE. Same as
    F.cross_entropy(..., ignore_index=IGNORE): the mean is over kept
    tokens of the whole batch, not per sequence.
    """
    logp = torch.log_softmax(logits.float(), dim=-1)  # (B, T, V)
    keep = labels != IGNORE  # (B, T)
    safe = labels.clamp(min=0)  # any valid id where ignored
    nll = -logp.gather(-1, safe[..., None]).squeeze(-1)  # (B, T)
    return (nll * keep).sum() / keep.sum()


def sft_batch(prompts, responses, pad_id=0):
    """Build (inputs, labels) for supervised fine-tuning.

    prompts, responses: lists of 1-D LongTensors. Each example is
    prompt + response, right-padded; inputs are tokens[:-1] and labels
    tokens[1:], with IGNORE where the target is a prompt token or
    padding, so only the response is learned. Returns (B, T-1) each.
    """
    seqs = [torch.cat((p, r)) for p, r in zip(prompts, responses, strict=True)]
    T = max(len(s) for s in seqs)
    tokens = torch.full((len(seqs), T), pad_id, dtype=torch.long)
    labels = torch.full((len(seqs), T), IGNORE, dtype=torch.long)
    for b, (p, s) in enumerate(zip(prompts, seqs, strict=True)):
        tokens[b, : len(s)] = s
        labels[b, len(p) : len(s)] = s[len(p) :]  # response targets only
    device = prompts[0].device
    return tokens[:, :-1].to(device), labels[:, 1:].to(device)


# --8<-- [end:loss]


# --8<-- [start:packing]
def pack(docs):
    """Concatenate documents into one row with per-document bookkeeping.

    docs: list of 1-D LongTensors. Returns tokens (T,), doc_ids (T,) and
    positions (T,) that restart at 0 in every document.
    """
    tokens = torch.cat(docs)
    doc_ids = torch.cat([torch.full_like(d, i) for i, d in enumerate(docs)])
    positions = torch.cat([torch.arange(len(d), device=d.device) for d in docs])
    return tokens, doc_ids, positions


def packed_causal_mask(doc_ids):
    """allowed[i, j]: key j is at or before query i, in the same document.

    doc_ids: (T,) -> (T, T) bool, block-diagonal lower-triangular: the
    attention "resets" at every document boundary.
    """
    T = doc_ids.numel()
    same_doc = doc_ids[:, None] == doc_ids[None, :]
    causal = torch.ones(T, T, dtype=torch.bool, device=doc_ids.device).tril()
    return same_doc & causal


# --8<-- [end:packing]


# --8<-- [start:chat]
def render_chat(messages):
    """A toy chat template over bytes: <|role|>\\ncontent<|end|>\\n per turn.

    messages: list of (role, content). Returns ids (T,) and a (T,) bool
    mask that is True on assistant content and its <|end|> marker (the
    tokens SFT trains on) and False on the template and other roles.
    """
    ids, train = [], []
    for role, content in messages:
        header = f"<|{role}|>\n".encode()
        body = (content + "<|end|>").encode()
        ids += [*header, *body, ord("\n")]
        learn = role == "assistant"
        train += [False] * len(header) + [learn] * len(body) + [False]
    return torch.tensor(ids), torch.tensor(train)


# --8<-- [end:chat]
