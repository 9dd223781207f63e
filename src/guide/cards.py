"""Flashcards: written once in the page they belong to, parsed from there.

A card is a block in a page's Markdown:

    /// card | Why are attention scores divided by $\\sqrt{d_k}$?
        id: attention-scaling
        tags: attention softmax

    The back of the card, in Markdown: maths, lists and code work.
    ///

`id` is the card's stable identity: it never changes when the text is edited,
so the site's anchors, `flashcards.json` and the Anki note GUIDs stay the same.
`tags` are optional, lower-case words separated by spaces or commas.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from guide.errors import GuideError

CARD_OPEN = re.compile(r"^///\s*card\b(?P<rest>.*)$")
CARD_TITLE = re.compile(r"^\s*\|\s*(?P<front>\S.*?)\s*$")
CARD_CLOSE = "///"
OPTION = re.compile(r"^ {4}(?P<key>[A-Za-z_-]+):\s*(?P<value>.*?)\s*$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FENCE = re.compile(r"^\s*(?P<fence>`{3,}|~{3,})")
KNOWN_OPTIONS = ("id", "tags")

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
    (forward slashes) and `line` the 1-based line of the card's opening marker.
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


@dataclass(frozen=True)
class _Block:
    card: Card
    start: int  # 0-based index of the opening line
    end: int  # 0-based index of the closing line


def _blocks(text: str, page: str) -> Iterator[_Block]:
    lines = text.splitlines()
    fence: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        match = FENCE.match(line)
        if match:
            marker = match["fence"]
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
            i += 1
            continue
        opening = CARD_OPEN.match(line) if fence is None else None
        if opening is None:
            if fence is None and line.lstrip().startswith("/// card"):
                raise GuideError.at(page, i + 1, "a card must start at the beginning of a line")
            i += 1
            continue
        block = _parse_block(lines, i, page, opening["rest"])
        yield block
        i = block.end + 1


def _parse_block(lines: list[str], start: int, page: str, rest: str) -> _Block:
    lineno = start + 1
    title = CARD_TITLE.match(rest)
    if title is None:
        raise GuideError.at(page, lineno, "a card opens with '/// card | <front of the card>'")
    options: dict[str, str] = {}
    i = start + 1
    while i < len(lines) and lines[i].strip():
        option = OPTION.match(lines[i])
        if option is None:
            raise GuideError.at(
                page, i + 1, "expected an indented 'key: value' option or a blank line"
            )
        key = option["key"]
        if key not in KNOWN_OPTIONS:
            known = ", ".join(KNOWN_OPTIONS)
            raise GuideError.at(page, i + 1, f"unknown card option {key!r} (known: {known})")
        if key in options:
            raise GuideError.at(page, i + 1, f"card option {key!r} given twice")
        options[key] = option["value"]
        i += 1
    body: list[str] = []
    while True:
        if i >= len(lines):
            raise GuideError.at(page, lineno, "card is never closed with a '///' line")
        if lines[i].rstrip() == CARD_CLOSE:
            break
        if CARD_OPEN.match(lines[i]):
            raise GuideError.at(page, lineno, "card is not closed before the next card opens")
        body.append(lines[i])
        i += 1
    card_id = options.get("id", "")
    if not card_id:
        raise GuideError.at(page, lineno, "card has no 'id' option")
    if not SLUG.match(card_id):
        raise GuideError.at(
            page, lineno, f"card id {card_id!r} must be lower-case words joined by hyphens"
        )
    tags = tuple(t for t in re.split(r"[\s,]+", options.get("tags", "")) if t)
    for tag in tags:
        if not SLUG.match(tag):
            raise GuideError.at(
                page, lineno, f"tag {tag!r} must be lower-case words joined by hyphens"
            )
    back = "\n".join(body).strip("\n")
    if not back.strip():
        raise GuideError.at(page, lineno, f"card {card_id!r} has an empty back")
    card = Card(card_id, title["front"], back, tags, page, lineno)
    return _Block(card, start, i)


def parse_cards(text: str, page: str) -> list[Card]:
    """All cards of one page's Markdown, in order. Raises `GuideError` at the faulty line."""
    return [block.card for block in _blocks(text, page)]


def render_cards(text: str, page: str) -> str:
    """The page's Markdown with each card block replaced by its collapsible HTML form."""
    lines = text.splitlines()
    out: list[str] = []
    position = 0
    for block in _blocks(text, page):
        out.extend(lines[position : block.start])
        out.extend(_card_html(block.card))
        position = block.end + 1
    out.extend(lines[position:])
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def _card_html(card: Card) -> list[str]:
    tags = " ".join(f"#{t}" for t in card.tags)
    return [
        f'<details class="question guide-card" id="{card.anchor}" data-card-id="{card.id}" '
        f'markdown="1">',
        f'<summary markdown="span">{card.front}</summary>',
        "",
        card.back,
        "",
        f'<p class="guide-card__tags">{tags}</p>' if tags else "",
        "</details>",
    ]


def collect_cards(docs_dir: Path, pages: Iterable[Path] | None = None) -> list[Card]:
    """Every card under `docs_dir`, ordered by page then position; ids must be unique."""
    paths = sorted(pages) if pages is not None else sorted(docs_dir.rglob("*.md"))
    cards: list[Card] = []
    seen: dict[str, Card] = {}
    for path in paths:
        page = path.relative_to(docs_dir).as_posix()
        for card in parse_cards(path.read_text(encoding="utf-8"), page):
            if card.id in seen:
                first = seen[card.id]
                raise GuideError.at(
                    page,
                    card.line,
                    f"duplicate card id {card.id!r} (first at {first.page}:{first.line})",
                )
            seen[card.id] = card
            cards.append(card)
    return cards
