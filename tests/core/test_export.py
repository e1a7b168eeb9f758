"""Export: Markdown / JSON / CSV golden files, determinism, structure, atomic writing.

Regenerate the golden files after an intended change with
``UPDATE_GOLDEN=1 python -m pytest tests/core/test_export.py``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from briefing_tui.core import export as export_mod
from briefing_tui.core.document import parse_text
from briefing_tui.core.export import (
    ExportError,
    to_csv,
    to_json,
    to_markdown,
    write_atomic,
)
from briefing_tui.core.importer import import_paths
from briefing_tui.core.store import Store

GOLDEN = Path(__file__).parent / "golden"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

TRUCE = """\
---
title: 'Kremlin signals no quick truce: a test fixture'
source: Example Wire
published: 2025-03-20
url: https://example.org/truce
---

# Kremlin signals no quick truce

Kremlin spokesman Dmitry Peskov said the talks were unlikely to bring "instant results",
although "everything is progressing very well".

A Russian diplomat, Oleksiy Polishchuk, said Moscow wants talks that "take into account the
current realities" of the war.

US adviser Mike Waltz said the goal was "to bring this war to an end, period."

Analysts flagged a line that looks like Markdown: \\# 1. not a heading \\| \\*not emphasis\\*.

This paragraph will be deleted, and its quote orphaned.
"""

WIRE = """\
US warns of annexation plans

Details

The spokesman called it "a predictable part of the playbook".
> 1) literal | `text` <b>bold</b> & more

A two-line statement
# with a hash line
"""


def _span(store: Store, briefing_id: str, quote: str) -> tuple[int, int]:
    text = store.get_briefing(briefing_id).document.text
    start = text.index(quote)
    return start, start + len(quote)


def build_fixture(tmp_path: Path) -> tuple[Store, str, str]:
    """A database with two briefings, speakers, stances, topics, notes and one orphan."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "truce.md").write_text(TRUCE, encoding="utf-8")
    (src / "wire.txt").write_text(WIRE, encoding="utf-8")
    store = Store(tmp_path / "fixture.db")
    truce_r, wire_r = import_paths(store, [src / "truce.md", src / "wire.txt"])
    truce, wire = truce_r.briefing_id, wire_r.briefing_id
    stance = {s.name: s.id for s in store.stances()}
    peskov = store.create_speaker("Dmitry Peskov", role="Kremlin spokesman",
                                  affiliation="Kremlin", aliases=["Peskov"])
    polishchuk = store.create_speaker("Oleksiy Polishchuk", role="Russian Foreign Ministry")
    waltz = store.create_speaker("Mike Waltz", role="US National Security Adviser",
                                 aliases=["Waltz"])
    price = store.create_speaker("Spokesman | *starred* <i>", role="")

    def mark(bid, quote, speaker=None, stance_name=None, topics=(), note=""):
        h = store.create_highlight(bid, *_span(store, bid, quote))
        if speaker is not None:
            store.set_speaker(h.id, speaker.id)
        if stance_name is not None:
            store.set_stance(h.id, stance[stance_name])
        if topics:
            store.set_topics(h.id, topics)
        if note:
            store.set_note(h.id, note)
        return h

    mark(truce, "instant results", peskov, "opposes", ["ceasefire"],
         "contradicts the US timeline")
    mark(truce, "everything is progressing very well", peskov, "supports")
    mark(truce, "take into account the current realities", polishchuk, "conditional",
         ["root-causes", "ceasefire"])
    mark(truce, "to bring this war to an end, period.", waltz, "supports", ["ceasefire"],
         "two lines:\n# and a hash | pipe")
    mark(truce, "# 1. not a heading | *not emphasis*", None, None, [],
         "<b>not bold</b> & `not code`")
    mark(truce, "its quote orphaned", waltz, "neutral")
    mark(wire, "a predictable part of the playbook", price, "opposes", ["annexation"])
    mark(wire, "> 1) literal | `text` <b>bold</b> & more", None, "neutral")
    mark(wire, "two-line statement\n# with a hash line", price, None, [], "line one\n\nline three")

    # A new revision without the last paragraph orphans one highlight.
    (src / "truce.md").write_text(TRUCE.replace(
        "This paragraph will be deleted, and its quote orphaned.\n", ""), encoding="utf-8")
    [updated] = import_paths(store, [src / "truce.md"])
    assert (updated.action, updated.orphaned) == ("updated", 1)
    return store, truce, wire


