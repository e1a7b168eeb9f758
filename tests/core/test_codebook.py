"""The codebook (#16.1): TOML and REFI-QDA .qdc out and in, merging, clashes, undo."""

from __future__ import annotations

import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from briefing_tui.core.codebook import (
    QDC_NS,
    Codebook,
    CodebookError,
    CodebookSpeaker,
    CodebookStance,
    codebook_of,
    from_qdc,
    from_toml,
    import_codebook,
    read_codebook,
    to_qdc,
    to_toml,
)
from briefing_tui.core.store import LIBRARY, Store
from tests.hostile import PAYLOAD, UNSAFE

BOOK = Codebook(
    stances=(CodebookStance("supports", 1, "#2e9e44", "backs it"),
             CodebookStance("opposes", 2, "#d64545", "rejects it"),
             CodebookStance("sceptical", 3, "#112233", "doubts it"),
             CodebookStance("hedges", 7, "#abcdef", "")),
    speakers=(CodebookSpeaker("Dmitry Peskov", "spokesman", "Kremlin", ("Peskov",)),
              CodebookSpeaker("Kaja Kallas", "", "EU", ())),
    topics=("ceasefire", "sanctions"),
)


def comparable(book: Codebook) -> tuple:
    return (sorted(book.stances, key=lambda s: s.hotkey or 0),
            sorted(book.speakers, key=lambda s: s.name), sorted(book.topics))


@pytest.fixture()
def store(tmp_path: Path):
    s = Store(tmp_path / "a.db")
    yield s
    s.close()


def fresh(tmp_path: Path, name: str) -> Store:
    return Store(tmp_path / name)


def test_toml_round_trip_into_an_empty_database_gives_the_same_codebook(store, tmp_path):
    import_codebook(store, BOOK)
    exported = codebook_of(store)
    text = to_toml(exported)
    tomllib.loads(text)  # valid TOML
    other = fresh(tmp_path, "b.db")
    try:
        import_codebook(other, from_toml(text))
        assert comparable(codebook_of(other)) == comparable(exported)
    finally:
        other.close()
    # The unused defaults on 3 and 4 gave way; "sceptical" holds hotkey 3.
    assert [(s.hotkey, s.name) for s in exported.stances] == [
        (1, "supports"), (2, "opposes"), (3, "sceptical"), (4, "neutral"), (7, "hedges")]


def test_qdc_round_trip_and_shape(store, tmp_path):
    import_codebook(store, BOOK)
    exported = codebook_of(store)
    text = to_qdc(exported)
    root = ET.fromstring(text)
    assert root.tag == f"{{{QDC_NS}}}CodeBook"
    groups = root.findall(f"{{{QDC_NS}}}Codes/{{{QDC_NS}}}Code")
    assert [g.get("name") for g in groups] == ["Stances", "Speakers", "Topics"]
    assert all(g.get("isCodable") == "false" for g in groups)
    other = fresh(tmp_path, "b.db")
    try:
        import_codebook(other, from_qdc(text))
        assert comparable(codebook_of(other)) == comparable(exported)
    finally:
        other.close()


def test_qdc_is_read_by_an_independent_reader(store, tmp_path):
    pyrefiqda = pytest.importorskip("pyrefiqda", reason="pyrefiqda (test extra) not installed")
    import_codebook(store, BOOK)
    path = tmp_path / "book.qdc"
    path.write_text(to_qdc(codebook_of(store)), encoding="utf-8")
    book = pyrefiqda.RefiCodebook.load(path)
    groups = {g.name: g for g in book.codes.code}
    assert sorted(c.name for c in groups["Stances"].code) == sorted(
        s.name for s in store.stances())
    assert {c.name: c.color for c in groups["Stances"].code}["sceptical"] == "#112233"
    assert sorted(c.name for c in groups["Speakers"].code) == ["Dmitry Peskov", "Kaja Kallas"]
    assert sorted(c.name for c in groups["Topics"].code) == ["ceasefire", "sanctions"]
    peskov = next(c for c in groups["Speakers"].code if c.name == "Dmitry Peskov")
    assert "Role: spokesman" in peskov.description and "Alias: Peskov" in peskov.description


def test_merge_by_alias_adds_what_is_missing_and_reports_clashes(store):
    peskov = store.create_speaker("Dmitry Peskov", aliases=["Peskov"])
    store.create_speaker("Kaja Kallas", role="High Representative")
    # Hotkey 3 is in use by a highlight's stance: it is not given up.
    from briefing_tui.core.importer import import_paths
    from briefing_tui.paths import samples_dir

    [result] = import_paths(store, [samples_dir() / "kremlin-signals-no-quick-truce.md"])
    h = store.create_highlight(result.briefing_id, 0, 7)
    store.set_stance(h.id, store.stance_by_key(3).id)
    book = Codebook(
        stances=(CodebookStance("sceptical", 3, "#112233", "doubts it"),),
        speakers=(CodebookSpeaker("Peskov", "spokesman", "Kremlin", ("D. Peskov",)),
                  CodebookSpeaker("Kaja Kallas", "Prime Minister", "", ())),
        topics=("Ceasefire Talks",))
    report = import_codebook(store, book)
    assert "hotkey 3 is taken by 'conditional': stance 'sceptical' goes on hotkey 5" \
        in report.clashes
    assert store.stance_by_key(5).name == "sceptical"
    assert store.stance_by_key(3).name == "conditional"  # never replaced, never deleted
    merged = store.speaker(peskov.id)
    assert (merged.role, merged.affiliation) == ("spokesman", "Kremlin")
    assert merged.aliases == ("Peskov", "D. Peskov")
    assert len(store.speakers()) == 2
    assert any("keeps role 'High Representative'" in c for c in report.clashes)
    assert store.topics() == ["ceasefire-talks"]
    assert report.added == ["stance 'sceptical' on hotkey 5", "topic #ceasefire-talks"]
    # Importing it again adds nothing.
    again = import_codebook(store, book)
    assert (again.added, again.updated) == ([], [])


