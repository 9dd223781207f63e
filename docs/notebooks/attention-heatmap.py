# %% [markdown]
# # Attention weights of a causal head
#
# What does a causal attention head "look at"? This notebook builds one
# multi-head attention layer from the guide's own
# [implementation](../../topics/llm/multi-head-attention/), sets one head's
# weights by hand so its behaviour is known, and draws the weights as a heat
# map. The tests execute this notebook on every build.
#
# A head whose query and key projections are equal and whose tokens are
# near-orthogonal attends most to **itself**; the causal mask then zeroes
# everything above the diagonal, so row $i$ spreads its weight over tokens
# $0, \dots, i$ only.

# %%
import matplotlib.pyplot as plt
import torch

from snippets.topics.llm.multi_head_attention import MultiHeadAttention

torch.manual_seed(0)
tokens = ["the", "cat", "sat", "on", "the", "mat"]
T, d_model, n_heads = len(tokens), 16, 2

# One embedding per distinct word: the two "the" share a vector.
vocab = {w: i for i, w in enumerate(dict.fromkeys(tokens))}
embedding = torch.nn.functional.one_hot(torch.tensor([vocab[w] for w in tokens]), d_model)
x = 3.0 * embedding.float()[None]  # (B=1, T, C)

mha = MultiHeadAttention(d_model, n_heads)
with torch.no_grad():
    # Head 0 reads the first 8 channels and compares tokens by identity.
    for proj in (mha.q_proj, mha.k_proj):
        proj.weight.zero_()
        proj.bias.zero_()
        proj.weight[:8, :8] = torch.eye(8)
    _, weights = mha(x, causal=True)  # weights: (B, nh, T, T)

head0 = weights[0, 0]
print("row sums:", [f"{s:.4f}" for s in head0.sum(-1).tolist()])
print("above the diagonal:", head0.triu(1).abs().max().item())

# %% [markdown]
# Every row sums to one and nothing above the diagonal is non-zero: no token
# sees the future. The second "the" (row 4) puts most of its weight on both
# occurrences of "the", because they share an embedding — attention compares
# *content*, and position enters only through the mask here.

# %%
fig, ax = plt.subplots(figsize=(4.2, 3.6))
image = ax.imshow(head0, cmap="viridis", vmin=0, vmax=1)
ax.set_xticks(range(T), tokens, rotation=45)
ax.set_yticks(range(T), tokens)
ax.set_xlabel("key")
ax.set_ylabel("query")
ax.set_title("Head 0, causal")
fig.colorbar(image, ax=ax, fraction=0.046)
fig.tight_layout()
plt.show()

# %%
assert torch.allclose(head0.sum(-1), torch.ones(T))
assert head0.triu(1).abs().max() == 0
assert head0[4, 0] > 0.3 and head0[4, 4] > 0.3  # the two "the" attend to each other
