"""The rule of the README's contributor section, on the real tree and on broken ones."""

import shutil
import textwrap
from pathlib import Path

import pytest
from pytest_codeblocks.main import extract_from_file

from guide.docs_rules import check, fences

ROOT = Path(__file__).resolve().parents[1]


def test_the_repository_follows_the_rule():
    assert check(ROOT) == []


def test_pytest_codeblocks_collects_every_fence_we_call_executable():
    # Guards against a fence our parser sees but pytest-codeblocks would skip.
    for page in sorted((ROOT / "docs").rglob("*.md")):
        ours = [f.line for f in fences(page.read_text()) if f.info == "python"]
        theirs = [b.lineno for b in extract_from_file(page) if b.syntax == "python"]
        assert ours == theirs, page


SNIPPET = '''\
"""A tiny snippet."""


# --8<-- [start:double]
def double(x):
    return 2 * x
# --8<-- [end:double]
'''
PAGE = """\
# Double

```python title="snippets/topics/demo/double.py"
--8<-- "snippets/topics/demo/double.py:double"
```
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A minimal repository that follows the rule."""
    for folder in ("snippets/topics/demo", "docs/topics/demo", "tests/snippets/topics/demo"):
        (tmp_path / folder).mkdir(parents=True)
    for folder in (
        "tests",
        "tests/snippets",
        "tests/snippets/topics",
        "tests/snippets/topics/demo",
    ):
        (tmp_path / folder / "__init__.py").touch()
    (tmp_path / "snippets/topics/demo/double.py").write_text(SNIPPET)
    (tmp_path / "tests/snippets/topics/demo/test_double.py").write_text("def test(): pass\n")
    (tmp_path / "docs/topics/demo/double.md").write_text(PAGE)
    return tmp_path


def add(tree: Path, path: str, text: str) -> None:
    (tree / path).parent.mkdir(parents=True, exist_ok=True)
    (tree / path).write_text(textwrap.dedent(text))


def test_the_minimal_tree_passes(tree):
    assert check(tree) == []


def test_a_stray_snippet_fails(tree):
    add(tree, "snippets/topics/demo/stray.py", "x = 1\n")
    add(tree, "tests/snippets/topics/demo/test_stray.py", "def test(): pass\n")
    assert check(tree) == ["snippets/topics/demo/stray.py: included by no page in docs/"]


def test_a_snippet_without_a_test_fails(tree):
    (tree / "tests/snippets/topics/demo/test_double.py").unlink()
    assert check(tree) == [
        "snippets/topics/demo/double.py: has no test at tests/snippets/topics/demo/test_double.py"
    ]


def test_a_snippet_included_from_another_folder_fails(tree):
    shutil.move(tree / "docs/topics/demo/double.md", tree / "docs/elsewhere.md")
    assert check(tree) == [
        "snippets/topics/demo/double.py: must be included by a page in docs/topics/demo/"
    ]


def test_an_untested_fence_fails(tree):
    add(
        tree,
        "docs/topics/demo/more.md",
        """\
        # More

        ```py
        print("never run")
        ```

        === "Tab"

            ```python title="example.py"
            print("titled, so pytest-codeblocks skips it")
            ```
        """,
    )
    problems = check(tree)
    assert len(problems) == 2
    assert problems[0].startswith("docs/topics/demo/more.md:3: Python fence 'py' is not tested")
    assert problems[1].startswith("docs/topics/demo/more.md:9: Python fence 'python title=")


def test_plain_python_fences_pass(tree):
    add(tree, "docs/topics/demo/more.md", "```python\nprint(1)\n```\n")
    assert check(tree) == []


def test_a_bash_fence_fails(tree):
    add(tree, "docs/topics/demo/more.md", "```bash\nrm -rf /tmp/x\n```\n")
    assert check(tree) == [
        "docs/topics/demo/more.md:1: pytest-codeblocks would run this bash fence; "
        "use ```console for commands to show"
    ]


def test_an_include_fence_without_a_title_fails(tree):
    add(
        tree,
        "docs/topics/demo/double.md",
        PAGE.replace(' title="snippets/topics/demo/double.py"', ""),
    )
    assert check(tree)[0].startswith("docs/topics/demo/double.md:3: give an include fence a title")


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            "snippets/topics/demo/missing.py",
            "included file snippets/topics/demo/missing.py does not exist",
        ),
        ("snippets/topics/demo/double.py:triple", "has no section [start:triple]"),
        ("snippets/topics/demo/double.py:3:5", "include a named section, not line numbers"),
    ],
)
def test_a_broken_include_fails(tree, target, message):
    add(
        tree,
        "docs/topics/demo/double.md",
        PAGE + f'\n```python title="x"\n--8<-- "{target}"\n```\n',
    )
    problems = check(tree)
    assert len(problems) == 1 and message in problems[0], problems
    assert problems[0].startswith("docs/topics/demo/double.md:8: ")


def test_skip_markers_fail(tree):
    add(tree, "docs/topics/demo/more.md", "<!--pytest.mark.skip-->\n```python\nx = 1\n```\n")
    assert check(tree) == ["docs/topics/demo/more.md:1: docs may not skip a code block"]


def test_a_test_without_a_snippet_fails(tree):
    add(tree, "tests/snippets/topics/demo/test_gone.py", "def test(): pass\n")
    assert check(tree) == [
        "tests/snippets/topics/demo/test_gone.py: tests no snippet "
        "(snippets/topics/demo/gone.py is missing)"
    ]


def test_a_test_folder_without_init_fails(tree):
    (tree / "tests/snippets/topics/__init__.py").unlink()
    assert check(tree) == ["tests/snippets/topics: test folders need an __init__.py"]


def test_a_snippet_path_that_is_not_importable_fails(tree):
    add(tree, "snippets/topics/demo/two-words.py", "x = 1\n")
    add(tree, "tests/snippets/topics/demo/test_two-words.py", "def test(): pass\n")
    add(
        tree,
        "docs/topics/demo/two.md",
        '```python title="t"\n--8<-- "snippets/topics/demo/two-words.py"\n```\n',
    )
    assert check(tree) == [
        "snippets/topics/demo/two-words.py: folder and file names must be Python identifiers"
    ]
