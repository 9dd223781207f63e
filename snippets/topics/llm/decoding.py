"""Decoding strategies: greedy, beam search, temperature, top-k, top-p.

A "model" here is any callable `next_logits(seqs)` that maps a batch of
prefixes (N, t) of token ids to next-token logits (N, V).
"""

import torch


# --8<-- [start:search]
def greedy(next_logits, prefix, steps):
    """Append the most likely token `steps` times.

    prefix: (t,) token ids. Returns the (t + steps,) sequence and the
    sum of log-probabilities of the appended tokens (nats).
    """
    seq, score = prefix[None, :], 0.0  # (1, t)
    for _ in range(steps):
        logp = torch.log_softmax(next_logits(seq), dim=-1)[0]  # (V,)
        tok = logp.argmax()  # first index among equal maxima
        score = score + logp[tok]
        seq = torch.cat([seq, tok.view(1, 1)], dim=1)
    return seq[0], score


def beam_search(next_logits, prefix, steps, beam_width):
    """Keep the `beam_width` best partial sequences at every step.

    Scores are total log-probabilities (no length penalty: every
    candidate has the same length). Returns the best (t + steps,)
    sequence and its score.
    """
    seqs = prefix[None, :]  # (n, t), n = live beams
    scores = torch.zeros(1, device=prefix.device)  # (n,)
    for _ in range(steps):
        logp = torch.log_softmax(next_logits(seqs), dim=-1)  # (n, V)
        V = logp.size(-1)
        total = (scores[:, None] + logp).flatten()  # (n * V,)
        scores, idx = total.topk(min(beam_width, total.numel()))
        parent, tok = idx // V, idx % V
        seqs = torch.cat([seqs[parent], tok[:, None]], dim=1)
    return seqs[0], scores[0]  # topk sorts, so beam 0 is the best


# --8<-- [end:search]


# --8<-- [start:sampling]
def apply_temperature(logits, temperature):
    """softmax(logits / T) over the last axis. T -> 0 tends to argmax."""
    return torch.softmax(logits / temperature, dim=-1)


def top_k_filter(logits, k):
    """Keep exactly the k largest logits; set the rest to -inf.

    logits: (..., V). Ties are ordered by token id (lower id first).
    """
    order = logits.sort(dim=-1, descending=True, stable=True).indices
    keep = torch.zeros_like(logits, dtype=torch.bool)
    keep = keep.scatter(-1, order[..., :k], True)
    return logits.masked_fill(~keep, float("-inf"))


def top_p_filter(logits, p):
    """Keep the smallest set of most likely tokens whose mass is >= p.

    Ties in probability are ordered by token id (a stable sort), so the
    lower id enters the nucleus first. The top token is always kept.
    """
    probs = torch.softmax(logits, dim=-1)
    sorted_probs, order = probs.sort(dim=-1, descending=True, stable=True)
    mass_before = sorted_probs.cumsum(dim=-1) - sorted_probs
    keep_sorted = mass_before < p  # still short of p before this token
    keep = torch.zeros_like(keep_sorted).scatter(-1, order, keep_sorted)
    return logits.masked_fill(~keep, float("-inf"))


def sample(
    logits, temperature=1.0, top_k=None, top_p=None, n=1, generator=None
):
    """Draw n tokens per row from the filtered distribution.

    logits: (N, V). Temperature first, then top-k, then top-p.
    temperature=0 means greedy. Returns (N, n) token ids.
    """
    if temperature == 0:
        return logits.argmax(dim=-1, keepdim=True).expand(-1, n)
    logits = logits / temperature
    if top_k is not None:
        logits = top_k_filter(logits, top_k)
    if top_p is not None:
        logits = top_p_filter(logits, top_p)
    probs = torch.softmax(logits, dim=-1)  # filtered tokens get 0
    return torch.multinomial(probs, n, replacement=True, generator=generator)


# --8<-- [end:sampling]