def test_import_is_one_undo_step_of_the_library(store):
    store.create_speaker("Known", role="")
    before = (store.stances(), store.speakers(), store.topics())
    import_codebook(store, BOOK)
    assert store.stances() != before[0]
    assert store.undo(LIBRARY) == "import codebook"
    assert (store.stances(), store.speakers(), store.topics()) == before
    assert store.redo(LIBRARY) == "import codebook"
    assert [s.name for s in store.stances()][-1] == "hedges"


@pytest.mark.parametrize("text", [
    "this is not toml",
    "title = 'a config file'\n",
    "[[stance]]\nname = 'x'\nhotkey = 12\n",
    "[[stance]]\nname = 'x'\ncolour = 'red'\n",
    "topics = 'one'\n",
    "[[speaker]]\nrole = 'nameless'\n",
])
def test_a_toml_that_is_not_a_codebook_is_refused(text):
    with pytest.raises(CodebookError) as info:
        from_toml(text)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("text", [
    "not xml at all",
    "<CodeBook><Codes/></CodeBook>",  # no namespace
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>',
    '<Project xmlns="urn:QDA-XML:project:1.0"/>',
])
def test_an_xml_that_is_not_a_codebook_is_refused(text):
    with pytest.raises(CodebookError):
        from_qdc(text)


def test_read_codebook_refuses_other_suffixes_and_binary(tmp_path):
    (tmp_path / "a.json").write_text("{}")
    (tmp_path / "b.toml").write_bytes(b"\xff\xfe\x00")
    for name in ("a.json", "b.toml", "missing.toml"):
        with pytest.raises(CodebookError):
            read_codebook(tmp_path / name)


def test_other_tools_codes_come_in_as_topics():
    text = f"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="{QDC_NS}"><Codes>
  <Code guid="11111111-1111-1111-1111-111111111111" name="Economy" isCodable="true">
    <Code guid="11111111-1111-1111-1111-111111111112" name="Trade Deals" isCodable="true"/>
  </Code>
  <Code guid="11111111-1111-1111-1111-111111111113" name="Stance" isCodable="false">
    <Code guid="11111111-1111-1111-1111-111111111114" name="agrees" isCodable="true" color="#F00"/>
  </Code>
</Codes></CodeBook>"""
    book = from_qdc(text)
    assert book.topics == ("Economy", "Trade Deals")
    assert book.stances == (CodebookStance("agrees", None, "#ff0000", ""),)


HOSTILE_BOOK = Codebook(
    stances=(CodebookStance(f"=stance{PAYLOAD}", 6, "#010203", f"desc{PAYLOAD}\x00"),),
    speakers=(CodebookSpeaker(f"@Speaker{PAYLOAD}", f"role{PAYLOAD}", f"aff{PAYLOAD}",
                              (f"alias{PAYLOAD}",)),),
    topics=(f"topic{PAYLOAD}\ufffe\ud800",),
)


def test_hostile_toml_is_inert_and_lossless():
    text = to_toml(HOSTILE_BOOK)
    assert UNSAFE.search(text) is None
    assert "\x1b" not in text and "\u202e" not in text
    back = from_toml(text)
    assert back.speakers == HOSTILE_BOOK.speakers
    assert back.stances == HOSTILE_BOOK.stances


def test_hostile_qdc_has_no_control_and_parses(tmp_path):
    text = to_qdc(HOSTILE_BOOK)
    # XML 1.0 forbids C0 controls but tab/newline/CR, and U+FFFE/U+FFFF.
    assert UNSAFE.search(text) is None
    assert "\ufffe" not in text and "\ud800" not in text
    book = from_qdc(text.encode("utf-8"))
    assert book.speakers[0].name.startswith("@Speaker␛]0;")
    assert book.speakers[0].aliases[0].startswith("alias␛]0;")


def test_hostile_codebook_is_stored_cleaned(store):
    report = import_codebook(store, HOSTILE_BOOK)
    for line in report.lines():
        assert UNSAFE.search(line) is None
    [speaker] = store.speakers()
    assert UNSAFE.search(speaker.name + speaker.role + "".join(speaker.aliases)) is None
    assert all(UNSAFE.search(s.name + s.description) is None for s in store.stances())
