"""Cross-attention: decoder queries read the encoder's keys and values."""

from snippets.topics.llm.attention import attention
from snippets.topics.llm.multi_head_attention import MultiHeadAttention


# --8<-- [start:cache]
class CrossAttentionCache:
    """Project the encoder output to K, V once; reuse them at every step.

    mha: a MultiHeadAttention; memory: (B, Tk, C) encoder output;
    memory_padding: (B, Tk) bool, True on padded encoder positions.
    """

    def __init__(self, mha: MultiHeadAttention, memory, memory_padding=None):
        self.mha, self.pad = mha, memory_padding
        self.k = mha.split_heads(mha.k_proj(memory))  # (B, nh, Tk, hs)
        self.v = mha.split_heads(mha.v_proj(memory))  # (B, nh, Tk, hs)

    def __call__(self, x):
        """x: (B, Tq, C) decoder states, any Tq -> (B, Tq, C).

        No causal mask: every decoder position may read the whole input.
        """
        q = self.mha.split_heads(self.mha.q_proj(x))  # (B, nh, Tq, hs)
        out, _ = attention(q, self.k, self.v, key_padding_mask=self.pad)
        return self.mha.out_proj(self.mha.merge_heads(out))


# --8<-- [end:cache]


# --8<-- [start:cost]
def cross_attention_flops(Tq, Tk, d_model):
    """Forward FLOPs of one cross-attention layer for one sequence.

    Projections: Q and O on Tq rows, K and V on Tk rows, 2 d² each;
    scores q kᵀ and the weighted sum of V: 2 · Tq · Tk · d_model each.
    """
    projections = 2 * d_model**2 * (2 * Tq + 2 * Tk)
    mixing = 2 * (2 * Tq * Tk * d_model)
    return projections + mixing


# --8<-- [end:cost]
