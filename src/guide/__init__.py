"""Tooling of the ML Interview Guide: flashcards, their exports, and the docs checks.

The content (pages, cards, questions) lives in `docs/`; this package turns it
into the site's `flashcards.json`, Anki decks and CSV files, and enforces the
rule that every code example on the site is a tested module.
"""

from guide.errors import GuideError

__all__ = ["GuideError", "__version__"]
__version__ = "0.1.0"