@pytest.fixture()
def fixture(tmp_path: Path):
    store, truce, wire = build_fixture(tmp_path)
    yield store, truce, wire
    store.close()


def normalise_ids(text: str) -> str:
    """Replace each UUID by a stable placeholder numbered by first appearance."""
    seen: dict[str, str] = {}

    def sub(m: re.Match[str]) -> str:
        return seen.setdefault(m.group(0), f"00000000-0000-4000-8000-{len(seen) + 1:012d}")

    return UUID.sub(sub, text)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    data = normalise_ids(text).encode("utf-8")
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_bytes(data)
    assert path.exists(), f"missing golden file {name}: run with UPDATE_GOLDEN=1"
    assert data == path.read_bytes(), f"{name} differs from the golden file"


# --------------------------------------------------------------------------- golden

@pytest.mark.parametrize("group_by", ["speaker", "stance", "order"])
def test_markdown_golden_one_briefing(fixture, group_by: str) -> None:
    store, truce, _ = fixture
    check_golden(f"truce_by_{group_by}.md", to_markdown(store, [truce], group_by=group_by))


@pytest.mark.parametrize("group_by", ["speaker", "stance", "order"])
def test_markdown_golden_all_briefings(fixture, group_by: str) -> None:
    store, _, _ = fixture
    check_golden(f"all_by_{group_by}.md", to_markdown(store, group_by=group_by))


def test_json_golden(fixture) -> None:
    store, _, _ = fixture
    check_golden("all.json", to_json(store))


def test_csv_golden(fixture) -> None:
    store, _, _ = fixture
    check_golden("all.csv", to_csv(store))


def test_golden_normalisation_is_stable() -> None:
    a = "id 8daf6d88-71bc-49d0-a6f2-ae8480d7904a and 15e07088-47c3-437b-804f-55672b0bc3f2 " \
        "and 8daf6d88-71bc-49d0-a6f2-ae8480d7904a"
    assert normalise_ids(a) == ("id 00000000-0000-4000-8000-000000000001 and "
                                "00000000-0000-4000-8000-000000000002 and "
                                "00000000-0000-4000-8000-000000000001")


# --------------------------------------------------------------------------- determinism

def test_same_database_gives_same_bytes(tmp_path: Path, fixture) -> None:
    store, truce, _ = fixture
    outputs = [(to_markdown(store), to_markdown(store, [truce], group_by="stance"),
                to_json(store), to_csv(store))]
    reopened = Store(store.path)
    try:
        outputs.append((to_markdown(reopened), to_markdown(reopened, [truce], group_by="stance"),
                        to_json(reopened), to_csv(reopened)))
    finally:
        reopened.close()
    assert outputs[0] == outputs[1]


def test_export_changes_when_the_data_changes(fixture) -> None:
    store, truce, _ = fixture
    before = to_markdown(store, [truce])
    h = store.highlights(truce)[0]
    store.set_note(h.id, "a brand new note")
    after = to_markdown(store, [truce])
    assert before != after and "a brand new note" in after


def test_two_fixture_builds_give_identical_exports(tmp_path: Path) -> None:
    texts = []
    for sub in ("one", "two"):
        (tmp_path / sub).mkdir()
        store, _, _ = build_fixture(tmp_path / sub)
        try:
            texts.append(normalise_ids(to_markdown(store) + to_json(store) + to_csv(store)))
        finally:
            store.close()
    assert texts[0] == texts[1]


# --------------------------------------------------------------------------- Markdown shape

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _blockquote_texts(markdown: str) -> list[str]:
    tokens = MD.parse(markdown)
    out, depth = [], 0
    for tok in tokens:
        if tok.type == "blockquote_open":
            depth += 1
        elif tok.type == "blockquote_close":
            depth -= 1
        elif tok.type == "inline" and depth:
            parts = []
            for c in tok.children or []:
                assert c.type in ("text", "text_special", "softbreak"), c.type
                parts.append("\n" if c.type == "softbreak" else c.content)
            out.append("".join(parts))
    return out


