import pytest

from snippets.topics.llm.bpe import decode, encode, merge_pair, train_bpe, vocab

# The hand-worked corpus of docs/topics/llm/tokenization.md.
CORPUS = "cat cats car card cart"

# A longer corpus for the round trips: repetition gives the merges something
# to find, and the unseen texts below use bytes it never contains.
LONG = (
    "the tokenizer splits the text into tokens; the tokens are ids.\n"
    "a token is a byte or a merge of two tokens, learned from counts.\n"
    "counting pairs, merging pairs, counting again: that is all of it.\n"
) * 3


def test_merge_pair_is_left_to_right_and_non_overlapping():
    assert merge_pair((1, 1, 1, 2, 1, 1), (1, 1), 9) == (9, 1, 2, 9)


def test_hand_worked_merges():
    # Step 1: (c, a) 5 times.  Step 2: (' ', ca) 4.  Step 3: (' ca', r) 3.
    # Step 4: five pairs tie at 1; the smallest ids win: (t=116, s=115).
    # Step 5: (ca=256, t=116).  Step 6: (' ca'=257, ts=259).
    merges = train_bpe(CORPUS, num_merges=6)
    t, s, r, c, a, sp = (ord(ch) for ch in "tsrca ")
    assert list(merges.items()) == [
        ((c, a), 256),
        ((sp, 256), 257),
        ((257, r), 258),
        ((t, s), 259),
        ((256, t), 260),
        ((257, 259), 261),
    ]
    table = vocab(merges)
    assert [table[i] for i in range(256, 262)] == [
        b"ca",
        b" ca",
        b" car",
        b"ts",
        b"cat",
        b" cats",
    ]


def test_encoding_the_training_text_replays_training():
    merges = train_bpe(CORPUS, num_merges=6)
    table = vocab(merges)
    ids = encode(CORPUS, merges)
    assert [table[i] for i in ids] == [b"cat", b" cats", b" car", b" car", b"d", b" car", b"t"]
    # Each merge removes one token per occurrence it replaces:
    # 22 bytes, then -5, -4, -3, -1, -1, -1.
    lengths = [len(encode(CORPUS, dict(list(merges.items())[:k]))) for k in range(7)]
    assert lengths == [22, 17, 13, 10, 9, 8, 7]


def test_ties_do_not_depend_on_word_order():
    # In " ab ba" every adjacent pair occurs once; the rule picks the smallest
    # (a, b) by id, here (' ', 'a'), whichever word comes first.
    first = train_bpe(" ab ba", 1)
    assert first == train_bpe(" ba ab", 1) == {(32, 97): 256}


@pytest.mark.parametrize(
    "text",
    [
        LONG,
        "the tokens counted again",  # unseen words, seen bytes
        "naïve café, 東京, Ωmega 🐱🚀",  # bytes never seen in training
        "  leading and trailing spaces  \n\n\ttabs\r\n",
        "",
        "1234567 + 89 = 1234656",
    ],
)
def test_encode_then_decode_is_identity(text):
    merges = train_bpe(LONG, num_merges=60)
    ids = encode(text, merges)
    assert decode(ids, merges) == text
    assert all(0 <= i < 256 + len(merges) for i in ids)


def test_vocab_is_bytes_plus_merges_and_compresses():
    merges = train_bpe(LONG, num_merges=60)
    table = vocab(merges)
    assert len(merges) == 60 and len(table) == 256 + 60
    for (a, b), new_id in merges.items():
        assert table[new_id] == table[a] + table[b]
    n_bytes = len(LONG.encode("utf-8"))
    n_tokens = len(encode(LONG, merges))
    assert n_tokens < 0.5 * n_bytes  # 60 merges at least halve this text
    # An unseen character costs one token per UTF-8 byte: 🐱 is 4 bytes.
    assert encode("🐱", merges) == list("🐱".encode())


def test_training_stops_when_nothing_is_left_to_merge():
    merges = train_bpe("aaaa", num_merges=10)  # aa, then aaaa
    assert merges == {(97, 97): 256, (256, 256): 257}
    assert encode("aaaa", merges) == [257]
    assert encode("aaaaa", merges) == [257, 97]
