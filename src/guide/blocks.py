"""The block syntax shared by cards and questions.

    /// kind | title
        key: value
        key: value

    Body in Markdown.
    ///

A block opens at the start of a line, takes indented `key: value` options up
to the first blank line, and closes with a line holding only `///`. Blocks in
fenced code are examples, not blocks. Every syntax error is a `GuideError`
located at `page:line`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from guide.errors import GuideError

FENCE = re.compile(r"^\s*(?P<fence>`{3,}|~{3,})")
OPTION = re.compile(r"^ {4}(?P<key>[A-Za-z_-]+):\s*(?P<value>.*?)\s*$")
CLOSE = "///"


@dataclass(frozen=True)
class Block:
    """A parsed block: `start`/`end` are 0-based line indexes of its markers."""

    kind: str
    title: str
    options: dict[str, str]
    option_lines: dict[str, int]  # option -> its 1-based line
    body: str
    page: str
    line: int  # 1-based line of the opening marker
    start: int
    end: int

    def error(self, message: str, option: str | None = None) -> GuideError:
        """An error at the block's first line, or at the line of `option`."""
        return GuideError.at(self.page, self.option_lines.get(option or "", self.line), message)


def iter_blocks(text: str, page: str, kinds: tuple[str, ...]) -> Iterator[Block]:
    """Every block of the given kinds in `text`, in order."""
    opening = re.compile(rf"^///\s*(?P<kind>{'|'.join(kinds)})\b(?P<rest>.*)$")
    misplaced = re.compile(rf"^\s+///\s*(?:{'|'.join(kinds)})\b")
    lines = text.splitlines()
    fence: str | None = None
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if match:
            marker = match["fence"]
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
        elif fence is None:
            found = opening.match(lines[i])
            if found:
                block = _parse(lines, i, page, found["kind"], found["rest"], opening)
                yield block
                i = block.end
            elif misplaced.match(lines[i]):
                raise GuideError.at(page, i + 1, "a block must start at the beginning of a line")
        i += 1


def _parse(
    lines: list[str], start: int, page: str, kind: str, rest: str, opening: re.Pattern[str]
) -> Block:
    lineno = start + 1
    title = re.match(r"^\s*\|\s*(?P<title>\S.*?)\s*$", rest)
    if title is None:
        raise GuideError.at(page, lineno, f"a {kind} opens with '/// {kind} | <title>'")
    options: dict[str, str] = {}
    option_lines: dict[str, int] = {}
    i = start + 1
    while i < len(lines) and lines[i].strip() and lines[i].rstrip() != CLOSE:
        option = OPTION.match(lines[i])
        if option is None:
            raise GuideError.at(
                page, i + 1, "expected an indented 'key: value' option or a blank line"
            )
        if option["key"] in options:
            raise GuideError.at(page, i + 1, f"{kind} option {option['key']!r} given twice")
        options[option["key"]] = option["value"]
        option_lines[option["key"]] = i + 1
        i += 1
    body: list[str] = []
    while True:
        if i >= len(lines):
            raise GuideError.at(page, lineno, f"{kind} is never closed with a '///' line")
        if lines[i].rstrip() == CLOSE:
            break
        if opening.match(lines[i]):
            raise GuideError.at(page, lineno, f"{kind} is not closed before the next block opens")
        body.append(lines[i])
        i += 1
    text = "\n".join(body).strip("\n")
    return Block(kind, title["title"], options, option_lines, text, page, lineno, start, i)
