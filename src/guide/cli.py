"""The `guide` command: `guide cards export`, `guide cards list`, `guide check`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
import yaml

from guide.cards import CATEGORIES, Card, Question, collect
from guide.docs_rules import check
from guide.errors import GuideError
from guide.export import last_change_times, to_csv, to_json, write_anki
from guide.topics import check_topics

app = typer.Typer(
    help="Tools for the ML Interview Guide: export its flashcards, check its docs.",
    no_args_is_help=True,
    add_completion=False,
)
cards_app = typer.Typer(help="Export or list the guide's flashcards.", no_args_is_help=True)
app.add_typer(cards_app, name="cards")


class Format(StrEnum):
    anki = "anki"
    json = "json"
    csv = "csv"


DocsDir = Annotated[
    Path,
    typer.Option(
        "--docs",
        help="The guide's docs folder, where the cards are written.",
        exists=True,
        file_okay=False,
    ),
]
Tag = Annotated[
    list[str] | None,
    typer.Option("--tag", "-t", help="Keep only cards with this tag (repeat for any of several)."),
]
# `--category llm` or `--category "Transformers & LLMs"`: the folder's last part or the name.
CATEGORY_KEYS = {prefix.rsplit("/", 1)[-1]: name for prefix, name in CATEGORIES.items()}
Category = Annotated[
    list[str] | None,
    typer.Option(
        "--category",
        "-c",
        help="Keep only cards of this category (repeat for several): "
        + ", ".join(f"{key} ({name})" for key, name in CATEGORY_KEYS.items())
        + ".",
    ),
]


def _category_names(categories: list[str]) -> set[str]:
    names = set()
    for given in categories:
        name = CATEGORY_KEYS.get(given.lower(), given)
        if name not in CATEGORY_KEYS.values():
            known = ", ".join(CATEGORY_KEYS)
            raise GuideError(f"unknown category {given!r}; known categories: {known}")
        names.add(name)
    return names


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, ignoring its `!!python/name` tags: only `site_url` is needed."""


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)


def _site_url(docs: Path) -> str:
    config = docs.parent / "mkdocs.yml"
    if not config.is_file():
        return ""
    data = yaml.load(config.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    return data.get("site_url") or ""


def _select(
    docs: Path, tags: list[str] | None, categories: list[str] | None = None
) -> tuple[list[Card], list[Question]]:
    """The cards that pass both filters (a filter keeps any of its values)."""
    content = collect(docs)
    cards = content.cards
    if tags:  # unknown means carried by no card at all, whatever the category
        known = {t for c in cards for t in c.tags}
        unknown = sorted(set(tags) - known)
        if unknown:
            raise GuideError(f"unknown tag {unknown[0]!r}; known tags: {', '.join(sorted(known))}")
        cards = [c for c in cards if set(c.tags) & set(tags)]
    if categories:
        names = _category_names(categories)
        cards = [c for c in cards if c.category in names]
    return cards, content.questions


@cards_app.command("export")
def export(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="File to write, e.g. deck.apkg.", dir_okay=False)
    ],
    fmt: Annotated[
        Format,
        typer.Option("--format", "-f", help="anki (an .apkg to import), json or csv."),
    ] = Format.anki,
    docs: DocsDir = Path("docs"),
    category: Category = None,
    tag: Tag = None,
) -> None:
    """Export the flashcards to a file: an Anki deck, JSON or CSV.

    Examples: `guide cards export -o guide.apkg` (every card, for Anki);
    `guide cards export -c rl -t ppo -f csv -o ppo.csv` (the RL cards tagged ppo).

    Anki decks update in place: import a newer export and edited cards change,
    new cards appear, and your review history stays. An unknown category or tag,
    or a file that cannot be written, stops the export before anything is written.
    """
    try:
        cards, questions = _select(docs, tag, category)
        if not cards:
            raise GuideError("no card matches these filters; nothing written")
        if not output.parent.is_dir():
            raise GuideError(f"cannot write {output}: folder {output.parent} does not exist")
        site_url = _site_url(docs)
        if fmt is Format.anki:
            modified = last_change_times(docs, (c.page for c in cards))
            with typer.progressbar(length=len(cards), label="Writing notes") as bar:
                write_anki(
                    cards,
                    output,
                    modified=modified,
                    site_url=site_url,
                    progress=lambda _card: bar.update(1),
                    parallel=True,
                )
        else:
            if fmt is Format.json:
                text = to_json(cards, site_url, questions, parallel=True)
            else:
                text = to_csv(cards, site_url)
            try:
                output.write_text(text, encoding="utf-8")
            except OSError as error:
                raise GuideError(f"cannot write {output}: {error.strerror or error}") from error
    except GuideError as error:
        typer.secho(f"error: {error}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from error
    typer.echo(f"Wrote {len(cards)} cards to {output} ({fmt.value}).")


@cards_app.command("list")
def list_cards(docs: DocsDir = Path("docs"), category: Category = None, tag: Tag = None) -> None:
    """List the cards: id, category and front, one per line."""
    try:
        cards, _ = _select(docs, tag, category)
    except GuideError as error:
        typer.secho(f"error: {error}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from error
    for card in cards:
        typer.echo(f"{card.id}\t{card.category}\t{card.front}")


@app.command("check")
def check_docs(
    root: Annotated[Path, typer.Option(help="The repository root.", file_okay=False)] = Path("."),
) -> None:
    """Check the docs: every code example is an included, tested snippet, and
    every topic page has every part of a topic entry."""
    problems = check(root) + check_topics(root / "docs")
    for problem in problems:
        typer.echo(problem, err=True)
    if problems:
        raise typer.Exit(1)
    typer.echo(
        "docs rules: every snippet is included and tested; every Python fence runs; "
        "every topic page is complete"
    )
