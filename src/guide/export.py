"""Exports of the cards: the site's `flashcards.json`, Anki decks and CSV.

Every export is a pure function of the cards (plus, for Anki, each card's last
change time), so the same input gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import zlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import genanki

from guide.cards import Card, Question
from guide.errors import GuideError
from guide.markup import render_cards, to_html, to_inline_html

SCHEMA_VERSION = 1
DECK_ROOT = "ML Interview Guide"
# Fixed for ever: changing either makes Anki see a new note type and new decks.
MODEL_ID = 1_607_392_319
DECK_ID_BASE = 2_059_400_110

ANKI_CSS = """\
.card { font-family: system-ui, sans-serif; font-size: 18px; text-align: left;
        color: #1f2328; background: #fff; max-width: 46em; margin: 0 auto; }
.nightMode.card { color: #e6edf3; background: #0d1117; }
pre { background: rgba(127,127,127,.12); padding: .6em; overflow-x: auto; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
.source { font-size: 13px; margin-top: 1.5em; }
"""

ANKI_MODEL = genanki.Model(
    MODEL_ID,
    "ML Interview Guide card",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Source"}, {"name": "Id"}],
    templates=[
        {
            "name": "Card",
            "qfmt": "{{Front}}",
            "afmt": '{{FrontSide}}<hr id="answer">{{Back}}'
            '<p class="source"><a href="{{Source}}">Open in the guide</a></p>',
        }
    ],
    css=ANKI_CSS,
    sort_field_index=0,
)


def card_record(
    card: Card,
    site_url: str = "",
    question: Question | None = None,
    html: tuple[str, str] | None = None,
) -> dict[str, object]:
    """The JSON form of one card (see `docs/flashcards.schema.json`).

    `html` is the card's (front, back) already rendered, if at hand.
    """
    front_html, back_html = html or (to_inline_html(card.front), to_html(card.back))
    record: dict[str, object] = {
        "kind": "question" if question else "card",
        "id": card.id,
        "front": card.front,
        "back": card.back,
        "front_html": front_html,
        "back_html": back_html,
        "category": card.category,
        "tags": list(card.tags),
        "page": card.page,
        "url": card.url(site_url),
    }
    if question:
        record |= {"round": question.round, "difficulty": question.difficulty}
        record["role"] = question.role
    return record


def to_json(
    cards: Sequence[Card],
    site_url: str = "",
    questions: Sequence[Question] = (),
    *,
    parallel: bool = False,
) -> str:
    """`flashcards.json`: deterministic (sorted keys, fixed order, trailing newline).

    A card that is one of `questions` carries its round, difficulty and role.
    """
    by_id = {q.id: q for q in questions}
    document = {
        "schema_version": SCHEMA_VERSION,
        "title": DECK_ROOT,
        "count": len(cards),
        "cards": [
            card_record(card, site_url, by_id.get(card.id), html)
            for card, html in zip(
                cards,
                render_cards([(c.front, c.back) for c in cards], parallel=parallel),
                strict=True,
            )
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def to_csv(cards: Sequence[Card], site_url: str = "") -> str:
    """One row per card: id, front, back, category, tags (space-separated), url."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "front", "back", "category", "tags", "url"])
    for card in cards:
        tags = " ".join(card.tags)
        writer.writerow([card.id, card.front, card.back, card.category, tags, card.url(site_url)])
    return buffer.getvalue()


def deck_name(card: Card) -> str:
    return f"{DECK_ROOT}::{card.category}"


def deck_id(name: str) -> int:
    """A stable deck id from the deck's name (Anki ids are 64-bit; keep well inside)."""
    return DECK_ID_BASE + zlib.crc32(name.encode())


class _TimedNote(genanki.Note):
    """A note whose modification time is its card's last change, not the export time.

    Anki's default import updates a note only when the incoming one is newer, so
    the time must move when (and only when) the card's text changes.
    """

    def __init__(self, *args: object, modified: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.modified = modified

    def write_to_db(self, cursor, timestamp, deck_id, id_gen):  # type: ignore[no-untyped-def]
        super().write_to_db(cursor, timestamp, deck_id, id_gen)
        cursor.execute("UPDATE notes SET mod = ? WHERE guid = ?", (self.modified, self.guid))


def last_change_times(docs_dir: Path, pages: Iterable[str]) -> dict[str, int]:
    """For each page, the Unix time of its card text's last change.

    That is the last commit that touched the page, which keeps exports
    reproducible; a page with uncommitted edits, or outside a git checkout,
    uses its file's modification time instead. Two git calls serve all pages.
    """
    wanted = sorted(set(pages))
    committed = _commit_times(docs_dir)
    dirty = _dirty_pages(docs_dir)
    times: dict[str, int] = {}
    for page in wanted:
        when = None if page in dirty else committed.get(page)
        times[page] = when or int((docs_dir / page).stat().st_mtime)
    return times


def _git(docs_dir: Path, *args: str) -> str | None:
    try:
        return subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=docs_dir,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None  # not a checkout, or no git


def _commit_times(docs_dir: Path) -> dict[str, int]:
    """Page (relative to `docs_dir`) -> time of the newest commit that touched it."""
    out = _git(docs_dir, "log", "--format=@%ct", "--name-only", "--relative", "--", ".")
    times: dict[str, int] = {}
    when = 0
    for line in (out or "").splitlines():
        if line.startswith("@"):
            when = int(line[1:])
        elif line:
            times.setdefault(line, when)  # the log runs newest first
    return times


def _dirty_pages(docs_dir: Path) -> set[str]:
    """Pages with uncommitted changes (relative to `docs_dir`)."""
    out = _git(
        docs_dir, "status", "--porcelain", "--untracked-files=all", "--no-renames", "--", "."
    )
    prefix = _git(docs_dir, "rev-parse", "--show-prefix")
    if out is None or prefix is None:
        return set()
    prefix = prefix.strip()  # git status prints paths from the repository root
    return {line[3:].removeprefix(prefix) for line in out.splitlines() if len(line) > 3}


def write_anki(
    cards: Sequence[Card],
    path: Path,
    *,
    modified: dict[str, int],
    site_url: str = "",
    progress: Callable[[Card], None] | None = None,
    parallel: bool = False,
) -> None:
    """Write an `.apkg`: one sub-deck per category, note GUIDs from card ids.

    `modified` maps each card's page to the time of its last change (see
    `last_change_times`); it becomes the notes' modification time.
    """
    decks: dict[str, genanki.Deck] = {}
    html = render_cards([(card.front, card.back) for card in cards], parallel=parallel)
    for card, (front, back) in zip(cards, html, strict=True):
        name = deck_name(card)
        deck = decks.get(name) or decks.setdefault(name, genanki.Deck(deck_id(name), name))
        note = _TimedNote(
            model=ANKI_MODEL,
            fields=[front, back, card.url(site_url), card.id],
            tags=list(card.tags),
            guid=genanki.guid_for(DECK_ROOT, card.id),
            modified=modified[card.page],
        )
        deck.add_note(note)
        if progress:
            progress(card)
    package = genanki.Package([decks[name] for name in sorted(decks)])
    latest = max(modified.values(), default=0)
    try:
        package.write_to_file(str(path), timestamp=latest)
    except OSError as error:
        raise GuideError(f"cannot write {path}: {error.strerror or error}") from error
