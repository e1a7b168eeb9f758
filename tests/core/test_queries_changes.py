"""What a view needs to re-read only what changed (#17.1): ``HighlightQuery(ids=...)``,
the stamps of :func:`highlight_versions`, and the highlights an undo or redo touched
(``Store.last_replayed``), each in a bounded number of statements."""

from __future__ import annotations

from pathlib import Path

from briefing_tui.core.queries import (
    HighlightQuery,
    annotated_highlights,
    highlight_versions,
    neighbour_highlight,
)
from briefing_tui.core.store import Store
from tests.core.test_queries import TEXT, add, annotate, span, statements


def test_ids_filter_reads_only_those_highlights_in_two_statements(tmp_path: Path) -> None:
    counts = []
    for size in (3, 60):
        with Store(tmp_path / f"n{size}.db") as store:
            bid = add(store, "One")
            for n in range(size // 3):
                annotate(store, bid, n)
            every = annotated_highlights(store, HighlightQuery(briefing_ids=(bid,)))
            assert len(every) == size
            wanted = [every[0].id, every[-1].id]
            query = HighlightQuery(briefing_ids=(bid,), ids=wanted)
            got = annotated_highlights(store, query)
            assert sorted(r.id for r in got) == sorted(wanted)
            assert got == [r for r in every if r.id in wanted]  # the same rows, in order
            counts.append(statements(store, lambda: annotated_highlights(store, query)))  # noqa: B023
            assert annotated_highlights(store, HighlightQuery(ids=[])) == []
    assert counts == [2, 2]


def test_highlight_versions_are_stamps_speakers_and_stances(tmp_path: Path) -> None:
    with Store(tmp_path / "v.db") as store:
        bid = add(store, "One")
        other = add(store, "Two")
        annotate(store, bid, 0)
        annotate(store, other, 1)
        rows = annotated_highlights(store, HighlightQuery(briefing_ids=(bid,)))
        speaker = next(r.speaker for r in rows if r.speaker is not None)
        versions = highlight_versions(store, bid, [speaker.id])
        assert versions.stamps == {r.id: r.highlight.updated for r in rows}
        assert versions.speakers == {speaker.id: speaker}
        assert set(versions.stances) == {s.id for s in store.stances()}
        assert statements(store, lambda: highlight_versions(store, bid, [speaker.id])) == 3
        # Every change shows in the stamps, an undo too (it sets the old stamp back).
        before = versions.stamps[rows[2].id]
        store.set_note(rows[2].id, "checked")
        after = highlight_versions(store, bid).stamps[rows[2].id]
        assert after != before
        store.undo(bid)
        assert highlight_versions(store, bid).stamps[rows[2].id] == before
        store.delete_briefing(bid)
        assert highlight_versions(store, bid).stamps == {}  # hidden with its briefing


def test_last_replayed_names_the_highlights_an_undo_touched(tmp_path: Path) -> None:
    with Store(tmp_path / "u.db") as store:
        bid = add(store, "One")
        one = store.create_highlight(bid, *span("useful but slow"))
        two = store.create_highlight(bid, *span("expect nothing"))
        store.set_stance(one.id, store.stance_by_key(1).id)
        store.undo(bid)
        assert store.last_replayed == {one.id}
        store.redo(bid)
        assert store.last_replayed == {one.id}
        store.set_topics(two.id, ["talks"])
        store.undo(bid)
        assert store.last_replayed == {two.id}
        store.set_new_speaker(two.id, "Ann Lee")  # creates the speaker: still one highlight
        store.undo(bid)
        assert store.last_replayed == {two.id}
        store.delete_highlight(one.id)
        store.undo(bid)
        assert store.last_replayed == {one.id}
        # A speaker's edit shows on every highlight of that speaker: the view checks all.
        speaker = store.create_speaker("Bo Kim")
        store.update_speaker(speaker.id, name="Bo Kimm", undo_scope=bid)
        store.undo(bid)
        assert store.last_replayed is None
        while store.undo(bid) is not None:
            pass
        assert store.last_replayed == frozenset()  # nothing left to undo


def test_a_read_by_ids_finds_each_highlight_by_its_id(tmp_path: Path) -> None:
    """The query plans of a read by ids (both statements) look highlights up by id,
    never through the briefing's index: that would read all of the briefing's rows
    (15 ms at 20k highlights instead of 0.1 ms)."""
    with Store(tmp_path / "p.db") as store:
        bid = add(store, "One")
        for n in range(4):
            annotate(store, bid, n)
        [first, *_] = annotated_highlights(store, HighlightQuery(briefing_ids=(bid,)))
        seen: list[str] = []
        store.conn.set_trace_callback(seen.append)
        try:
            annotated_highlights(store, HighlightQuery(briefing_ids=(bid,), ids=[first.id]))
        finally:
            store.conn.set_trace_callback(None)
        assert len(seen) == 2
        for sql in seen:
            plan = " | ".join(row[3] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
            assert "highlights_briefing" not in plan, plan
            assert "SCAN h " not in f"{plan} ", plan
            assert "SEARCH h USING" in plan, plan


def test_neighbour_highlight_is_what_the_bracket_keys_reach(tmp_path: Path) -> None:
    """``]``/``[`` asked of the store (a view holding only some highlights asks it): the
    first highlight starting after the cursor, or the first of those starting last before
    it (the shortest, then the lowest id), never an orphan or another briefing's."""
    with Store(tmp_path / "n.db") as store:
        bid, other = add(store, "One"), add(store, "Two")
        for word in ("useful but slow", "useful", "useful but slow\" and said", "nothing",
                     "spokesman repeated", "deputy minister"):
            store.create_highlight(bid, *span(word))
        store.create_highlight(other, *span("Officials"))
        gone = store.create_highlight(bid, *span("spring"))
        store.conn.execute("UPDATE highlights SET status = 'orphaned' WHERE id = ?", (gone.id,))
        rows = [r.highlight for r in annotated_highlights(store, HighlightQuery(
            briefing_ids=(bid,), status="anchored"))]  # in (start, end, id) order
        assert len(rows) == 6
        for cursor in range(-1, len(TEXT) + 2):
            later = [h for h in rows if h.start > cursor]
            earlier = [h for h in rows if h.start < cursor]
            last = max((h.start for h in earlier), default=None)
            want_next = later[0].id if later else None
            want_previous = next((h.id for h in earlier if h.start == last), None)
            assert neighbour_highlight(store, bid, cursor, after=True) == want_next, cursor
            assert neighbour_highlight(store, bid, cursor, after=False) == want_previous, cursor
        assert statements(store, lambda: neighbour_highlight(store, bid, 0, after=True)) == 1
