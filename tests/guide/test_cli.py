import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from guide.cli import app

runner = CliRunner()
PAGE = (
    "/// card | Q?\n    id: one\n    tags: attention\n\nA.\n///\n\n"
    "/// card | R?\n    id: two\n\nB.\n///\n"
)


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    (tmp_path / "docs" / "rounds").mkdir(parents=True)
    (tmp_path / "docs" / "rounds" / "ml-coding.md").write_text(PAGE)
    (tmp_path / "mkdocs.yml").write_text(
        "site_url: https://example.org/g/\nx: !!python/name:builtins.print\n"
    )
    return tmp_path / "docs"


def test_help_explains_the_options():
    result = runner.invoke(app, ["cards", "export", "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    for option in ("--format", "--output", "--tag", "--docs", "anki", "json", "csv"):
        assert option in result.output


@pytest.mark.parametrize("fmt", ["anki", "json", "csv"])
def test_export_writes_each_format(docs, tmp_path, fmt):
    out = tmp_path / f"cards.{fmt}"
    result = runner.invoke(app, ["cards", "export", "-f", fmt, "-o", str(out), "--docs", str(docs)])
    assert result.exit_code == 0, result.output
    assert f"Wrote 2 cards to {out} ({fmt})." in result.output
    assert out.stat().st_size > 0


def test_json_export_uses_the_site_url_and_filters_by_tag(docs, tmp_path):
    out = tmp_path / "cards.json"
    args = [
        "cards",
        "export",
        "-f",
        "json",
        "-o",
        str(out),
        "--docs",
        str(docs),
        "--tag",
        "attention",
    ]
    assert runner.invoke(app, args).exit_code == 0
    cards = json.loads(out.read_text())["cards"]
    assert [c["id"] for c in cards] == ["one"]
    assert cards[0]["url"] == "https://example.org/g/rounds/ml-coding/#card-one"


def test_unknown_tag_fails_and_writes_nothing(docs, tmp_path):
    out = tmp_path / "cards.apkg"
    result = runner.invoke(
        app, ["cards", "export", "-o", str(out), "--docs", str(docs), "-t", "nope"]
    )
    assert result.exit_code == 1
    assert "error: unknown tag 'nope'; known tags: attention" in result.output
    assert not out.exists()


def test_unwritable_path_fails_with_a_message(docs, tmp_path):
    out = tmp_path / "missing-folder" / "cards.apkg"
    result = runner.invoke(app, ["cards", "export", "-o", str(out), "--docs", str(docs)])
    assert result.exit_code == 1
    assert f"error: cannot write {out}: folder {out.parent} does not exist" in result.output


@pytest.mark.parametrize("fmt", ["anki", "csv"])
def test_a_folder_nobody_can_write_fails_with_a_message(docs, fmt):
    # Not even root may create files in /proc, so this runs as any user.
    out = Path("/proc/guide-cards-test")
    result = runner.invoke(app, ["cards", "export", "-f", fmt, "-o", str(out), "--docs", str(docs)])
    assert result.exit_code == 1, result.output
    assert f"error: cannot write {out}: " in result.output
    assert not out.exists()


def test_malformed_card_reports_file_and_line(docs):
    (docs / "bad.md").write_text("# Bad\n\n/// card | Q\n\nno id\n///\n")
    result = runner.invoke(app, ["cards", "list", "--docs", str(docs)])
    assert result.exit_code == 1
    assert "error: bad.md:3: card has no 'id' option" in result.output


def test_list_prints_id_category_front(docs):
    result = runner.invoke(app, ["cards", "list", "--docs", str(docs)])
    assert result.output.splitlines() == ["one\tInterview rounds\tQ?", "two\tInterview rounds\tR?"]


def test_check_passes_on_the_repository():
    root = Path(__file__).resolve().parents[2]
    result = runner.invoke(app, ["check", "--root", str(root)])
    assert result.exit_code == 0, result.output
