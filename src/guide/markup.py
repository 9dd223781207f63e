"""Card Markdown to HTML for the exports (JSON, Anki, CSV).

Maths comes out in MathJax's `\\( \\)` and `\\[ \\]` delimiters, which Anki
renders natively and KaTeX's auto-render understands; code comes out as plain
`<pre><code>` blocks, monospace everywhere.
"""

from __future__ import annotations

import markdown

_EXTENSIONS = [
    "tables",
    "md_in_html",
    "pymdownx.arithmatex",
    "pymdownx.superfences",
    "pymdownx.highlight",
]
_CONFIG = {
    "pymdownx.arithmatex": {"generic": True},
    "pymdownx.highlight": {"use_pygments": False},
}


_renderer: markdown.Markdown | None = None


def to_html(text: str) -> str:
    """Render a card's Markdown (block level) to HTML."""
    global _renderer
    if _renderer is None:  # building the parser costs far more than one card
        _renderer = markdown.Markdown(extensions=_EXTENSIONS, extension_configs=_CONFIG)
    return _renderer.reset().convert(text).strip()


def to_inline_html(text: str) -> str:
    """Render one line of Markdown (a card's front) without the surrounding `<p>`."""
    html = to_html(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html
