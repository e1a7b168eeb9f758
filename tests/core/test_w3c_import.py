"""W3C Web Annotation import (#16.2): our JSON export comes back whole; other tools'
annotations are placed as re-imports place highlights; foreign sources are refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefing_tui.core.export import to_json
from briefing_tui.core.importer import import_paths
from briefing_tui.core.store import Store
from briefing_tui.core.w3c_import import AnnotationsRefused, import_annotations
from tests.hostile import PAYLOAD, UNSAFE

BODY = ("# Talks\n\nThe envoy said the talks would resume on Monday in Geneva.\n\n"
        "The minister said no deal was possible before the elections in spring.\n\n"
        "A third paragraph that will be deleted later on for good.\n")


def write(folder: Path, text: str = BODY) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "talks.md"
    path.write_text(text, encoding="utf-8")
    return path


def snapshot(store: Store) -> list[tuple]:
    """Every highlight as what an analyst sees: briefing, place, quote, annotations."""
    speakers = {s.id: s for s in store.speakers()}
    stances = {s.id: s.name for s in store.stances()}
    out = []
    for info in store.list_briefings():
        for h in store.highlights(info.id):
            sp = speakers.get(h.speaker_id)
            out.append((info.title, h.start, h.end, h.exact, h.prefix, h.suffix, h.status,
                        h.previous_exact, h.note, h.topics, stances.get(h.stance_id),
                        None if sp is None else (sp.name, sp.role, sp.affiliation, sp.aliases)))
    return sorted(out, key=repr)


@pytest.fixture()
def annotated(tmp_path: Path) -> Store:
    """A database with highlights of every kind: annotated, plain, orphaned, changed."""
    store = Store(tmp_path / "a.db")
    path = write(tmp_path / "src")
    [result] = import_paths(store, [path])
    bid = result.briefing_id
    text = store.get_briefing(bid).document.text
    s = text.index("the talks would resume")
    h = store.create_highlight(bid, s, s + len("the talks would resume on Monday"))
    store.set_new_speaker(h.id, "Envoy Smith", "envoy")
    store.set_stance(h.id, store.stance_by_key(3).id)
    store.set_topics(h.id, ["talks", "geneva"])
    store.set_note(h.id, "first line\n\nsecond «line» — 💬")
    s = text.index("no deal")
    store.create_highlight(bid, s, s + len("no deal was possible"))
    s = text.index("deleted later")
    gone = store.create_highlight(bid, s, s + len("deleted later on for good"))
    s = text.index("before the elections")
    changed = store.create_highlight(bid, s, s + len("before the elections in spring"))
    store.update_speaker(store.find_speaker("Envoy Smith").id, affiliation="UN",
                         aliases=["Smith"])
    # Edit the file: one highlight loses its text, one is re-anchored onto changed text.
    write(tmp_path / "src", BODY.replace(
        "A third paragraph that will be deleted later on for good.\n", "").replace(
        "in spring", "in sprung"))
    import_paths(store, [path])
    assert store.highlight(gone.id).status == "orphaned"
    assert store.highlight(changed.id).changed
    yield store
    store.close()


def test_export_then_import_into_an_empty_database_gives_the_same_highlights(annotated,
                                                                             tmp_path):
    data = json.loads(to_json(annotated))
    other = Store(tmp_path / "b.db")
    try:
        import_paths(other, [tmp_path / "src" / "talks.md"])  # the same briefing, new id
        report = import_annotations(other, data)
        assert (report.added, report.orphaned) == (4, 1)
        assert snapshot(other) == snapshot(annotated)
        again = import_annotations(other, data)  # twice: nothing more
        assert (again.added, again.skipped) == (0, 4)
        assert snapshot(other) == snapshot(annotated)
    finally:
        other.close()


def test_other_tools_annotations_by_quote_position_and_fuzzy(tmp_path):
    store = Store(tmp_path / "c.db")
    try:
        [result] = import_paths(store, [write(tmp_path / "src")])
        info = store.briefing_info(result.briefing_id)
        text = store.get_briefing(info.id).document.text
        start = text.index("the minister said".capitalize())
        items = [
            {"type": "Annotation", "target": {"source": f"urn:uuid:{info.id}", "selector": {
                "type": "TextQuoteSelector", "exact": "resume on Monday"}},
             "body": [{"type": "TextualBody", "purpose": "tagging", "value": "Schedule"},
                      {"type": "TextualBody", "value": "worth checking"}]},
            # A stale position: found by its quote and context.
            {"type": "Annotation", "target": {"source": f"urn:uuid:{info.id}", "selector": [
                {"type": "TextPositionSelector", "start": start + 3, "end": start + 15},
                {"type": "TextQuoteSelector", "exact": "The minister", "prefix": "Geneva.\n\n",
                 "suffix": " said no deal"}]}},
            # Slightly different wording: a fuzzy placement, the quote as marked kept.
            {"type": "Annotation", "target": {"source": f"urn:uuid:{info.id}", "selector": [
                {"type": "TextQuoteSelector", "exact": "no deal was possible before the"
                 " elektions", "prefix": "The minister said ", "suffix": " in spring"}]}},
            # Nowhere in the text: kept as an orphan.
            {"type": "Annotation", "target": {"source": f"urn:uuid:{info.id}", "selector": [
                {"type": "TextQuoteSelector", "exact": "a sentence from another text"}]}},
        ]
        report = import_annotations(store, {"type": "AnnotationPage", "items": items})
        assert (report.added, report.by_quote, report.fuzzy, report.orphaned) == (4, 2, 1, 1)
        hs = {h.exact: h for h in store.highlights(info.id)}
        assert hs["resume on Monday"].topics == ("schedule",)
        assert hs["resume on Monday"].note == "worth checking"
        assert "The minister" in hs
        fuzzy = next(h for h in hs.values() if h.previous_exact)
        assert fuzzy.exact == "no deal was possible before the elections"
        assert hs["a sentence from another text"].status == "orphaned"
    finally:
        store.close()


def test_a_source_we_do_not_hold_is_refused_and_nothing_changes(annotated, tmp_path):
    data = json.loads(to_json(annotated))
    data["first"]["items"].append({
        "type": "Annotation", "target": {"source": "https://elsewhere.example/doc",
                                         "selector": {"type": "TextQuoteSelector",
                                                      "exact": "x"}}})
    other = Store(tmp_path / "b.db")
    try:
        import_paths(other, [tmp_path / "src" / "talks.md"])
        with pytest.raises(AnnotationsRefused, match="does not hold: https://elsewhere"):
            import_annotations(other, data)
        assert snapshot(other) == []
        assert other.speakers() == []
    finally:
        other.close()


@pytest.mark.parametrize("data", [{}, [], {"type": "AnnotationCollection"}, "text", 3,
                                  [{"type": "Annotation", "target": "urn:uuid:x"}]])
def test_not_annotations_is_refused(tmp_path, data):
    store = Store(tmp_path / "d.db")
    try:
        with pytest.raises(AnnotationsRefused):
            import_annotations(store, data)
    finally:
        store.close()


def test_hostile_annotations_are_stored_cleaned(tmp_path):
    store = Store(tmp_path / "e.db")
    try:
        [result] = import_paths(store, [write(tmp_path / "src")])
        item = {"type": "Annotation", "id": "not-a-uuid",
                "target": {"source": f"urn:uuid:{result.briefing_id}", "selector": [
                    {"type": "TextQuoteSelector", "exact": f"gone {PAYLOAD}"}]},
                "body": {"speaker": {"name": f"=x{PAYLOAD}", "aliases": [PAYLOAD]},
                         "stance": f"new{PAYLOAD}", "topics": [PAYLOAD + "t"],
                         "note": f"n{PAYLOAD}"}}
        report = import_annotations(store, [item])
        assert all(UNSAFE.search(line) is None for line in report.lines())
        [h] = store.highlights(result.briefing_id)
        sp = store.speaker(h.speaker_id)
        texts = [h.exact, h.note, *h.topics, sp.name, *sp.aliases, store.stance(h.stance_id).name]
        assert all(UNSAFE.search(t) is None for t in texts), texts
    finally:
        store.close()
