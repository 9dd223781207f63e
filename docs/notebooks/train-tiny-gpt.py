# %% [markdown]
# # Train a tiny GPT on a toy language
#
# This notebook trains the guide's own [tiny GPT](../../topics/llm/decoder-block/)
# on the CPU, from a random initialisation, in a few seconds. No data is
# downloaded: the corpus comes from a small grammar written below, so we
# know exactly how predictable it is and can compare the model's loss with
# the best loss any model could reach.
#
# The grammar makes sentences such as `the cats chase the dog.` The verb
# agrees with its subject (`the cat sees`, `the cats see`), so predicting the
# verb's ending means looking back past the verb to the subject: a job for
# attention, not for a bigram table.

# %%
import math
import random
import re
import time

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

from snippets.topics.llm.kv_cache import generate
from snippets.topics.llm.tiny_gpt import TinyGPT

torch.manual_seed(0)
torch.set_num_threads(1)  # tiny matrices: one thread is as fast, and steadier

NOUNS = ["cat", "dog", "bird"]
VERBS = ["see", "like", "chase"]


def sentence(rng):
    plural = rng.random() < 0.5
    subject = "the " + rng.choice(NOUNS) + ("s" if plural else "")
    verb = rng.choice(VERBS) + ("" if plural else "s")
    return f"{subject} {verb} the {rng.choice(NOUNS)}."


def corpus(n_sentences, seed):
    rng = random.Random(seed)
    return " ".join(sentence(rng) for _ in range(n_sentences))


train_text, val_text = corpus(2000, seed=0), corpus(200, seed=1)
chars = sorted(set(train_text))
V = len(chars)
stoi = {c: i for i, c in enumerate(chars)}
train_data = torch.tensor([stoi[c] for c in train_text])
val_data = torch.tensor([stoi[c] for c in val_text])
print(train_text[:120])
print(f"vocab size: {V}, training characters: {len(train_data)}")

# %% [markdown]
# **How low can the loss go?** Each sentence makes four independent
# choices: the subject noun (3 ways), singular or plural (2), the verb (3)
# and the object (3). Everything else — spelling, spaces, the agreement
# suffix, the full stop — is determined. So a perfect model pays
# $\ln 3 + \ln 2 + \ln 3 + \ln 3 = \ln 54 \approx 3.99$ nats per sentence,
# spread over the characters of the sentence. An untrained model, which
# spreads its probability evenly, pays $\ln V$ nats per character.

# %%
chars_per_sentence = len(train_text) / 2000
floor = math.log(54) / chars_per_sentence
print(f"characters per sentence: {chars_per_sentence:.1f}")
print(f"entropy floor: {floor:.3f} nats/char; uniform guess: ln V = {math.log(V):.3f}")

# %% [markdown]
# Training takes random windows of `BLOCK` characters; the targets are the
# same windows shifted by one. The model has two pre-norm decoder blocks of
# width 48 with 4 heads, and ties its output layer to the token embedding.

# %%
BLOCK, BATCH, STEPS, LR = 32, 16, 200, 1e-2


def batch(data, generator=None):
    i = torch.randint(0, len(data) - BLOCK - 1, (BATCH,), generator=generator)
    x = torch.stack([data[j : j + BLOCK] for j in i])
    y = torch.stack([data[j + 1 : j + BLOCK + 1] for j in i])
    return x, y  # (B, T) each


g = torch.Generator().manual_seed(1)
val_batches = [batch(val_data, g) for _ in range(8)]


@torch.no_grad()
def val_loss(model):
    model.eval()
    loss = sum(model(x, y)[1].item() for x, y in val_batches) / len(val_batches)
    model.train()
    return loss


model = TinyGPT(V, BLOCK, d_model=48, n_heads=4, n_layers=2)
initial = val_loss(model)
print(f"parameters: {sum(p.numel() for p in model.parameters()):,}")
print(f"initial loss: {initial:.3f} (ln V = {math.log(V):.3f})")

# %% [markdown]
# AdamW with a constant learning rate for the first half, then a linear
# decay to zero, which removes most of the noise of the last steps.

# %%
opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=0.0)
losses, val_points = [], [(0, initial)]
start = time.perf_counter()
for step in range(STEPS):
    for group in opt.param_groups:
        group["lr"] = LR * min(1.0, 2 * (STEPS - step) / STEPS)
    x, y = batch(train_data)
    _, loss = model(x, y)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    losses.append(loss.item())
    if (step + 1) % 50 == 0:
        val_points.append((step + 1, val_loss(model)))
seconds = time.perf_counter() - start
final = val_points[-1][1]
print(f"{STEPS} steps in {seconds:.1f} s")
print(f"final loss: {final:.3f}")

# %%
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(losses, lw=1, alpha=0.6, label="training batch")
ax.plot(*zip(*val_points, strict=True), "o-", label="validation")
ax.axhline(math.log(V), color="gray", ls="--", label="ln V (uniform)")
ax.axhline(floor, color="black", ls=":", label="entropy floor")
ax.set_xlabel("step")
ax.set_ylabel("cross-entropy (nats/char)")
ax.set_ylim(0, 3.2)
ax.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# The loss falls from $\ln V$ to a few hundredths of a nat above the floor.
# Where is the remaining gap? Split the validation loss by position in the
# window: the first characters are seen with too little context to know
# where in a sentence they are.

# %%
model.eval()
with torch.no_grad():  # per-token losses, (B, T) for each validation batch
    nll = [
        F.cross_entropy(model(x)[0].transpose(1, 2), y, reduction="none") for x, y in val_batches
    ]
per_position = torch.cat(nll).mean(0)  # (T,)
print(f"positions 0-3:  {per_position[:4].mean():.3f} nats/char")
print(f"positions 8-31: {per_position[8:].mean():.3f} nats/char (floor {floor:.3f})")

# %% [markdown]
# ## Sampling
#
# `generate` (from the [KV-cache page](../../topics/llm/kv-cache/)) feeds the
# prompt once and then one token per step. Each sample starts after a full
# stop and is drawn at temperature 0.8; we then count how many of the
# complete sentences it writes the grammar could have produced, agreement
# included.

# %%
prompt = torch.full((8, 1), stoi["."])  # 8 samples, each starting after "."
gen = torch.Generator().manual_seed(0)
out = generate(model, prompt, BLOCK, temperature=0.8, generator=gen)
samples = ["".join(chars[i] for i in row[1:]) for row in out.tolist()]
print("\n".join(samples))

N, VB = "|".join(NOUNS), "|".join(VERBS)
grammatical = re.compile(rf"the ({N})(s ({VB})| ({VB})s) the ({N})")
complete = [s.strip() for text in samples for s in text.split(".")[:-1]]
ok = sum(bool(grammatical.fullmatch(s)) for s in complete)
print(f"grammatical sentences: {ok}/{len(complete)}")
