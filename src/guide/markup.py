"""Card Markdown to HTML for the exports (JSON, Anki, CSV).

Maths comes out in MathJax's `\\( \\)` and `\\[ \\]` delimiters, which Anki
renders natively and KaTeX's auto-render understands; code comes out as plain
`<pre><code>` blocks, monospace everywhere.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor

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


def _render_pair(pair: tuple[str, str]) -> tuple[str, str]:
    front, back = pair
    return to_inline_html(front), to_html(back)


def render_cards(pairs: list[tuple[str, str]], *, parallel: bool = False) -> list[tuple[str, str]]:
    """(front, back) Markdown pairs -> (front, back) HTML, in order.

    Markdown dominates an export's time, so with `parallel` a large export
    renders on every core (forked workers; the order, and so the output, is
    unchanged). Only a single-threaded caller such as the `guide` command may
    ask for it: forking a threaded process (`mkdocs serve`) can deadlock.
    """
    workers = min(os.cpu_count() or 1, 8)
    if not parallel or len(pairs) < 200 or workers < 2:
        return [_render_pair(pair) for pair in pairs]
    if "fork" not in mp.get_all_start_methods():
        return [_render_pair(pair) for pair in pairs]
    context = mp.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return list(pool.map(_render_pair, pairs, chunksize=64))
