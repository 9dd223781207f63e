"""GRPO's group-normalised advantages (no value network)."""


# --8<-- [start:grpo]
def grpo_advantages(rewards, eps=1e-6):
    """(r − mean) / (std + eps) within each group of samples.

    rewards: (G, n), n sampled responses for each of G prompts. Every
    token of a response gets its response's advantage. The std is the
    population one (divide by n); a group whose rewards are all equal
    gets zero advantages and so no gradient.
    """
    mean = rewards.mean(dim=-1, keepdim=True)  # (G, 1)
    std = rewards.std(dim=-1, keepdim=True, correction=0)  # (G, 1)
    return (rewards - mean) / (std + eps)  # (G, n)


# --8<-- [end:grpo]
