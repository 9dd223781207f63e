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
    for option in ("--format", "--output", "--tag", "--category", "--docs", "anki", "json", "csv"):
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


@pytest.fixture
def two_categories(docs: Path) -> Path:
    (docs / "topics" / "rl").mkdir(parents=True)
    page = "/// card | What is an MDP?\n    id: rl-mdp\n    tags: mdp\n\nA tuple.\n///\n"
    (docs / "topics" / "rl" / "mdp.md").write_text(page)
    return docs


@pytest.mark.parametrize("given", ["rl", "RL", "Reinforcement learning"])
def test_category_filter_takes_the_folder_or_the_name(two_categories, tmp_path, given):
    out = tmp_path / "rl.json"
    args = ["cards", "export", "-f", "json", "-o", str(out), "--docs", str(two_categories)]
    result = runner.invoke(app, [*args, "--category", given])
    assert result.exit_code == 0, result.output
    cards = json.loads(out.read_text())["cards"]
    assert [(c["id"], c["category"]) for c in cards] == [("rl-mdp", "Reinforcement learning")]


def test_category_and_tag_filters_combine(two_categories):
    args = ["cards", "list", "--docs", str(two_categories), "-c", "rounds", "-t", "attention"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["one\tInterview rounds\tQ?"]


def test_unknown_category_fails_and_writes_nothing(two_categories, tmp_path):
    out = tmp_path / "cards.apkg"
    args = ["cards", "export", "-o", str(out), "--docs", str(two_categories), "-c", "chemistry"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "error: unknown category 'chemistry'; known categories: rl, llm," in result.output
    assert not out.exists()


def test_filters_that_match_nothing_write_nothing(two_categories, tmp_path):
    out = tmp_path / "cards.csv"
    args = ["cards", "export", "-f", "csv", "-o", str(out), "--docs", str(two_categories)]
    result = runner.invoke(app, [*args, "-c", "rl", "-t", "attention"])
    assert result.exit_code == 1
    assert "error: no card matches these filters; nothing written" in result.output
    assert not out.exists()


def test_anki_export_shows_progress(docs, tmp_path):
    out = tmp_path / "cards.apkg"
    result = runner.invoke(app, ["cards", "export", "-o", str(out), "--docs", str(docs)])
    assert result.exit_code == 0, result.output
    assert "Writing notes" in result.output
