import textwrap
from pathlib import Path

import pytest

from guide.cards import (
    ROUNDS,
    Card,
    category_of,
    collect,
    collect_cards,
    page_url,
    parse_cards,
    parse_page,
    render_page,
)
from guide.errors import GuideError


def md(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


GOOD = md(
    """
    # Page

    /// card | Why $\\sqrt{d_k}$?
        id: attention-scaling
        tags: attention, transformers

    Because $\\operatorname{Var}(q\\cdot k) = d_k$.

    - a list
    ///

    Text between cards.

    /// card | Second?
        id: second

    Yes.
    ///
    """
)


def test_parses_front_back_id_tags_and_line():
    first, second = parse_cards(GOOD, "topics/llm/attention.md")
    assert first == Card(
        id="attention-scaling",
        front="Why $\\sqrt{d_k}$?",
        back="Because $\\operatorname{Var}(q\\cdot k) = d_k$.\n\n- a list",
        tags=("attention", "transformers"),
        page="topics/llm/attention.md",
        line=3,
    )
    assert (second.id, second.tags, second.back, second.line) == ("second", (), "Yes.", 14)
    assert first.category == "Transformers & LLMs"
    assert first.url() == "topics/llm/attention/#card-attention-scaling"
    assert first.url("https://x.org/guide/") == (
        "https://x.org/guide/topics/llm/attention/#card-attention-scaling"
    )


def test_render_replaces_blocks_and_keeps_the_rest():
    html = render_page(GOOD, "p.md")
    assert "/// card" not in html and "\n///" not in html
    assert '<details class="question guide-card" id="card-attention-scaling"' in html
    assert '<summary markdown="span">Why $\\sqrt{d_k}$?</summary>' in html
    assert "Text between cards." in html and html.startswith("# Page\n")
    assert '<p class="guide-card__meta">#attention #transformers</p>' in html


def test_cards_inside_code_fences_are_examples_not_cards():
    text = md(
        """
        ```markdown
        /// card | shown, not parsed
            id: example
        ///
        ```
        """
    )
    assert parse_cards(text, "p.md") == []
    assert render_page(text, "p.md") == text


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("/// card\n    id: a\n\nBack\n///\n", 1, "a card opens with '/// card | <title>'"),
        ("/// card | Q\n\nBack\n///\n", 1, "has no 'id'"),
        ("/// card | Q\n    id: Bad_Id\n\nBack\n///\n", 2, "lower-case words"),
        ("/// card | Q\n    id: a\n    tags: Has_Caps\n\nBack\n///\n", 3, "tag 'Has_Caps'"),
        ("/// card | Q\n    id: a\n    colour: red\n\nB\n///\n", 3, "unknown card option 'colour'"),
        ("/// card | Q\n    id: a\n    id: b\n\nB\n///\n", 3, "given twice"),
        ("/// card | Q\n    id: a\n\n\n///\n", 1, "empty back"),
        ("text\n\n/// card | Q\n    id: a\n\nBack\n", 3, "never closed"),
        (
            "/// card | Q\n    id: a\n\nB\n/// card | R\n    id: b\n\nC\n///\n",
            1,
            "not closed before",
        ),
        ("/// card | Q\nid: a\n\nB\n///\n", 2, "indented 'key: value'"),
        ("- item\n    /// card | Q\n        id: a\n", 2, "beginning of a line"),
    ],
)
def test_malformed_cards_fail_with_file_and_line(text, line, message):
    with pytest.raises(GuideError) as error:
        parse_cards(text, "rounds/x.md")
    assert str(error.value).startswith(f"rounds/x.md:{line}: ")
    assert message in str(error.value)


