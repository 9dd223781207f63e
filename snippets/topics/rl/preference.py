"""Preference losses: Bradley–Terry reward model and DPO."""

import torch
import torch.nn.functional as F


# --8<-- [start:seq_logprob]
def sequence_logprob(logits, tokens, mask):
    """Sum of log π(token) over the response tokens of each sequence.

    logits: (B, T, V) predicting tokens: (B, T); mask: (B, T), 1 on
    response tokens (0 on prompt and padding). Returns (B,) sums and
    (B,) response lengths.
    """
    logp = torch.log_softmax(logits.float(), dim=-1)  # (B, T, V)
    tok_logp = logp.gather(-1, tokens[..., None]).squeeze(-1)  # (B, T)
    mask = mask.to(tok_logp.dtype)
    return (tok_logp * mask).sum(-1), mask.sum(-1)


# --8<-- [end:seq_logprob]


# --8<-- [start:losses]
def bradley_terry_loss(r_chosen, r_rejected):
    """Reward-model loss −log σ(r_w − r_l), mean over pairs: (B,) -> ()."""
    return -F.logsigmoid(r_chosen - r_rejected).mean()


def dpo_loss(
    logp_w, logp_l, ref_logp_w, ref_logp_l, beta=0.1, len_w=None, len_l=None
):
    """Direct preference optimisation, mean over pairs.

    logp_*: (B,) summed log-probs of the chosen (w) and rejected (l)
    responses under the policy; ref_logp_*: the same under the frozen
    reference. Passing len_w, len_l (B,) divides each log-ratio by its
    response length (the length-normalised variant).
    Returns the loss and the implicit rewards β·log(π/π_ref): (B,) each.
    """
    ratio_w = logp_w - ref_logp_w
    ratio_l = logp_l - ref_logp_l
    if len_w is not None:
        ratio_w, ratio_l = ratio_w / len_w, ratio_l / len_l
    reward_w, reward_l = beta * ratio_w, beta * ratio_l
    loss = bradley_terry_loss(reward_w, reward_l)
    return loss, reward_w.detach(), reward_l.detach()


# --8<-- [end:losses]
