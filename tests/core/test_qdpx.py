"""REFI-QDA project export (#16.3), read back by an independent reader (pyrefiqda, the
test extra) and by ElementTree: every selection's positions give back its quote, every
code and note is there, no control character reaches the XML."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from briefing_tui.core.codebook import xml_text
from briefing_tui.core.errors import ExportError
from briefing_tui.core.importer import import_paths
from briefing_tui.core.qdpx import PROJECT_NS, qdpx_bytes, write_qdpx
from briefing_tui.core.store import Store
from briefing_tui.paths import samples_dir
from tests.hostile import PAYLOAD, UNSAFE, annotate_hostile, write_hostile

# Characters outside the Basic Multilingual Plane before the quotes: code points and
# UTF-16 units disagree after them (the standard counts characters: code points).
ASTRAL = "# Emoji 😀 briefing\n\nThe 🇺🇦 envoy said 𝒳 talks would resume; «the minister» objected.\n"


@pytest.fixture()
def store(tmp_path: Path):
    s = Store(tmp_path / "q.db")
    (tmp_path / "astral.md").write_text(ASTRAL, encoding="utf-8")
    import_paths(s, [samples_dir(), tmp_path / "astral.md", write_hostile(tmp_path)])
    for info in s.list_briefings():
        text = s.get_briefing(info.id).document.text
        if info.title.startswith("Emoji"):
            start = text.index("talks")
            h = s.create_highlight(info.id, start, start + len("talks would resume"))
            s.set_new_speaker(h.id, "Envoy 🇺🇦", "envoy")
            s.set_stance(h.id, s.stance_by_key(1).id)
            s.set_topics(h.id, ["talks", "ceasefire"])
            s.set_note(h.id, "astral note 😀")
            start = text.index("«")
            s.create_highlight(info.id, start, start + len("«the minister»"))
        elif "Hostile" in info.title:
            annotate_hostile(s, info.id)
        else:
            h = s.create_highlight(info.id, 5, 40)
            s.set_stance(h.id, s.stance_by_key(2).id)
    yield s
    s.close()


def expected(store: Store) -> dict[str, dict]:
    """highlight id -> what the archive must say of it."""
    speakers = {s.id: s.name for s in store.speakers()}
    stances = {s.id: s.name for s in store.stances()}
    out = {}
    for info in store.list_briefings():
        for h in store.highlights(info.id):
            out[h.id] = {"briefing": info.id, "exact": h.exact, "note": h.note,
                         "codes": sorted([*(speakers[h.speaker_id] for _ in [1] if h.speaker_id),
                                          *(stances[h.stance_id] for _ in [1] if h.stance_id),
                                          *h.topics])}
    return out


def test_pyrefiqda_reads_every_selection_code_and_note(store, tmp_path):
    pyrefiqda = pytest.importorskip("pyrefiqda", reason="pyrefiqda (test extra) not installed")
    path, result = write_qdpx(store, None, tmp_path / "all.qdpx")
    want = expected(store)
    assert result.selections == len(want) and result.orphans_left_out == 0
    extract = tmp_path / "extracted"
    project = pyrefiqda.RefiProject.load(path, extract_dir=str(extract))
    codes = {}

    def walk(code):
        codes[code.guid] = code.name
        for child in code.code:
            walk(child)

    for code in project.code_book.codes.code:
        walk(code)
    notes = {n.guid: n.plain_text_content for n in project.notes.note}
    users = {u.guid for u in project.users.user}
    seen = {}
    for source in project.sources.text_source:
        file = pyrefiqda.RefiProject.resolve_source_path(source.plain_text_path, extract)
        text = file.read_text(encoding="utf-8")
        assert text == xml_text(store.get_briefing(source.guid).document.text)
        for sel in source.plain_text_selection:
            assert sel.creating_user in users
            got = {"briefing": source.guid,
                   "exact": text[sel.start_position:sel.end_position],
                   "note": "".join(notes[ref.target_guid] for ref in sel.note_ref),
                   "codes": sorted(codes[c.code_ref.target_guid] for c in sel.coding)}
            seen[sel.guid] = got
    assert set(seen) == set(want)
    for hid, w in want.items():
        # Exactly the data, but controls shown as placeholders (XML 1.0 has no room for them).
        assert seen[hid] == {"briefing": w["briefing"], "exact": xml_text(w["exact"]),
                             "note": xml_text(w["note"]),
                             "codes": sorted(xml_text(c) for c in w["codes"])}
    clean = [w for w in want.values() if w == {**w, "exact": xml_text(w["exact"])}
             and UNSAFE.search(repr(w)) is None]
    assert len(clean) >= 5  # the samples' and the astral briefing's highlights, as they are


def test_positions_count_code_points(store):
    data, _ = qdpx_bytes(store)
    archive = zipfile.ZipFile(io.BytesIO(data))
    root = ET.fromstring(archive.read("project.qde"))
    ns = {"q": PROJECT_NS}
    for source in root.findall("q:Sources/q:TextSource", ns):
        if not source.get("name", "").startswith("Emoji"):
            continue
        text = archive.read(f"sources/{source.get('guid')}.txt").decode("utf-8")
        quotes = [text[int(s.get("startPosition")):int(s.get("endPosition"))]
                  for s in source.findall("q:PlainTextSelection", ns)]
        assert sorted(quotes) == ["talks would resume", "«the minister»"]
        # In UTF-16 units the start would be further on: the emoji count twice there.
        start = int(source.find("q:PlainTextSelection", ns).get("startPosition"))
        assert len(text[:start].encode("utf-16-le")) // 2 > start
        return
    pytest.fail("no astral source")


def test_no_control_character_reaches_the_xml(store):
    data, _ = qdpx_bytes(store)
    archive = zipfile.ZipFile(io.BytesIO(data))
    for name in archive.namelist():
        text = archive.read(name).decode("utf-8")
        assert UNSAFE.search(text) is None, (name, UNSAFE.search(text))
        assert "\ufffe" not in text
    ET.fromstring(archive.read("project.qde"))  # well-formed
    assert "␛]0;" in archive.read("project.qde").decode("utf-8")  # shown, not dropped
    assert PAYLOAD not in archive.read("project.qde").decode("utf-8")


def test_one_briefing_orphans_left_out_and_refusals(store, tmp_path):
    info = next(i for i in store.list_briefings() if i.title.startswith("Emoji"))
    orphan = store.create_highlight(info.id, 0, 5)
    with store._write() as _tx:
        store.conn.execute("UPDATE highlights SET status = 'orphaned' WHERE id = ?",
                           (orphan.id,))
    _, result = qdpx_bytes(store, [info.id])
    assert (result.sources, result.selections, result.notes, result.orphans_left_out) == (
        1, 2, 1, 1)
    path, _ = write_qdpx(store, [info.id], tmp_path / "one.qdpx")
    with pytest.raises(ExportError, match="already exists"):
        write_qdpx(store, [info.id], path)
    with pytest.raises(ExportError, match="does not exist"):
        write_qdpx(store, [info.id], tmp_path / "nowhere" / "x.qdpx")
    assert qdpx_bytes(store, [info.id])[0] == qdpx_bytes(store, [info.id])[0]  # reproducible


# ------------------------------------------------------------------ import-qdpx (welcome)

def annotations_of(store: Store, ids: list[str] | None = None) -> list[tuple]:
    speakers = {s.id: s.name for s in store.speakers()}
    stances = {s.id: s.name for s in store.stances()}
    return sorted((h.exact, speakers.get(h.speaker_id), stances.get(h.stance_id), h.topics,
                   h.note) for info in store.list_briefings() for h in store.highlights(info.id)
                  if ids is None or info.id in ids)


def test_our_qdpx_into_an_empty_database_gives_the_same_highlights(store, tmp_path):
    from briefing_tui.core.qdpx_import import import_qdpx, read_qdpx

    clean = [i.id for i in store.list_briefings() if "Hostile" not in i.title]
    path, _ = write_qdpx(store, clean, tmp_path / "clean.qdpx")
    want = annotations_of(store, clean)
    other = Store(tmp_path / "empty.db")
    try:
        result = import_qdpx(other, read_qdpx(path))
        assert len(result.briefings_added) == len(clean)
        assert annotations_of(other) == want
        assert result.annotations.by_position == len(want)
        again = import_qdpx(other, read_qdpx(path))  # the briefings are found by their text
        assert (again.briefings_added, again.annotations.added) == ([], 0)
    finally:
        other.close()


def foreign_project(tmp_path: Path, selection: tuple[int, int] = (13, 25),
                    text: str = "\n\nOur envoy: talks resume on Monday.\n") -> Path:
    """A project as another tool writes it: text inline, codes without our groups."""
    g = "0000000{}-0000-0000-0000-000000000000".format
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{PROJECT_NS}" name="theirs">
  <CodeBook><Codes>
    <Code guid="{g(1)}" name="Economy" isCodable="true">
      <Code guid="{g(2)}" name="Trade Talks" isCodable="true"/>
    </Code>
    <Code guid="{g(3)}" name="Speakers" isCodable="false">
      <Code guid="{g(4)}" name="Our Envoy" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="{g(5)}" name="Interview 1">
      <PlainTextContent>{text}</PlainTextContent>
      <PlainTextSelection guid="{g(6)}" startPosition="{selection[0]}" endPosition="{selection[1]}">
        <Coding guid="{g(7)}"><CodeRef targetGUID="{g(2)}"/></Coding>
        <Coding guid="{g(8)}"><CodeRef targetGUID="{g(4)}"/></Coding>
        <NoteRef targetGUID="{g(9)}"/>
      </PlainTextSelection>
    </TextSource>
  </Sources>
  <Notes><Note guid="{g(9)}" name="n"><PlainTextContent>their memo</PlainTextContent></Note></Notes>
</Project>"""
    path = tmp_path / "theirs.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
    return path


