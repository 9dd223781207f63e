import textwrap
from pathlib import Path

import pytest

from guide.cards import Card, category_of, collect_cards, page_url, parse_cards, render_cards
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
    html = render_cards(GOOD, "p.md")
    assert "/// card" not in html and "\n///" not in html
    assert '<details class="question guide-card" id="card-attention-scaling"' in html
    assert '<summary markdown="span">Why $\\sqrt{d_k}$?</summary>' in html
    assert "Text between cards." in html and html.startswith("# Page\n")
    assert '<p class="guide-card__tags">#attention #transformers</p>' in html


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
    assert render_cards(text, "p.md") == text


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("/// card\n    id: a\n\nBack\n///\n", 1, "opens with '/// card | <front"),
        ("/// card | Q\n\nBack\n///\n", 1, "has no 'id'"),
        ("/// card | Q\n    id: Bad_Id\n\nBack\n///\n", 1, "lower-case words"),
        ("/// card | Q\n    id: a\n    tags: Has_Caps\n\nBack\n///\n", 1, "tag 'Has_Caps'"),
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
