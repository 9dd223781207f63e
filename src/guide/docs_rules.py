"""The rule that makes every line of code on the site a tested one.

1. A snippet is a Python file under `snippets/`. A page includes it with
   `pymdownx.snippets` (`--8<-- "snippets/<dir>/<name>.py"` or
   `"...:<section>"`), from a page in the mirrored folder `docs/<dir>/`.
2. Its test is `tests/snippets/<dir>/test_<name>.py`.
3. Every include resolves: the file exists and so does the named section.
4. Every Python fence in `docs/` is either made only of includes (and has a
   `title=`, so pytest-codeblocks leaves it to the snippet's own test) or is
   exactly ```` ```python ````, which pytest-codeblocks executes.
5. No `bash`/`sh` fences (pytest-codeblocks would execute them: use `console`)
   and no skip markers in `docs/`.

`check(root)` returns every violation as a `path:line: message` string.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

INCLUDE = re.compile(r"^\s*-{1,}8<-{1,}\s+(?P<q>[\"']?)(?P<target>[^\"'\s]+)(?P=q)\s*$")
BARE_INCLUDE = re.compile(r"^\s*-{1,}8<-{1,}\s*$")
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
SECTION = re.compile(r"--8<--\s*\[(?P<kind>start|end):(?P<name>[\w-]+)\]")
PYTHON_LANGS = {"python", "py", "python3", "py3", "pycon", "ipython"}
EXECUTED_SHELLS = {"bash", "sh"}
SKIP_MARKER = re.compile(r"<!--[-\s]*pytest(?:-codeblocks:skip|\.mark\.skip)")


@dataclass(frozen=True)
class Fence:
    """A fenced code block of a Markdown file: info string, body, 1-based line."""

    info: str
    body: list[str]
    line: int

    @property
    def lang(self) -> str:
        first = self.info.strip().split(maxsplit=1)
        return first[0].lstrip(".{").lower() if first else ""


@dataclass(frozen=True)
class Include:
    page: Path
    line: int
    target: str  # path relative to the repository root
    section: str | None


def fences(text: str) -> Iterator[Fence]:
    """Fenced blocks, indented ones (inside tabs, admonitions) included."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if match is None:
            i += 1
            continue
        fence, start = match["fence"], i
        body: list[str] = []
        i += 1
        while i < len(lines):
            closing = FENCE.match(lines[i])
            if closing and closing["fence"].startswith(fence) and not closing["info"].strip():
                break
            body.append(lines[i])
            i += 1
        yield Fence(match["info"].strip(), body, start + 1)
        i += 1


def includes(page: Path, text: str) -> Iterator[Include]:
    for number, line in enumerate(text.splitlines(), start=1):
        match = INCLUDE.match(line)
        if match:
            target, _, section = match["target"].partition(":")
            yield Include(page, number, target, section or None)


def sections(path: Path) -> set[str]:
    """Named sections of a snippet that have both a start and an end marker."""
    found: dict[str, set[str]] = {"start": set(), "end": set()}
    for match in SECTION.finditer(path.read_text(encoding="utf-8")):
        found[match["kind"]].add(match["name"])
    return found["start"] & found["end"]


def test_path_for(snippet: Path) -> Path:
    """`snippets/a/b/name.py` -> `tests/snippets/a/b/test_name.py` (repository-relative)."""
    return Path("tests") / snippet.parent / f"test_{snippet.name}"


def snippet_files(root: Path) -> list[Path]:
    return sorted(
        p.relative_to(root) for p in (root / "snippets").rglob("*.py") if p.name != "__init__.py"
    )


def check(root: Path) -> list[str]:
    """Every violation of the rule under the repository `root`, or an empty list."""
    problems: list[str] = []
    docs = root / "docs"
    included: dict[Path, list[Path]] = {}
    for page in sorted(docs.rglob("*.md")):
        rel = page.relative_to(root)
        text = page.read_text(encoding="utf-8")
        problems += _check_fences(rel, text)
        for number, line in enumerate(text.splitlines(), start=1):
            if SKIP_MARKER.search(line):
                problems.append(f"{rel}:{number}: docs may not skip a code block")
            if BARE_INCLUDE.match(line):
                problems.append(f'{rel}:{number}: use the one-line form --8<-- "path"')
        for inc in includes(rel, text):
            problems += _check_include(root, inc)
            included.setdefault(Path(inc.target), []).append(rel)
    for snippet in snippet_files(root):
        if not all(part.isidentifier() for part in snippet.with_suffix("").parts):
            problems.append(f"{snippet}: folder and file names must be Python identifiers")
        pages = included.get(snippet, [])
        if not pages:
            problems.append(f"{snippet}: included by no page in docs/")
        mirror = Path("docs") / snippet.relative_to("snippets").parent
        if pages and not any(p.parent == mirror for p in pages):
            problems.append(f"{snippet}: must be included by a page in {mirror}/")
        if not (root / test_path_for(snippet)).is_file():
            problems.append(f"{snippet}: has no test at {test_path_for(snippet)}")
    problems += _check_tests(root)
    return problems


def _check_include(root: Path, inc: Include) -> list[str]:
    where = f"{inc.page}:{inc.line}"
    target = root / inc.target
    if not target.is_file():
        return [f"{where}: included file {inc.target} does not exist"]
    if inc.section is None:
        return []
    if inc.section.replace(":", "").isdigit() or re.fullmatch(r"-?\d+", inc.section):
        return [f"{where}: include a named section, not line numbers ({inc.section})"]
    if inc.section not in sections(target):
        return [f"{where}: {inc.target} has no section [start:{inc.section}]...[end:...]"]
    return []


def _check_fences(page: Path, text: str) -> list[str]:
    problems = []
    for fence in fences(text):
        where = f"{page}:{fence.line}"
        if fence.lang in EXECUTED_SHELLS:
            problems.append(
                f"{where}: pytest-codeblocks would run this {fence.lang} fence; "
                "use ```console for commands to show"
            )
        if fence.lang not in PYTHON_LANGS:
            continue
        content = [line for line in fence.body if line.strip()]
        only_includes = bool(content) and all(INCLUDE.match(line) for line in content)
        if only_includes and fence.info == "python":
            problems.append(
                f'{where}: give an include fence a title (```python title="...") '
                "so pytest-codeblocks leaves it to the snippet's test"
            )
        elif not only_includes and fence.info != "python":
            problems.append(
                f"{where}: Python fence {fence.info!r} is not tested: include a "
                "snippet, or write exactly ```python so pytest-codeblocks runs it"
            )
    return problems


def _check_tests(root: Path) -> list[str]:
    problems = []
    tests = root / "tests"
    for folder in [tests, *sorted(p for p in tests.rglob("*") if p.is_dir())]:
        if folder.name == "__pycache__":
            continue
        if not (folder / "__init__.py").is_file():
            problems.append(f"{folder.relative_to(root)}: test folders need an __init__.py")
    snippet_tests = tests / "snippets"
    if snippet_tests.is_dir():
        for test in sorted(snippet_tests.rglob("test_*.py")):
            rel = test.relative_to(tests)
            snippet = rel.parent / (test.name.removeprefix("test_"))
            if not (root / snippet).is_file():
                where = test.relative_to(root)
                problems.append(f"{where}: tests no snippet ({snippet} is missing)")
    return problems
