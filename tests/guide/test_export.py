import csv
import io
import json
import os
import subprocess
from pathlib import Path

import genanki
import jsonschema
import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from guide.cards import Card, collect, collect_cards
from guide.export import DECK_ROOT, last_change_times, to_csv, to_json, write_anki
from guide.markup import render_cards, to_html, to_inline_html

SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "flashcards.schema.json").read_text())
PAGE = """\
# Attention

/// card | Why divide by $\\sqrt{d_k}$?
    id: attention-scaling
    tags: attention transformers

Unit variance:

$$
\\operatorname{Var}(q \\cdot k) = d_k
$$

```python
scores = q @ k.T / d_k**0.5
```
///

/// card | Second card?
    id: second-card

Plain *text*.
///
"""


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    (tmp_path / "docs" / "topics" / "llm").mkdir(parents=True)
    (tmp_path / "docs" / "topics" / "llm" / "attention.md").write_text(PAGE)
    return tmp_path / "docs"


def test_json_validates_against_the_schema_and_is_deterministic(docs):
    cards = collect_cards(docs)
    text = to_json(cards, "https://example.org/guide/")
    document = json.loads(text)
    jsonschema.validate(document, SCHEMA)
    assert text == to_json(collect_cards(docs), "https://example.org/guide/")
    assert document["count"] == 2 and document["schema_version"] == 1
    first = document["cards"][0]
    assert first["url"] == "https://example.org/guide/topics/llm/attention/#card-attention-scaling"
    assert first["category"] == "Transformers & LLMs"
    assert first["front_html"] == 'Why divide by <span class="arithmatex">\\(\\sqrt{d_k}\\)</span>?'
    assert '<div class="arithmatex">\\[\n\\operatorname{Var}' in first["back_html"]
    assert '<code class="language-python">scores = q @ k.T / d_k**0.5' in first["back_html"]


def test_schema_rejects_a_card_without_id(docs):
    document = json.loads(to_json(collect_cards(docs)))
    del document["cards"][0]["id"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, SCHEMA)


def test_csv_round_trips(docs):
    rows = list(csv.DictReader(io.StringIO(to_csv(collect_cards(docs)))))
    assert [r["id"] for r in rows] == ["attention-scaling", "second-card"]
    assert rows[0]["tags"] == "attention transformers"
    assert rows[0]["back"].startswith("Unit variance:\n\n$$")


def import_into(collection: Collection, package: Path) -> None:
    # Anki's defaults: update a note only if the incoming one is newer.
    request = ImportAnkiPackageRequest(
        package_path=str(package), options=ImportAnkiPackageOptions()
    )
    collection.import_anki_package(request)


def fields_by_id(collection: Collection) -> dict[str, list[str]]:
    notes = [collection.get_note(n) for n in collection.find_notes("")]
    return {note.fields[3]: note.fields for note in notes}


def test_real_anki_imports_nested_decks_tags_and_maths(docs, tmp_path):
    deck = tmp_path / "deck.apkg"
    write_anki(collect_cards(docs), deck, modified={"topics/llm/attention.md": 1_700_000_000})
    collection = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_into(collection, deck)
        assert collection.note_count() == 2
        names = {d.name for d in collection.decks.all_names_and_ids()}
        assert f"{DECK_ROOT}::Transformers & LLMs" in names
        note = collection.get_note(collection.find_notes("tag:transformers")[0])
        assert note.guid == genanki.guid_for(DECK_ROOT, "attention-scaling")
        assert note.mod == 1_700_000_000
        assert "\\(\\sqrt{d_k}\\)" in note.fields[0]
        assert "<pre" in note.fields[1] and "<code" in note.fields[1]
        assert note.fields[2] == "topics/llm/attention/#card-attention-scaling"
    finally:
        collection.close()


def test_reimporting_an_edited_deck_updates_in_place(docs, tmp_path):
    page = docs / "topics" / "llm" / "attention.md"
    collection = Collection(str(tmp_path / "collection.anki2"))
    try:
        write_anki(
            collect_cards(docs),
            tmp_path / "v1.apkg",
            modified={"topics/llm/attention.md": 1_700_000_000},
        )
        import_into(collection, tmp_path / "v1.apkg")
        import_into(collection, tmp_path / "v1.apkg")
        assert collection.note_count() == 2  # same deck twice: no duplicates

        page.write_text(PAGE.replace("Plain *text*.", "Edited text."))
        edited = collect_cards(docs)
        # Same modification time: Anki keeps its copy (the trap the times avoid).
        write_anki(
            edited, tmp_path / "same-time.apkg", modified={"topics/llm/attention.md": 1_700_000_000}
        )
        import_into(collection, tmp_path / "same-time.apkg")
        assert "Plain <em>text</em>." in fields_by_id(collection)["second-card"][1]

        write_anki(
            edited, tmp_path / "v2.apkg", modified={"topics/llm/attention.md": 1_700_000_500}
        )
        import_into(collection, tmp_path / "v2.apkg")
        assert collection.note_count() == 2
        assert fields_by_id(collection)["second-card"][1] == "<p>Edited text.</p>"
    finally:
        collection.close()


def git(cwd: Path, *args: str, date: str | None = None) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def test_change_time_is_the_last_commit_or_the_file_time_when_edited(docs):
    root = docs.parent
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "cards", date="2024-01-02T03:04:05+00:00")
    page = "topics/llm/attention.md"
    assert last_change_times(docs, [page]) == {page: 1704164645}
    (docs / page).write_text(PAGE + "\nmore\n")
    os.utime(docs / page, (1_800_000_000, 1_800_000_000))
    assert last_change_times(docs, [page]) == {page: 1_800_000_000}


def test_questions_carry_round_difficulty_and_role_in_json(tmp_path):
    answer = " ".join(["because"] * 60)
    (tmp_path / "rounds").mkdir()
    (tmp_path / "rounds" / "ml-theory.md").write_text(
        "/// question | Why pre-norm?\n    id: q-pre-norm\n    round: ml-theory\n"
        f"    difficulty: hard\n    role: rs\n    tags: transformers\n\n{answer}\n///\n"
    )
    content = collect(tmp_path)
    document = json.loads(to_json(content.cards, "", content.questions))
    jsonschema.validate(document, SCHEMA)
    (record,) = document["cards"]
    assert (record["kind"], record["round"], record["difficulty"], record["role"]) == (
        "question",
        "ml-theory",
        "hard",
        "rs",
    )
    assert record["tags"] == ["transformers", "ml-theory"]
    del record["role"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, SCHEMA)
    as_plain_card = json.loads(to_json(content.cards))
    assert as_plain_card["cards"][0]["kind"] == "card" and "round" not in as_plain_card["cards"][0]


def test_parallel_rendering_gives_the_same_bytes(tmp_path):
    # 250 cards: above the size at which the guide command renders on every core.
    cards = [
        Card(f"c{i}", f"Why ${i}^2$?", f"Because `x` and\n\n$$\n{i}\n$$", ("t",), "a.md", 1)
        for i in range(250)
    ]
    assert to_json(cards, parallel=True) == to_json(cards, parallel=False)
    assert render_cards([(c.front, c.back) for c in cards], parallel=True)[7] == (
        to_inline_html(cards[7].front),
        to_html(cards[7].back),
    )
