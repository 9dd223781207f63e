"""A tiny GPT: embeddings, decoder blocks, a language-model head."""

import torch
from torch import nn
from torch.nn import functional as F

from snippets.topics.llm.decoder_block import DecoderBlock


# --8<-- [start:model]
class TinyGPT(nn.Module):
    """A decoder-only language model over token ids.

    vocab_size V, context block_size, width d_model C, n_layers blocks.
    tie_weights: the LM head reuses the token embedding matrix (V, C).
    """

    def __init__(
        self,
        vocab_size,
        block_size,
        d_model,
        n_heads,
        n_layers,
        tie_weights=True,
        device=None,
        dtype=None,
    ):
        super().__init__()
        kw = dict(device=device, dtype=dtype)
        self.block_size = block_size
        self.tok_emb = nn.Embedding(vocab_size, d_model, **kw)
        self.pos_emb = nn.Embedding(block_size, d_model, **kw)
        self.blocks = nn.ModuleList(
            DecoderBlock(d_model, n_heads, **kw) for _ in range(n_layers)
        )
        self.ln_f = nn.LayerNorm(d_model, **kw)
        self.lm_head = nn.Linear(d_model, vocab_size, bias=False, **kw)
        self.apply(self._init)
        if tie_weights:
            self.lm_head.weight = self.tok_emb.weight

    @staticmethod
    def _init(m):
        # Small weights make the initial logits nearly uniform, so the
        # first loss is close to ln V.
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)
        if isinstance(m, nn.Linear) and m.bias is not None:
            nn.init.zeros_(m.bias)

    def forward(self, idx, targets=None):
        """idx, targets: (B, T) token ids, T <= block_size.

        Returns logits (B, T, V) and the mean cross-entropy in nats
        (None without targets).
        """
        T = idx.size(1)
        if idx.size(1) > self.block_size:
            raise ValueError(f"{T} tokens exceed block_size")
        pos = torch.arange(T, device=idx.device)
        x = self.tok_emb(idx) + self.pos_emb(pos)  # (B, T, C)
        for block in self.blocks:
            x = block(x)
        logits = self.lm_head(self.ln_f(x))  # (B, T, V)
        if targets is None:
            return logits, None
        loss = F.cross_entropy(logits.flatten(0, 1), targets.flatten())
        return logits, loss


# --8<-- [end:model]