def test_markdown_quotes_render_back_as_the_exact_text(fixture) -> None:
    store, truce, wire = fixture
    for group_by in ("speaker", "stance", "order"):
        markdown = to_markdown(store, group_by=group_by)
        quotes = _blockquote_texts(markdown)
        expected = [h.exact for bid in (truce, wire) for h in store.highlights(bid)]
        assert sorted(quotes) == sorted(expected)
        assert "# 1. not a heading | *not emphasis*" in quotes
        assert "> 1) literal | `text` <b>bold</b> & more" in quotes
        assert "two-line statement\n# with a hash line" in quotes


def test_markdown_speaker_sections_table_and_fields(fixture) -> None:
    store, truce, _ = fixture
    markdown = to_markdown(store, [truce])
    assert markdown.startswith("---\ntitle: \"Kremlin signals no quick truce: a test fixture\"\n"
                               "source: Example Wire\npublished: 2025-03-20\n")
    assert "\nhighlights: 6\n---\n" in markdown
    assert "| speaker | supports | opposes | conditional | neutral | no stance |" in markdown
    assert "| Dmitry Peskov | 1 | 1 | 0 | 0 | 0 |" in markdown
    assert "| Unattributed | 0 | 0 | 0 | 0 | 1 |" in markdown
    assert "\n## Dmitry Peskov — Kremlin spokesman\n" in markdown
    assert "\n## Unattributed\n" in markdown
    # sections sorted by speaker name, Unattributed last, orphans at the very end
    order = [markdown.index(s) for s in ("## Dmitry Peskov", "## Mike Waltz",
                                         "## Oleksiy Polishchuk", "## Unattributed",
                                         "## Orphaned highlights")]
    assert order == sorted(order)
    assert "- Stance: opposes\n- Topics: #ceasefire\n- Note: contradicts the US timeline\n" \
           "- Location: paragraph " in markdown
    orphan_part = markdown[markdown.index("## Orphaned highlights"):]
    assert "> its quote orphaned" in orphan_part
    assert "- Speaker: Mike Waltz — US National Security Adviser" in orphan_part
    assert "its quote orphaned" not in markdown[:markdown.index("## Orphaned highlights")]


def test_markdown_location_is_the_paragraph_number(fixture) -> None:
    store, truce, _ = fixture
    document = store.get_briefing(truce).document
    h = next(h for h in store.highlights(truce) if h.exact == "instant results")
    n = document.paragraph_number(h.start)
    assert n >= 2
    markdown = to_markdown(store, [truce], group_by="order")
    block = markdown[markdown.index("> instant results"):]
    assert f"- Location: paragraph {n}\n- Analyst: tester" in block.split("\n\n")[1]


def test_markdown_group_by_stance_and_order(fixture) -> None:
    store, truce, _ = fixture
    by_stance = to_markdown(store, [truce], group_by="stance")
    heads = [line for line in by_stance.splitlines() if line.startswith("## ")]
    assert heads == ["## supports", "## opposes", "## conditional", "## No stance",
                     "## Orphaned highlights"]
    assert "- Speaker: Dmitry Peskov — Kremlin spokesman" in by_stance
    by_order = to_markdown(store, [truce], group_by="order")
    quotes = _blockquote_texts(by_order)
    anchored = [h for h in store.highlights(truce) if h.status == "anchored"]
    assert quotes[:len(anchored)] == [h.exact for h in sorted(anchored, key=lambda h: h.start)]


def test_markdown_all_briefings_has_a_section_each(fixture) -> None:
    store, _, _ = fixture
    markdown = to_markdown(store)
    assert "\nbriefings: 2\nhighlights: 9\n" in markdown
    assert "\n## Kremlin signals no quick truce: a test fixture\n" in markdown
    assert "\n## US warns of annexation plans\n" in markdown
    assert "\n### Spokesman \\| \\*starred\\* \\<i> — " not in markdown  # no role, no dash
    assert "\n### Spokesman \\| \\*starred\\* \\<i>\n" in markdown
    assert "Source: Example Wire · Published: 2025-03-20 · URL: https://example.org/truce" \
        in markdown


