"""Flashcards and interview questions: written once, in the page they belong to.

A card:

    /// card | Why are attention scores divided by $\\sqrt{d_k}$?
        id: attention-scaling
        tags: attention softmax

    The back of the card, in Markdown: maths, lists and code work.
    ///

A question of a round's bank, with its model answer (it is also a card, with
the same id):

    /// question | Why does pre-norm train more stably than post-norm?
        id: q-pre-norm
        round: ml-theory
        difficulty: medium
        role: both
        tags: transformers normalization

    The model answer: key points, the equation, the follow-up, the mistake.
    ///

A list of the questions that carry a tag, written where a topic wants them
(it renders as links to each question in its bank):

    /// questions | attention
    ///

`id` is the stable identity: it never changes when the text is edited, so the
anchors (`#card-<id>`), `flashcards.json` and the Anki note GUIDs stay put.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from guide.blocks import Block, iter_blocks
from guide.errors import GuideError

KINDS = ("card", "question", "questions")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ROUNDS = {
    "recruiter-screen": "Recruiter screen",
    "algorithms": "Algorithms coding",
    "ml-coding": "ML coding & debugging",
    "ml-theory": "ML theory",
    "behavioural": "Behavioural",
    "research": "Research discussion",
    "system-design": "ML system design",
}
DIFFICULTIES = ("easy", "medium", "hard")
ROLES = {"rs": "Research scientist", "mle": "ML engineer", "both": "RS & MLE"}
MIN_ANSWER_WORDS = 60
# A system design answer covers requirements, estimates, architecture and
# trade-offs: it cannot be short.
MIN_ANSWER_WORDS_BY_ROUND = {"system-design": 150}

# A page's folder decides the category of its cards (the Anki sub-deck). Topic
# folders are also Python packages under snippets/, hence identifiers.
CATEGORIES = {
    "topics/rl": "Reinforcement learning",
    "topics/llm": "Transformers & LLMs",
    "topics/generative": "Generative models",
    "topics/distributed": "Distributed systems",
    "topics/ml": "General ML",
    "topics/linalg": "Linear algebra",
    "rounds": "Interview rounds",
    "guide": "The interview process",
}
DEFAULT_CATEGORY = "General"


@dataclass(frozen=True)
class Card:
    """One flashcard, as written in its page.

    `front` and `back` are Markdown; `page` is the page's path inside `docs/`
    (forward slashes) and `line` the 1-based line of the block's opening marker.
    """

    id: str
    front: str
    back: str
    tags: tuple[str, ...]
    page: str
    line: int

    @property
    def category(self) -> str:
        return category_of(self.page)

    @property
    def anchor(self) -> str:
        """The HTML id of the card on its page."""
        return f"card-{self.id}"

    def url(self, site_url: str = "") -> str:
        """The card's address: relative to the site root, or absolute under `site_url`."""
        relative = f"{page_url(self.page)}#{self.anchor}"
        return site_url.rstrip("/") + "/" + relative if site_url else relative


@dataclass(frozen=True)
class Question:
    """A question of an interview round's bank, with its model answer."""

    card: Card  # front = the question, back = the model answer
    round: str
    difficulty: str
    role: str

    @property
    def id(self) -> str:
        return self.card.id

    @property
    def tags(self) -> tuple[str, ...]:
        return self.card.tags


@dataclass(frozen=True)
class Content:
    """Everything written in the pages: cards (questions' cards included) and questions."""

    cards: list[Card]
    questions: list[Question]


def category_of(page: str) -> str:
    """The category of a page: the longest folder prefix found in `CATEGORIES`."""
    parts = page.split("/")[:-1]
    for n in range(len(parts), 0, -1):
        prefix = "/".join(parts[:n])
        if prefix in CATEGORIES:
            return CATEGORIES[prefix]
    return DEFAULT_CATEGORY


def page_url(page: str) -> str:
    """The directory-style URL MkDocs gives a page: `a/b.md` -> `a/b/`, `a/index.md` -> `a/`."""
    stem = page.removesuffix(".md")
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def _allow(block: Block, known: tuple[str, ...]) -> None:
    for key in block.options:
        if key not in known:
            message = f"unknown {block.kind} option {key!r} (known: {', '.join(known)})"
            raise block.error(message, key)


def _slug(block: Block, key: str, what: str) -> str:
    value = block.options.get(key, "")
    if not value:
        raise block.error(f"{block.kind} has no {key!r} option")
    if not SLUG.match(value):
        raise block.error(f"{what} {value!r} must be lower-case words joined by hyphens", key)
    return value


def _tags(block: Block) -> tuple[str, ...]:
    tags = tuple(dict.fromkeys(t for t in re.split(r"[\s,]+", block.options.get("tags", "")) if t))
    for tag in tags:
        if not SLUG.match(tag):
            raise block.error(f"tag {tag!r} must be lower-case words joined by hyphens", "tags")
    return tags


def _choice(block: Block, key: str, allowed: Iterable[str]) -> str:
    allowed = tuple(allowed)
    value = block.options.get(key, "")
    if value not in allowed:
        got = f"{value!r}" if value else "nothing"
        raise block.error(
            f"{block.kind} {key} must be one of {', '.join(allowed)} (got {got})", key
        )
    return value