def test_collect_rejects_duplicate_ids_across_pages(tmp_path: Path):
    (tmp_path / "a.md").write_text("/// card | Q\n    id: same\n\nA\n///\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("x\n\n/// card | R\n    id: same\n\nB\n///\n")
    with pytest.raises(
        GuideError, match=r"^sub/b\.md:3: duplicate card id 'same' \(first at a\.md:1\)"
    ):
        collect_cards(tmp_path)


def test_collect_orders_by_page_then_position(tmp_path: Path):
    (tmp_path / "b.md").write_text("/// card | Q\n    id: b1\n\nA\n///\n")
    (tmp_path / "a.md").write_text(
        "/// card | Q\n    id: a1\n\nA\n///\n/// card | Q\n    id: a2\n\nA\n///\n"
    )
    assert [c.id for c in collect_cards(tmp_path)] == ["a1", "a2", "b1"]


@pytest.mark.parametrize(
    ("page", "url"),
    [
        ("index.md", ""),
        ("rounds/index.md", "rounds/"),
        ("rounds/ml-coding.md", "rounds/ml-coding/"),
    ],
)
def test_page_url_matches_mkdocs_directory_urls(page, url):
    assert page_url(page) == url


@pytest.mark.parametrize(
    ("page", "category"),
    [
        ("topics/llm/lora.md", "Transformers & LLMs"),
        ("topics/rl/ppo.md", "Reinforcement learning"),
        ("topics/ml/dropout.md", "General ML"),
        ("topics/linalg/svd.md", "Linear algebra"),
        ("rounds/ml-coding.md", "Interview rounds"),
        ("index.md", "General"),
    ],
)
def test_category_comes_from_the_page_folder(page, category):
    assert category_of(page) == category


ANSWER = " ".join(["word"] * 60)


def question(qid="q-one", extra="", answer=ANSWER, tags="attention"):
    options = [f"id: {qid}", "round: ml-theory", "difficulty: medium", "role: both"]
    options += [f"tags: {tags}"] + ([extra] if extra else [])
    head = "".join(f"    {option}\n" for option in options)
    return f"/// question | Why?\n{head}\n{answer}\n///\n"


def test_a_question_is_also_a_card_with_its_round_as_a_tag():
    content = parse_page("# Bank\n\n" + question(), "rounds/ml-theory.md")
    (q,) = content.questions
    assert (q.id, q.round, q.difficulty, q.role, q.tags) == (
        "q-one",
        "ml-theory",
        "medium",
        "both",
        ("attention", "ml-theory"),
    )
    assert content.cards == [q.card] and q.card.line == 3 and q.card.back == ANSWER


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (question(answer="Too short."), 1, "a 2-word answer; a model answer has at least 60"),
        (
            question().replace("round: ml-theory", "round: system-design"),
            1,
            "a 60-word answer; an answer in the ML system design round has at least 150",
        ),
        (question(tags=""), 1, "needs at least one tag"),
        (question().replace("medium", "tricky"), 4, "difficulty must be one of easy, medium, hard"),
        (question().replace("role: both", "role: pm"), 5, "role must be one of rs, mle, both"),
        (question().replace("    round: ml-theory\n", ""), 1, "round must be one of"),
        (question(extra="colour: red"), 7, "unknown question option 'colour'"),
    ],
)
def test_malformed_questions_fail_with_file_and_line(text, line, message):
    with pytest.raises(GuideError) as error:
        parse_page(text, "rounds/x.md")
    assert str(error.value).startswith(f"rounds/x.md:{line}: ")
    assert message in str(error.value)


def test_questions_render_with_their_metadata_and_lists_link_to_them(tmp_path: Path):
    (tmp_path / "rounds").mkdir()
    (tmp_path / "topics" / "llm").mkdir(parents=True)
    (tmp_path / "rounds" / "ml-theory.md").write_text(question() + question("q-two", tags="rl"))
    topic = "# Attention\n\n/// questions | attention\n///\n"
    (tmp_path / "topics" / "llm" / "attention.md").write_text(topic)
    content = collect(tmp_path)
    assert [q.id for q in content.questions] == ["q-one", "q-two"]
    bank = render_page(question(), "rounds/ml-theory.md", content.questions)
    assert '<details class="question guide-question" id="card-q-one"' in bank
    assert "Medium · RS &amp; MLE" in bank or "Medium · RS & MLE" in bank
    listed = render_page(topic, "topics/llm/attention.md", content.questions)
    assert listed.splitlines()[2] == (
        "- [Why?](../../rounds/ml-theory.md#card-q-one) — " + ROUNDS["ml-theory"] + ", medium"
    )
    assert "q-two" not in listed


def test_a_list_of_a_tag_no_question_carries_fails(tmp_path: Path):
    (tmp_path / "a.md").write_text("x\n\n/// questions | nobody\n///\n")
    with pytest.raises(GuideError, match=r"^a\.md:3: no question carries the tag 'nobody'"):
        collect(tmp_path)


def test_ids_are_unique_across_cards_and_questions(tmp_path: Path):
    (tmp_path / "a.md").write_text("/// card | Q\n    id: q-one\n\nA\n///\n")
    (tmp_path / "b.md").write_text(question())
    with pytest.raises(GuideError, match="duplicate card id 'q-one'"):
        collect_cards(tmp_path)
