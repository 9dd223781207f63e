"""The MkDocs plugin (`plugins: [guide]`): cards in pages, and their exports.

* before anything is written, every card under `docs/` is parsed and checked;
  a malformed one fails the build with its `file:line`;
* each page's card and question blocks become collapsible HTML with a stable
  anchor, and `/// questions | tag` lists link to the questions with that tag;
* a `/// topics` block becomes the index of the topic pages, with counts;
* the site gets `flashcards.json` and `flashcards.apkg` at its root, as
  generated files, so pages can link to them and `mkdocs serve` serves them.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from guide.cards import Card, Question, collect, render_page
from guide.errors import GuideError
from guide.export import last_change_times, to_json, write_anki
from guide.topics import Topic, collect_topics, render_topic_blocks


class GuidePlugin(BasePlugin):
    def __init__(self) -> None:
        self.cards: list[Card] = []
        self.questions: list[Question] = []
        self.topics: list[Topic] = []

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        try:
            content = collect(Path(config.docs_dir))
            self.cards, self.questions = content.cards, content.questions
            self.topics = collect_topics(Path(config.docs_dir))
        except GuideError as error:
            raise PluginError(f"guide: {error}") from error

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        try:
            markdown = render_topic_blocks(markdown, page.file.src_uri, self.topics)
            return render_page(markdown, page.file.src_uri, self.questions)
        except GuideError as error:
            raise PluginError(f"guide: {error}") from error

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        cards_json = to_json(self.cards, config.site_url or "", self.questions)
        files.append(File.generated(config, "flashcards.json", content=cards_json))
        files.append(File.generated(config, "flashcards.apkg", content=self._apkg(config)))
        return files

    def _apkg(self, config: MkDocsConfig) -> bytes:
        modified = last_change_times(Path(config.docs_dir), (c.page for c in self.cards))
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "flashcards.apkg"
            try:
                write_anki(self.cards, path, modified=modified, site_url=config.site_url or "")
            except GuideError as error:
                raise PluginError(f"guide: {error}") from error
            return path.read_bytes()