def test_another_tools_project_comes_in(tmp_path):
    from briefing_tui.core.qdpx_import import import_qdpx, read_qdpx

    other = Store(tmp_path / "theirs.db")
    try:
        result = import_qdpx(other, read_qdpx(foreign_project(tmp_path)))
        assert result.briefings_added == ["Interview 1"]
        [info] = other.list_briefings()
        [h] = other.highlights(info.id)
        # The reading text lost the leading blank lines: placed by its quote.
        assert h.exact == "talks resume" and result.annotations.by_quote == 1
        assert h.topics == ("trade-talks",)
        assert other.speaker(h.speaker_id).name == "Our Envoy"
        assert h.note == "their memo"
    finally:
        other.close()


def test_bad_archives_are_one_line_and_change_nothing(tmp_path):
    from briefing_tui.core.qdpx_import import QdpxRefused, read_qdpx

    not_zip = tmp_path / "a.qdpx"
    not_zip.write_text("just text")
    empty = tmp_path / "b.qdpx"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("readme.txt", "no project")
    wrong = tmp_path / "c.qdpx"
    with zipfile.ZipFile(wrong, "w") as archive:
        archive.writestr("project.qde", '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>')
    missing = tmp_path / "d.qdpx"
    with zipfile.ZipFile(missing, "w") as archive:
        archive.writestr("project.qde", f'<Project xmlns="{PROJECT_NS}" name="x"><Sources>'
                         '<TextSource guid="00000001-0000-0000-0000-000000000000"'
                         ' plainTextPath="internal://gone.txt"/></Sources></Project>')
    outside = foreign_project(tmp_path, selection=(30, 400))
    for path, fragment in ((not_zip, "not a zip"), (empty, "no .qde"),
                           (wrong, "root is not Project"), (missing, "gone.txt is missing"),
                           (outside, "outside its text")):
        with pytest.raises(QdpxRefused, match=fragment) as info:
            read_qdpx(path)
        assert "\n" not in str(info.value)