def _card(block: Block) -> Card:
    _allow(block, ("id", "tags"))
    card_id = _slug(block, "id", "card id")
    if not block.body.strip():
        raise block.error(f"card {card_id!r} has an empty back")
    return Card(card_id, block.title, block.body, _tags(block), block.page, block.line)


def _question(block: Block) -> Question:
    _allow(block, ("id", "round", "difficulty", "role", "tags"))
    qid = _slug(block, "id", "question id")
    round_ = _choice(block, "round", ROUNDS)
    difficulty = _choice(block, "difficulty", DIFFICULTIES)
    role = _choice(block, "role", ROLES)
    tags = _tags(block)
    if not tags:
        raise block.error(f"question {qid!r} needs at least one tag")
    words = len(block.body.split())
    least = MIN_ANSWER_WORDS_BY_ROUND.get(round_, MIN_ANSWER_WORDS)
    if words < least:
        where = (
            f"an answer in the {ROUNDS[round_]} round"
            if round_ in MIN_ANSWER_WORDS_BY_ROUND
            else "a model answer"
        )
        raise block.error(
            f"question {qid!r} has a {words}-word answer; {where} has at least {least}"
        )
    card_tags = tuple(dict.fromkeys((*tags, round_)))
    card = Card(qid, block.title, block.body, card_tags, block.page, block.line)
    return Question(card, round_, difficulty, role)


def _question_list(block: Block) -> str:
    _allow(block, ())
    if block.body.strip():
        raise block.error("a questions list has no body: close it on the next line")
    if not SLUG.match(block.title):
        raise block.error(f"tag {block.title!r} must be lower-case words joined by hyphens")
    return block.title


def parse_page(text: str, page: str) -> Content:
    """The cards and questions of one page. Raises `GuideError` at the faulty line."""
    cards: list[Card] = []
    questions: list[Question] = []
    for block in iter_blocks(text, page, KINDS):
        if block.kind == "card":
            cards.append(_card(block))
        elif block.kind == "question":
            question = _question(block)
            questions.append(question)
            cards.append(question.card)
        else:
            _question_list(block)
    return Content(cards, questions)


def parse_cards(text: str, page: str) -> list[Card]:
    """All cards of one page (questions included, as cards), in order."""
    return parse_page(text, page).cards


def collect(docs_dir: Path) -> Content:
    """Every card and question under `docs_dir`, by page then position; ids are unique,
    and every tag a questions list asks for is carried by some question."""
    cards: list[Card] = []
    questions: list[Question] = []
    seen: dict[str, Card] = {}
    lists: list[tuple[str, int, str]] = []
    for path in sorted(docs_dir.rglob("*.md")):
        page = path.relative_to(docs_dir).as_posix()
        text = path.read_text(encoding="utf-8")
        content = parse_page(text, page)
        for card in content.cards:
            if card.id in seen:
                first = seen[card.id]
                raise GuideError.at(
                    page,
                    card.line,
                    f"duplicate card id {card.id!r} (first at {first.page}:{first.line})",
                )
            seen[card.id] = card
        cards += content.cards
        questions += content.questions
        lists += [(page, b.line, b.title) for b in iter_blocks(text, page, ("questions",))]
    tagged = {tag for q in questions for tag in q.tags}
    for page, line, tag in lists:
        if tag not in tagged:
            raise GuideError.at(page, line, f"no question carries the tag {tag!r}")
    return Content(cards, questions)


def collect_cards(docs_dir: Path) -> list[Card]:
    """Every card under `docs_dir` (questions included), by page then position."""
    return collect(docs_dir).cards


def render_page(text: str, page: str, questions: Sequence[Question] = ()) -> str:
    """The page's Markdown with every block replaced by its HTML form.

    `questions` are all the site's questions, for the lists pulled in by tag.
    """
    lines = text.splitlines()
    out: list[str] = []
    position = 0
    for block in iter_blocks(text, page, KINDS):
        out.extend(lines[position : block.start])
        if block.kind == "card":
            out.extend(_card_html(_card(block)))
        elif block.kind == "question":
            out.extend(_question_html(_question(block)))
        else:
            tag = _question_list(block)
            out.extend(_question_list_md([q for q in questions if tag in q.tags], page))
        position = block.end + 1
    out.extend(lines[position:])
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def _details(card: Card, css: str, meta: str) -> list[str]:
    return [
        f'<details class="question {css}" id="{card.anchor}" data-card-id="{card.id}" '
        f'markdown="1">',
        f'<summary markdown="span">{card.front}</summary>',
        "",
        card.back,
        "",
        f'<p class="{css}__meta">{meta}</p>' if meta else "",
        "</details>",
    ]


def _card_html(card: Card) -> list[str]:
    return _details(card, "guide-card", " ".join(f"#{t}" for t in card.tags))


def _question_html(question: Question) -> list[str]:
    meta = " · ".join(
        [
            question.difficulty.capitalize(),
            ROLES[question.role],
            " ".join(f"#{t}" for t in question.tags),
        ]
    )
    return _details(question.card, "guide-question", meta)


def _question_list_md(questions: Sequence[Question], page: str) -> list[str]:
    here = posixpath.dirname(page)
    out = []
    for q in questions:
        target = posixpath.relpath(q.card.page, here or ".")
        out.append(
            f"- [{q.card.front}]({target}#{q.card.anchor}) — {ROUNDS[q.round]}, {q.difficulty}"
        )
    return out
