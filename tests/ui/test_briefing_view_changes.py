"""The view-model and the panes changed in place (#17.1) end up exactly as built anew:
BriefingView.apply, MarkIndex.change and Sidebar.change_entries, over random changes
(creates, stances, notes, deletes, orphans, re-anchors) and with a sidebar filter."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from briefing_tui.core.queries import HighlightQuery, annotated_highlights
from briefing_tui.core.store import Store
from briefing_tui.ui.briefing_view import BriefingView, entry
from briefing_tui.ui.widgets import sidebar as sidebar_module
from briefing_tui.ui.widgets.row_painter import MarkIndex
from briefing_tui.ui.widgets.sidebar import Sidebar
from tests.core.test_queries import TEXT, add


def rows(store: Store, bid: str, ids: list[str] | None = None):
    return annotated_highlights(store, HighlightQuery(briefing_ids=(bid,), ids=ids))


def random_change(store: Store, bid: str, rng: random.Random) -> list[str]:
    """One change of the kinds a reader sees; the ids it touched."""
    existing = [h.id for h in store.highlights(bid)]
    kind = rng.choice(["create", "create", "stance", "note", "delete", "orphan", "move"])
    if kind == "create" or not existing:
        start = rng.randrange(0, len(TEXT) - 12)
        end = start + rng.randrange(1, 12)
        return [store.create_highlight(bid, start, end).id]
    target = rng.choice(existing)
    if kind == "stance":
        key = rng.randrange(0, 4)
        stance = store.stance_by_key(key) if key else None
        store.set_stance(target, stance.id if stance else None)
    elif kind == "note":
        store.set_note(target, rng.choice(["", "seen", "checked twice"]))
    elif kind == "delete":
        store.delete_highlight(target)
    elif kind == "orphan":  # as a re-import leaves one
        status = rng.choice(["orphaned", "anchored"])
        store.conn.execute("UPDATE highlights SET status = ?, updated = ? WHERE id = ?",
                           (status, f"x{rng.random()}", target))
    else:
        start = rng.randrange(0, len(TEXT) - 12)
        store.reattach_highlight(target, start, start + rng.randrange(1, 12))
    return [target]


@pytest.mark.parametrize("seed", range(6))
async def test_changes_applied_in_place_match_a_fresh_build(
        tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    if seed % 2:  # the sidebar renumbers its positions now and then, not only once
        monkeypatch.setattr(sidebar_module, "MAX_SHIFTS", 3)
    with Store(tmp_path / "v.db") as store:
        bid = add(store, "One")
        for _ in range(12):
            random_change(store, bid, rng)
        view = BriefingView.load(store, bid)
        marks = MarkIndex(view.marks())
        sidebar = Sidebar(view.entries())
        filtered = Sidebar(view.entries())
        filtered.set_filter("opposes" if seed % 2 else "#nothing")
        for _ in range(40):
            ids = random_change(store, bid, rng)
            if rng.random() < 0.3:  # several at once (an undo, another instance)
                ids += random_change(store, bid, rng)
            change = view.apply(rows(store, bid, ids), ids)
            marks.change(change.marks_removed, change.marks_added)
            ops = [(op.kind, op.index, entry(op.item) if op.item else None)
                   for op in change.ops]
            sidebar.change_entries(ops)
            filtered.change_entries(ops)

            fresh = BriefingView.load(store, bid)
            assert [h.id for h in view.highlights] == [h.id for h in fresh.highlights]
            assert view.entries() == fresh.entries()
            assert (view.orphan_count, view.changed_count) == (
                fresh.orphan_count, fresh.changed_count)
            rebuilt = MarkIndex(fresh.marks())
            assert marks.marks == rebuilt.marks
            assert marks.starts == rebuilt.starts
            assert marks.max_ends == rebuilt.max_ends
            assert list(sidebar.entries) == fresh.entries()
            assert list(sidebar.visible_entries) == fresh.entries()
            expected = Sidebar(fresh.entries())
            expected.set_filter(filtered.filter_text)
            assert list(filtered.visible_entries) == list(expected.visible_entries)
            for at in range(0, len(TEXT), 7):
                assert view.covering(at) == fresh.covering(at)
                assert view.next_after(at) == fresh.next_after(at)
            for index, fresh_entry in enumerate(fresh.entries()):  # the id -> row index
                sidebar.select_highlight(fresh_entry.highlight_id)
                assert sidebar.selected_index == index


def test_a_deleted_selected_entry_passes_the_selection_to_its_neighbour() -> None:
    from tests.ui.test_sidebar import entry as make_entry

    sidebar = Sidebar([make_entry(i) for i in range(5)])
    sidebar.select_highlight("h2")
    sidebar.change_entries([("remove", 2, None)])
    assert sidebar.selected_id == "h3"
    sidebar.change_entries([("replace", 0, make_entry(0, speaker="Someone"))])
    assert sidebar.selected_id == "h3"
    assert sidebar.entries[0].speaker == "Someone"