def test_markdown_without_highlights_and_bad_grouping(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Plain\n\nNothing marked.\n", encoding="utf-8")
    with Store(tmp_path / "x.db") as store:
        [r] = import_paths(store, [tmp_path / "a.md"])
        markdown = to_markdown(store, [r.briefing_id])
        assert "highlights: 0" in markdown and "*No highlights.*" in markdown
        with pytest.raises(ExportError, match="unknown grouping"):
            to_markdown(store, group_by="colour")
        assert to_csv(store).count("\n") == 1  # header only


def test_markdown_of_empty_database_is_refused(tmp_path: Path) -> None:
    with Store(tmp_path / "x.db") as store, pytest.raises(ExportError, match="no briefings"):
        to_markdown(store)


# --------------------------------------------------------------------------- JSON / CSV

def test_json_is_w3c_annotations_with_both_selectors(fixture) -> None:
    store, truce, wire = fixture
    data = json.loads(to_json(store))
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection"
    items = data["first"]["items"]
    assert data["total"] == len(items) == 9
    texts = {bid: store.get_briefing(bid).document.text for bid in (truce, wire)}
    for item in items:
        assert item["type"] == "Annotation"
        assert list(item) == ["id", "type", "motivation", "creator", "modifiedBy", "body",
                              "target", "status", "paragraph"]
        assert item["creator"] == item["modifiedBy"] == {"type": "Person", "name": "tester"}
        quote, position = item["target"]["selector"]
        assert quote["type"] == "TextQuoteSelector"
        assert position["type"] == "TextPositionSelector"
        bid = item["target"]["source"].removeprefix("urn:uuid:")
        if item["status"] == "anchored":
            assert texts[bid][position["start"]:position["end"]] == quote["exact"]
            assert texts[bid][:position["start"]].endswith(quote["prefix"])
            assert texts[bid][position["end"]:].startswith(quote["suffix"])
    peskov = next(i for i in items if i["target"]["selector"][0]["exact"] == "instant results")
    assert peskov["body"]["speaker"]["name"] == "Dmitry Peskov"
    assert peskov["body"]["speaker"]["aliases"] == ["Peskov"]
    assert peskov["body"]["stance"] == "opposes"
    assert peskov["body"]["topics"] == ["ceasefire"]
    assert peskov["body"]["note"] == "contradicts the US timeline"


def test_json_timestamps_only_when_asked(fixture) -> None:
    store, truce, _ = fixture
    assert '"created"' not in to_json(store, [truce])
    item = json.loads(to_json(store, [truce], timestamps=True))["first"]["items"][0]
    assert item["created"] and item["modified"]


def test_csv_one_row_per_highlight(fixture) -> None:
    store, _, _ = fixture
    rows = list(csv.DictReader(io.StringIO(to_csv(store), newline="")))
    assert len(rows) == 9
    assert list(rows[0]) == list(export_mod.CSV_COLUMNS)
    by_quote = {r["quote"]: r for r in rows}
    r = by_quote["take into account the current realities"]
    assert (r["speaker"], r["stance"], r["topics"], r["status"]) == (
        "Oleksiy Polishchuk", "conditional", "ceasefire; root-causes", "anchored")
    assert int(r["paragraph"]) >= 1
    assert by_quote["its quote orphaned"]["status"] == "orphaned"
    assert by_quote["its quote orphaned"]["paragraph"] == ""
    assert {r["briefing"] for r in rows} == {"Kremlin signals no quick truce: a test fixture",
                                            "US warns of annexation plans"}


def test_one_briefing_only(fixture) -> None:
    store, _, wire = fixture
    rows = list(csv.DictReader(io.StringIO(to_csv(store, [wire]), newline="")))
    assert {r["briefing_id"] for r in rows} == {wire}
    assert json.loads(to_json(store, [wire]))["total"] == 3


# --------------------------------------------------------------------------- writing

def test_write_atomic_writes_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    write_atomic(target, "one\r\nü\n")
    assert target.read_bytes() == "one\r\nü\n".encode()
    with pytest.raises(ExportError) as info:
        write_atomic(target, "two")
    assert "already exists" in str(info.value) and "--force" in str(info.value)
    assert target.read_bytes() == "one\r\nü\n".encode()
    write_atomic(target, "two", force=True)
    assert target.read_text(encoding="utf-8") == "two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]  # no temp files left


def test_write_atomic_file_mode_follows_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "r.md", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "r.md").stat().st_mode & 0o777 == 0o644


