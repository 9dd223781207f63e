"""Byte-level byte-pair encoding: train merges, encode, decode.

Token ids 0..255 are the raw bytes, so any string can be encoded; merge
number m creates token 256 + m. Text is first cut into chunks (leading
whitespace glued to the word after it) and merges never cross a chunk.
"""

import re
from collections import Counter
from itertools import pairwise

CHUNK = re.compile(r"\s*\S+|\s+")  # the chunks concatenate back to the text


# --8<-- [start:train]
def merge_pair(ids, pair, new_id):
    """Replace every non-overlapping occurrence of pair, left to right."""
    out, i = [], 0
    while i < len(ids):
        if i + 1 < len(ids) and (ids[i], ids[i + 1]) == pair:
            out.append(new_id)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return tuple(out)


def train_bpe(text, num_merges):
    """Learn up to num_merges merges from text.

    Returns {(a, b): new_id} in the order learned (new ids 256, 257, ...).
    Each step merges the most frequent adjacent pair; ties go to the
    smallest (a, b), comparing ids, so training is deterministic.
    """
    words = Counter(tuple(c.encode("utf-8")) for c in CHUNK.findall(text))
    merges = {}
    for new_id in range(256, 256 + num_merges):
        counts = Counter()
        for word, n in words.items():
            for pair in pairwise(word):
                counts[pair] += n
        if not counts:  # every chunk is a single token: nothing to merge
            break
        best = min(counts, key=lambda pair: (-counts[pair], pair))
        merges[best] = new_id
        words = Counter(
            {merge_pair(w, best, new_id): n for w, n in words.items()}
        )
    return merges


# --8<-- [end:train]


# --8<-- [start:codec]
def encode(text, merges):
    """Text -> list of token ids: replay the merges, earliest first."""
    ids = []
    for chunk in CHUNK.findall(text):
        word = tuple(chunk.encode("utf-8"))
        while len(word) > 1:
            # The earliest-learned merge present in the word applies next.
            pair = min(pairwise(word), key=lambda p: merges.get(p, 1e9))
            if pair not in merges:
                break
            word = merge_pair(word, pair, merges[pair])
        ids.extend(word)
    return ids


def vocab(merges):
    """id -> the bytes it stands for."""
    table = {i: bytes([i]) for i in range(256)}
    for (a, b), new_id in merges.items():  # dicts keep insertion order
        table[new_id] = table[a] + table[b]
    return table


def decode(ids, merges):
    """List of token ids -> text (undecodable bytes become U+FFFD)."""
    table = vocab(merges)
    return b"".join(table[i] for i in ids).decode("utf-8", errors="replace")


# --8<-- [end:codec]
