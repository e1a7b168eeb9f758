"""Store: highlight mutations, each checked in the rows, then undone and redone."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from briefing_tui.core.anchoring import quote_selector
from briefing_tui.core.document import Document
from briefing_tui.core.models import ANCHORED, ORPHANED, Highlight
from briefing_tui.core.store import _HL_COLS, Store, StoreError

TEXT = (
    "Talks stall in the capital\n\n"
    "The deputy minister called the round \"useful but slow\" and said no deal was near. "
    "Officials in the delegation expect nothing before spring.\n\n"
    "A spokesman repeated that the talks were useful but slow, and that the ceasefire "
    "question would wait.\n"
)


def add(store: Store, title: str = "Talks stall", text: str = TEXT) -> str:
    info = store.add_briefing(title=title, source="Our Wire", published="2025-03-20", url="",
                              path="", fmt="text", source_text=text,
                              document=Document(text=text, fmt="text"), content_hash=title)
    return info.id


def span(word: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(word, start + 1)
    return start, start + len(word)


def row(store: Store, table: str, key: str) -> dict[str, Any] | None:
    cursor = store.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (key,))
    names = [d[0] for d in cursor.description]
    found = cursor.fetchone()
    return dict(zip(names, found, strict=True)) if found else None


def count(store: Store, sql: str, *params: Any) -> int:
    return store.conn.execute(sql, params).fetchone()[0]


def steps(store: Store) -> list[tuple[str, int]]:
    return [(d, u) for d, u in store.conn.execute(
        "SELECT description, undone FROM undo_steps ORDER BY seq")]


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "b.db") as opened:
        yield opened


@pytest.fixture
def bid(store: Store) -> str:
    return add(store)


def test_create_stores_span_quote_and_context(store: Store, bid: str) -> None:
    start, end = span("useful but slow")
    made = store.create_highlight(bid, start, end)
    stored = row(store, "highlights", made.id)
    assert stored is not None
    exact, prefix, suffix = quote_selector(TEXT, start, end)
    assert (stored["start"], stored["end"], stored["exact"], stored["prefix"],
            stored["suffix"]) == (start, end, exact, prefix, suffix)
    assert stored["exact"] == "useful but slow"
    assert stored["status"] == ANCHORED and stored["briefing_id"] == bid
    assert stored["created"] and stored["created"] == stored["updated"]
    assert made == store.highlight(made.id)
    assert steps(store) == [("create highlight", 0)]


def test_create_undo_redo(store: Store, bid: str) -> None:
    made = store.create_highlight(bid, *span("deputy minister"))
    snapshot = row(store, "highlights", made.id)
    assert store.undo(bid) == "create highlight"
    assert row(store, "highlights", made.id) is None
    assert steps(store) == [("create highlight", 1)]
    assert store.redo(bid) == "create highlight"
    assert row(store, "highlights", made.id) == snapshot
    assert steps(store) == [("create highlight", 0)]


@pytest.mark.parametrize(("start", "end"), [(-1, 4), (5, 5), (7, 3), (0, len(TEXT) + 1)])
def test_create_outside_the_text_is_refused_and_writes_nothing(
        store: Store, bid: str, start: int, end: int) -> None:
    with pytest.raises(StoreError, match="not inside the text"):
        store.create_highlight(bid, start, end)
    assert count(store, "SELECT COUNT(*) FROM highlights") == 0
    assert steps(store) == []


def test_create_at_the_very_end_and_unknown_briefing(store: Store, bid: str) -> None:
    made = store.create_highlight(bid, len(TEXT) - 5, len(TEXT))
    assert made.exact == TEXT[-5:] and made.suffix == ""
    with pytest.raises(StoreError, match="no briefing nope"):
        store.create_highlight("nope", 0, 3)


def test_set_stance_undo_redo(store: Store, bid: str) -> None:
    hid = store.create_highlight(bid, *span("no deal was near")).id
    opposes = store.stance_by_key(2)
    assert opposes is not None
    assert store.set_stance(hid, opposes.id).stance_id == opposes.id
    assert row(store, "highlights", hid)["stance_id"] == opposes.id
    assert store.undo(bid) == "set stance"
    assert row(store, "highlights", hid)["stance_id"] is None
    assert store.redo(bid) == "set stance"
    assert row(store, "highlights", hid)["stance_id"] == opposes.id
    assert store.set_stance(hid, None).stance_id is None
    assert row(store, "highlights", hid)["stance_id"] is None
    with pytest.raises(StoreError, match="no stance"):
        store.set_stance(hid, "not-a-stance")


def test_set_speaker_undo_redo(store: Store, bid: str) -> None:
    hid = store.create_highlight(bid, *span("useful but slow")).id
    first = store.create_speaker("Deputy Minister").id
    second = store.create_speaker("Spokesman").id
    store.set_speaker(hid, first)
    store.set_speaker(hid, second)
    assert row(store, "highlights", hid)["speaker_id"] == second
    assert store.undo(bid) == "set speaker"
    assert row(store, "highlights", hid)["speaker_id"] == first
    assert store.undo(bid) == "set speaker"
    assert row(store, "highlights", hid)["speaker_id"] is None
    assert store.redo(bid) == "set speaker"
    assert row(store, "highlights", hid)["speaker_id"] == first
    with pytest.raises(StoreError, match="no speaker"):
        store.set_speaker(hid, "nobody")


def test_set_note_undo_redo(store: Store, bid: str) -> None:
    hid = store.create_highlight(bid, *span("nothing before spring")).id
    store.set_note(hid, "contradicts the US timeline")
    assert row(store, "highlights", hid)["note"] == "contradicts the US timeline"
    assert store.undo(bid) == "set note"
    assert row(store, "highlights", hid)["note"] == ""
    assert store.redo(bid) == "set note"
    assert store.highlight(hid).note == "contradicts the US timeline"


def test_unchanged_value_records_no_step(store: Store, bid: str) -> None:
    hid = store.create_highlight(bid, *span("spring")).id
    store.set_note(hid, "")
    store.set_stance(hid, None)
    store.set_topics(hid, [])
    assert steps(store) == [("create highlight", 0)]


def link_names(store: Store, hid: str) -> list[str]:
    return [name for (name,) in store.conn.execute(
        "SELECT t.name FROM highlight_topics ht JOIN topics t ON t.id = ht.topic_id"
        " WHERE ht.highlight_id = ? ORDER BY t.name", (hid,))]


def test_set_topics_normalises_creates_and_undoes(store: Store, bid: str) -> None:
    hid = store.create_highlight(bid, *span("ceasefire")).id
    result = store.set_topics(hid, ["#Ceasefire", "  root causes ", "ceasefire", "", "#"])
    assert result.topics == ("ceasefire", "root-causes")
    assert link_names(store, hid) == ["ceasefire", "root-causes"]
    assert store.topics() == ["ceasefire", "root-causes"]
    store.set_topics(hid, ["ceasefire", "timeline"])
    assert link_names(store, hid) == ["ceasefire", "timeline"]
    assert store.topics() == ["ceasefire", "root-causes", "timeline"]

    assert store.undo(bid) == "set topics"
    assert link_names(store, hid) == ["ceasefire", "root-causes"]
    assert store.topics() == ["ceasefire", "root-causes"]  # "timeline" was made by that step
    assert store.undo(bid) == "set topics"
    assert link_names(store, hid) == []
    assert store.topics() == []
    assert store.redo(bid) == "set topics"
    assert store.redo(bid) == "set topics"
    assert link_names(store, hid) == ["ceasefire", "timeline"]
    assert store.highlight(hid).topics == ("ceasefire", "timeline")


def test_undo_keeps_a_topic_another_highlight_still_uses(store: Store, bid: str) -> None:
    first = store.create_highlight(bid, *span("deputy minister")).id
    second = store.create_highlight(bid, *span("spokesman")).id
    store.set_topics(first, ["talks"])
    other = add(store, "Other briefing")
    third = store.create_highlight(other, 0, 5).id
    store.set_topics(third, ["talks"])
    store.set_topics(second, ["talks"])
    assert store.undo(bid) == "set topics"  # second's
    assert store.undo(bid) == "set topics"  # first's: created "talks", but third uses it
    assert store.topics() == ["talks"]
    assert link_names(store, third) == ["talks"]
    assert link_names(store, first) == []


def test_redo_after_topic_was_recreated_elsewhere_reuses_it(store: Store, bid: str) -> None:
    hid = store.create_highlight(bid, *span("spring")).id
    store.set_topics(hid, ["timeline"])
    store.undo(bid)
    assert store.topics() == []
    other = add(store, "Other briefing")
    elsewhere = store.create_highlight(other, 0, 5).id
    store.set_topics(elsewhere, ["timeline"])  # a new row with a new id
    assert store.redo(bid) == "set topics"
    assert count(store, "SELECT COUNT(*) FROM topics") == 1
    assert link_names(store, hid) == ["timeline"]
    assert link_names(store, elsewhere) == ["timeline"]


def test_delete_removes_topic_links_and_undo_restores_everything(store: Store, bid: str) -> None:
    hid = store.create_highlight(bid, *span("useful but slow", 1)).id
    speaker = store.create_speaker("Spokesman").id
    store.set_speaker(hid, speaker)
    store.set_stance(hid, store.stances()[3].id)
    store.set_note(hid, "repeated")
    store.set_topics(hid, ["talks", "pace"])
    before = store.highlight(hid)
    snapshot = row(store, "highlights", hid)
    store.delete_highlight(hid)
    assert row(store, "highlights", hid) is None
    assert count(store, "SELECT COUNT(*) FROM highlight_topics") == 0
    assert store.topics() == ["pace", "talks"]  # topics themselves stay
    assert store.undo(bid) == "delete highlight"
    assert row(store, "highlights", hid) == snapshot
    assert store.highlight(hid) == before
    assert store.redo(bid) == "delete highlight"
    assert row(store, "highlights", hid) is None
    assert count(store, "SELECT COUNT(*) FROM highlight_topics") == 0
    with pytest.raises(StoreError, match="no highlight"):
        store.delete_highlight(hid)


def test_reattach_orphan_undo_redo(store: Store, bid: str) -> None:
    hid = store.create_highlight(bid, *span("deputy minister")).id
    store.conn.execute("UPDATE highlights SET status = 'orphaned' WHERE id = ?", (hid,))
    start, end = span("spokesman")
    placed = store.reattach_highlight(hid, start, end)
    assert (placed.start, placed.end, placed.exact, placed.status) == (
        start, end, "spokesman", ANCHORED)
    assert (placed.prefix, placed.suffix) == quote_selector(TEXT, start, end)[1:]
    assert store.undo(bid) == "reattach highlight"
    back = row(store, "highlights", hid)
    assert (back["exact"], back["status"], back["start"]) == (
        "deputy minister", ORPHANED, span("deputy minister")[0])
    assert store.redo(bid) == "reattach highlight"
    assert store.highlight(hid).exact == "spokesman"
    with pytest.raises(StoreError, match="not inside the text"):
        store.reattach_highlight(hid, 0, len(TEXT) + 3)


def test_new_change_after_undo_drops_redo(store: Store, bid: str) -> None:
    hid = store.create_highlight(bid, *span("spring")).id
    store.set_note(hid, "one")
    store.set_note(hid, "two")
    store.undo(bid)
    store.undo(bid)
    store.set_note(hid, "three")
    assert store.redo(bid) is None
    assert not store.can_redo(bid)
    assert steps(store) == [("create highlight", 0), ("set note", 0)]
    assert store.undo(bid) == "set note"
    assert store.highlight(hid).note == ""


def test_new_change_keeps_redo_of_other_briefings(store: Store, bid: str) -> None:
    other = add(store, "Other briefing")
    hid = store.create_highlight(bid, 0, 5).id
    oid = store.create_highlight(other, 0, 5).id
    store.undo(other)
    store.set_note(hid, "here")
    assert store.redo(other) == "create highlight"
    assert row(store, "highlights", oid) is not None


def test_undo_is_scoped_by_briefing(store: Store, bid: str) -> None:
    other = add(store, "Other briefing")
    mine = store.create_highlight(bid, 0, 5).id
    theirs = store.create_highlight(other, 0, 5).id
    store.set_note(mine, "mine")
    assert store.undo(other) == "create highlight"
    assert row(store, "highlights", theirs) is None
    assert store.highlight(mine).note == "mine"  # untouched by the other briefing's undo
    assert store.undo(other) is None
    assert store.redo(bid) is None
    assert store.undo() == "set note"  # unscoped: the newest step anywhere
    assert store.highlight(mine).note == ""
    assert store.redo() == "create highlight"  # the oldest undone step comes back first
    assert row(store, "highlights", theirs) is not None
    assert store.redo() == "set note"
    assert store.redo() is None


def test_nothing_to_undo_or_redo(store: Store, bid: str) -> None:
    assert store.undo() is None and store.redo() is None
    assert store.undo(bid) is None and store.redo(bid) is None
    assert not store.can_undo(bid) and not store.can_redo(bid)
    store.create_highlight(bid, 0, 5)
    assert store.can_undo(bid) and store.can_undo()
    store.undo()
    assert store.can_redo(bid) and not store.can_undo(bid)


def test_each_step_is_one_row_of_snapshots(store: Store, bid: str) -> None:
    hid = store.create_highlight(bid, 0, 5).id
    store.set_topics(hid, ["a", "b"])
    (changes,) = store.conn.execute(
        "SELECT changes FROM undo_steps WHERE description = 'set topics'").fetchone()
    recorded = json.loads(changes)
    assert {c["table"] for c in recorded} == {"topics", "highlight_topics", "highlights"}
    assert all(set(c) == {"table", "key", "before", "after"} for c in recorded)
    assert count(store, "SELECT COUNT(*) FROM undo_steps") == 2


def test_undo_is_the_instance_s_own_and_ends_with_it(tmp_path: Path) -> None:
    # Undo belongs to the running instance (issue: "u undoes only the changes made in
    # this instance"): it works until the store closes, and a reopened store (a new
    # session) cannot undo what the closed one did.
    path = tmp_path / "b.db"
    with Store(path) as store:
        bid = add(store)
        hid = store.create_highlight(bid, 0, 5).id
        store.set_note(hid, "kept")
        store.set_note(hid, "kept too")
        assert store.undo(bid) == "set note"
        assert store.highlight(hid).note == "kept"
    with Store(path) as store:
        assert not store.can_undo(bid) and not store.can_redo(bid)
        assert store.undo(bid) is None and store.redo(bid) is None
        assert store.highlight(hid).note == "kept"
        assert count(store, "SELECT COUNT(*) FROM undo_steps") == 0  # closed: deleted


def test_highlights_order_topics_and_counts(store: Store, bid: str) -> None:
    late = store.create_highlight(bid, 100, 110)
    early_long = store.create_highlight(bid, 10, 30)
    early_short = store.create_highlight(bid, 10, 20)
    orphan = store.create_highlight(bid, 0, 5)
    store.conn.execute("UPDATE highlights SET status = 'orphaned' WHERE id = ?", (orphan.id,))
    store.set_topics(early_short.id, ["zeta", "alpha", "mid"])
    listed = store.highlights(bid)
    assert [h.id for h in listed] == [early_short.id, early_long.id, late.id, orphan.id]
    assert listed[0].topics == ("alpha", "mid", "zeta")
    assert listed[-1].status == ORPHANED
    assert all(isinstance(h, Highlight) for h in listed)
    info = store.briefing_info(bid)
    assert (info.highlight_count, info.orphan_count) == (4, 1)
    assert store.highlights("no-such-briefing") == []


def test_highlight_fields_match_the_positional_row_order() -> None:
    assert [f.name for f in fields(Highlight)] == [*_HL_COLS[:10], "topics", *_HL_COLS[10:]]


def test_highlights_costs_two_queries_whatever_the_count(store: Store, bid: str) -> None:
    for start in range(0, 200, 2):
        hid = store.create_highlight(bid, start, start + 2).id
        store.set_topics(hid, [f"t{start % 7}", "all"])
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    listed = store.highlights(bid)
    store.conn.set_trace_callback(None)
    assert len(listed) == 100 and all(len(h.topics) == 2 for h in listed)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 2


def test_create_does_not_reload_the_reading_text(store: Store, bid: str) -> None:
    store.create_highlight(bid, 0, 5)
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    for start in range(10, 60, 5):
        store.create_highlight(bid, start, start + 3)
    store.conn.set_trace_callback(None)
    assert not [s for s in statements if "reading_text" in s]


def test_cascade_delete_of_a_briefing_and_set_null_of_a_speaker(store: Store, bid: str) -> None:
    hid = store.create_highlight(bid, 0, 5).id
    store.set_topics(hid, ["x"])
    speaker = store.create_speaker("Spokesman").id
    store.set_speaker(hid, speaker)
    store.conn.execute("DELETE FROM speakers WHERE id = ?", (speaker,))
    assert row(store, "highlights", hid)["speaker_id"] is None
    store.conn.execute("DELETE FROM briefings WHERE id = ?", (bid,))
    assert count(store, "SELECT COUNT(*) FROM highlights") == 0
    assert count(store, "SELECT COUNT(*) FROM highlight_topics") == 0
    # The briefing's steps went with it; the speaker's creation was the library's step.
    assert count(store, "SELECT COUNT(*) FROM undo_steps WHERE briefing_id IS NOT NULL") == 0
    assert store.topics() == ["x"]