def test_write_atomic_missing_folder_and_folder_target(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        write_atomic(tmp_path / "nope" / "r.md", "x")
    with pytest.raises(ExportError, match="is a folder"):
        write_atomic(tmp_path, "x")


def test_write_atomic_permission_error_is_one_line(tmp_path: Path, monkeypatch) -> None:
    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(export_mod.tempfile, "mkstemp", denied)
    with pytest.raises(ExportError) as info:
        write_atomic(tmp_path / "r.md", "x")
    assert str(info.value) == f"cannot write {tmp_path / 'r.md'}: Permission denied"


def test_write_atomic_failure_leaves_old_file_and_no_temp(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "r.md"
    target.write_text("old", encoding="utf-8")

    def broken(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_mod.os, "replace", broken)
    with pytest.raises(ExportError, match="No space left"):
        write_atomic(target, "new", force=True)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.md"]


def test_notes_render_back_including_paragraphs(fixture) -> None:
    store, _, _ = fixture
    tokens = MD.parse(to_markdown(store))
    texts = []
    for tok in tokens:
        if tok.type == "inline":
            texts.append("".join("\n" if c.type == "softbreak" else c.content
                                 for c in tok.children or []))
    assert "Note: <b>not bold</b> & `not code`" in texts
    assert "Note: two lines:\n# and a hash | pipe" in texts
    i = texts.index("Note: line one")
    assert texts[i + 1] == "line three"


def test_one_briefing_carries_its_whole_title_and_facts_under_the_h1(tmp_path: Path) -> None:
    lede = ("Moscow's aims in the conflict are at odds with the stated goal of the allies of "
            "achieving a durable settlement along the whole of the eastern border.")
    (tmp_path / "wire.txt").write_text(f"{lede} An agency writes.\n\nBody.\n", encoding="utf-8")
    (tmp_path / "t.txt").write_text(
        "Ministry Briefing – June 3, 2021\n\nJane Roe, Spokesperson\n\nGENEVA\n\n"
        "MS ROE: Good afternoon.\n", encoding="utf-8")
    with Store(tmp_path / "x.db") as store:
        wire, transcript = import_paths(store, [tmp_path / "wire.txt", tmp_path / "t.txt"])
        lines = to_markdown(store, [wire.briefing_id]).splitlines()
        assert lines[1] == f"title: {lede}"
        assert f"# {lede}" in lines
        lines = to_markdown(store, [transcript.briefing_id]).splitlines()
        assert lines[:5] == ["---", "title: Ministry Briefing – June 3, 2021",
                             "source: Jane Roe, Spokesperson; GENEVA", "published: 2021-06-03",
                             "highlights: 0"]
        h1 = lines.index("# Ministry Briefing – June 3, 2021")
        assert lines[h1 + 1:h1 + 4] == [
            "", "Source: Jane Roe, Spokesperson; GENEVA · Published: 2021-06-03", ""]


def test_facts_under_the_h1_are_made_safe(tmp_path: Path) -> None:
    hostile = "\x1b]0;PWNED\x07*Wire* \u202e<b>\x9b2J"
    with Store(tmp_path / "x.db") as store:
        info = store.add_briefing(
            title="Talks", source=hostile, published="2025-01-02",
            url="https://x.example/a_b?\x1b[2J", path="", fmt="text", source_text="Text.",
            document=parse_text("Text."), content_hash="h1")
        markdown = to_markdown(store, [info.id])
    h1 = markdown.index("\n# Talks\n")
    facts = markdown[h1:].splitlines()[3]
    assert facts.startswith("Source: ␛\\]0;PWNED␇\\*Wire\\* �\\<b>�2J · Published: 2025-01-02")
    assert "URL: https://x.example/a\\_b?␛\\[2J" in facts
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", markdown)
