"""Source text is plain: no control characters in pages, snippets or code.

A Python string without `r` turns `\\theta` into a tab and `\\beta` into a
backspace; written to a page, the formula silently breaks. This catches it.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # everything but \t and \n
FOLDERS = ("docs", "snippets", "src", "tests", "overrides")
VENDORED = ROOT / "docs" / "assets" / "vendor"


def text_files() -> list[Path]:
    files = [ROOT / "README.md", ROOT / "mkdocs.yml"]
    for folder in FOLDERS:
        for suffix in ("*.md", "*.py", "*.js", "*.css", "*.json", "*.html", "*.yml"):
            files += [p for p in (ROOT / folder).rglob(suffix) if VENDORED not in p.parents]
    return sorted(set(files))


def test_no_control_characters():
    found = []
    for path in text_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if CONTROL.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line!r:.80}")
    assert found == []


def test_no_tabs_in_pages():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in text_files()
        if path.suffix == ".md"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "\t" in line
    ]
    assert found == []
