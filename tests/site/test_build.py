"""The strict build of the real site, and what it produces."""

import json
import re
import sqlite3
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest

from guide.cards import collect_cards, page_url

from .conftest import ROOT, mkdocs_build

pytestmark = pytest.mark.build
DOCS = ROOT / "docs"
# Tags that make the browser fetch something; a plain <a href> or a canonical link does not.
LOADING = re.compile(
    r'<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc="(?:https?:)?//'
    r'|<link\b(?=[^>]*\brel="(?:stylesheet|preload|modulepreload|icon|manifest|prefetch)")'
    r'[^>]*\bhref="(?:https?:)?//',
    re.I,
)


def test_strict_build_has_no_warning(built):
    warnings = [line for line in built.log.splitlines() if re.match(r"(WARNING|ERROR)\s+-", line)]
    assert warnings == []


def test_flashcards_json_is_valid_and_derived_from_the_pages(built):
    schema = json.loads((DOCS / "flashcards.schema.json").read_text())
    document = json.loads((built.site / "flashcards.json").read_text())
    jsonschema.validate(document, schema)
    ids = [card.id for card in collect_cards(DOCS)]
    assert [c["id"] for c in document["cards"]] == ids
    assert document["count"] == len(ids) >= 14


def test_flashcards_json_is_reproducible(built, tmp_path):
    # The same pages give the same bytes: the build's file and a fresh export
    # from the command (another process, rendering on every core) are identical.
    out = tmp_path / "cards.json"
    guide = Path(sys.executable).with_name("guide")  # the console script of `pip install -e .`
    command = [str(guide), "cards", "export", "-f", "json", "-o", str(out)]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=120)
    assert out.read_bytes() == (built.site / "flashcards.json").read_bytes()


def test_every_card_has_its_anchor_on_its_page(built):
    for card in collect_cards(DOCS):
        html = (built.site / page_url(card.page) / "index.html").read_text()
        assert f'id="card-{card.id}"' in html, card.id
        assert "/// card" not in html


def test_the_anki_deck_opens_in_sqlite(built):
    with zipfile.ZipFile(built.site / "flashcards.apkg") as package:
        database = package.read("collection.anki2")
    path = built.site.parent / "collection.anki2"
    path.write_bytes(database)
    with sqlite3.connect(path) as connection:
        (count,) = connection.execute("select count(*) from notes").fetchone()
        fields = [row[0].split("\x1f") for row in connection.execute("select flds from notes")]
    assert count == len(collect_cards(DOCS))
    assert {f[3] for f in fields} == {c.id for c in collect_cards(DOCS)}


def test_included_snippets_are_rendered_not_their_markers(built):
    html = (built.site / "topics/llm/attention/index.html").read_text()
    assert 'attention</span><span class="p">(</span>' in html  # def attention(
    assert "--8&lt;--" not in html and "--8<--" not in html


def test_the_notebook_ran_and_shows_its_figure(built):
    html = (built.site / "notebooks/attention-heatmap/index.html").read_text()
    assert "data:image/png;base64," in html
    assert "row sums: " + str(["1.0000"] * 6) in html
    assert "Traceback" not in html


def test_the_api_page_documents_the_package(built):
    html = (built.site / "reference/api/index.html").read_text()
    for name in ("guide.cards", "parse_cards", "collect_cards", "write_anki", "check"):
        assert name in html


def test_no_page_loads_anything_from_another_host(built):
    for page in built.site.rglob("*.html"):
        assert not LOADING.search(page.read_text()), page
    for sheet in built.site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", sheet.read_text()), sheet
    for name in ("katex/katex.min.js", "katex/auto-render.min.js", "mermaid/mermaid.min.js"):
        assert (built.site / "assets/vendor" / name).is_file()


def test_a_malformed_card_fails_the_build_and_writes_nothing(tmp_path: Path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/index.md").write_text("# Home\n\n/// card | Q?\n    tags: x\n\nA.\n///\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nplugins:\n  - guide\n")
    result = mkdocs_build(tmp_path, tmp_path / "site")
    assert result.returncode != 0
    assert "guide: index.md:3: card has no 'id' option" in result.stderr
    assert not (tmp_path / "site").exists()


class _Anchors(HTMLParser):
    """Collects the ids and the internal link targets of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        href = attributes.get("href")
        if tag == "a" and href and not re.match(r"^[a-z][a-z0-9+.-]*:|^//", href):
            self.links.append(href)


def test_every_internal_link_and_anchor_resolves(built):
    pages = {}
    for path in built.site.rglob("*.html"):
        parser = _Anchors()
        parser.feed(path.read_text())
        pages[path] = parser
    broken = []
    for path, parser in pages.items():
        if path.name == "404.html":  # served at any path, so its links are absolute
            continue
        for href in parser.links:
            target, _, anchor = href.partition("#")
            resolved = (path.parent / unquote(target)).resolve() if target else path
            if resolved.is_dir():
                resolved = resolved / "index.html"
            if not resolved.is_file():
                broken.append(f"{path.relative_to(built.site)}: {href} (no such file)")
            elif anchor and resolved.suffix == ".html" and anchor not in pages[resolved].ids:
                broken.append(f"{path.relative_to(built.site)}: {href} (no such anchor)")
    assert broken == []
