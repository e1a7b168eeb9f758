"""Orphaned highlights in the app: shown, re-attached to a selection, deleted, undone."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from briefing_tui.core.importer import import_paths
from briefing_tui.core.models import ORPHANED
from briefing_tui.core.store import Store
from briefing_tui.ui.screens.orphans import OrphansScreen
from briefing_tui.ui.screens.reader import ReaderScreen
from tests.ui.conftest import BRIEFING_MD, notifications, offset_of

SIZE = (100, 30)
LOST = "A spokesman for the other side disagreed."
NEW = "Observers noted that neither side has moved since the winter."


def orphan_one(store: Store, briefing_file: Path, briefing_id: str) -> str:
    """Highlight LOST, give it a stance and a note, then re-import without that sentence."""
    start = offset_of(store, briefing_id, LOST)
    made = store.create_highlight(briefing_id, start, start + len(LOST))
    store.set_stance(made.id, store.stance_by_key(2).id)
    store.set_note(made.id, "dissent")
    briefing_file.write_text(BRIEFING_MD.replace(LOST + " ", ""), encoding="utf-8")
    [result] = import_paths(store, [briefing_file])
    assert result.orphaned == 1
    assert store.highlight(made.id).status == ORPHANED
    return made.id


async def open_orphans(pilot, store: Store, briefing_id: str, select: str | None) -> ReaderScreen:
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ReaderScreen)
    screen.reader.focus()
    if select is not None:
        start = offset_of(store, briefing_id, select)
        screen.reader.select_span(start, start + len(select))
    await pilot.press("o")
    await pilot.pause()
    assert isinstance(pilot.app.screen, OrphansScreen)
    return screen


async def test_status_and_sidebar_show_the_orphan(make_app, store, briefing_file,
                                                  briefing_id) -> None:
    orphan_id = orphan_one(store, briefing_file, briefing_id)
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert "1 orphan" in str(screen.query_one("#status").render())
        [entry] = screen.sidebar.entries
        assert entry.highlight_id == orphan_id and entry.orphaned


async def test_o_lists_orphans_and_a_reattaches_to_the_selection(
        make_app, store, briefing_file, briefing_id) -> None:
    orphan_id = orphan_one(store, briefing_file, briefing_id)
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        reader = await open_orphans(pilot, store, briefing_id, NEW)
        table = pilot.app.screen.query_one("#orphans-table", DataTable)
        assert table.row_count == 1
        assert [str(c) for c in table.get_row_at(0)][2:] == ["", "opposes", "dissent"]
        await pilot.press("a")
        await pilot.pause()
        assert pilot.app.screen is reader
        again = store.highlight(orphan_id)
        start = offset_of(store, briefing_id, NEW)
        assert again.status != ORPHANED
        assert (again.start, again.end, again.exact) == (start, start + len(NEW), NEW)
        assert again.note == "dissent"
        assert reader.reader.selection is None
        assert "orphan" not in str(reader.query_one("#status").render())
        # and the re-attachment is undoable from the reader
        await pilot.press("u")
        await pilot.pause()
        assert store.highlight(orphan_id).status == ORPHANED


async def test_a_without_selection_explains(make_app, store, briefing_file, briefing_id) -> None:
    orphan_id = orphan_one(store, briefing_file, briefing_id)
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await open_orphans(pilot, store, briefing_id, None)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(pilot.app.screen, OrphansScreen)
        assert store.highlight(orphan_id).status == ORPHANED
        assert any("Select the text" in m for m in notifications(pilot.app))


async def test_x_deletes_the_orphan_and_u_restores_it(make_app, store, briefing_file,
                                                      briefing_id) -> None:
    orphan_id = orphan_one(store, briefing_file, briefing_id)
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        reader = await open_orphans(pilot, store, briefing_id, None)
        await pilot.press("x")
        await pilot.pause()
        assert store.highlights(briefing_id) == []
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is reader
        assert len(reader.sidebar.entries) == 0
        await pilot.press("u")
        await pilot.pause()
        assert [h.id for h in store.highlights(briefing_id)] == [orphan_id]
