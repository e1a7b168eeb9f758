"""Changed highlights in the app: re-anchored onto edited text ("three" -> "four"), marked
in the sidebar and the status line, listed by o as old -> new, accepted with y, undone."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from briefing_tui.core.importer import import_paths
from briefing_tui.core.store import Store
from briefing_tui.ui.screens.orphans import OrphansScreen
from briefing_tui.ui.screens.reader import ReaderScreen
from briefing_tui.ui.widgets.sidebar import CHANGED_MARK
from tests.ui.conftest import BRIEFING_MD, notifications, offset_of

SIZE = (110, 30)
QUOTE = "Officials said the meeting lasted three hours."
EDITED = "Officials said the meeting lasted four hours."


def change_one(store: Store, briefing_file: Path, briefing_id: str) -> str:
    """Highlight QUOTE, then re-import with "three" edited to "four"."""
    start = offset_of(store, briefing_id, QUOTE)
    made = store.create_highlight(briefing_id, start, start + len(QUOTE))
    briefing_file.write_text(BRIEFING_MD.replace("three hours", "four hours"), encoding="utf-8")
    [result] = import_paths(store, [briefing_file])
    assert (result.reanchored, result.orphaned) == (1, 0)
    changed = store.highlight(made.id)
    assert changed.changed and (changed.previous_exact, changed.exact) == (QUOTE, EDITED)
    return made.id


def sidebar_text(screen: ReaderScreen) -> str:
    sidebar = screen.sidebar
    return "\n".join(sidebar.render_line(y).text for y in range(sidebar.size.height))


async def test_sidebar_and_status_mark_the_changed_highlight(make_app, store, briefing_file,
                                                            briefing_id) -> None:
    changed_id = change_one(store, briefing_file, briefing_id)
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ReaderScreen)
        assert "1 changed (o)" in str(screen.query_one("#status").render())
        [entry] = screen.sidebar.entries
        assert entry.highlight_id == changed_id and entry.changed and not entry.orphaned
        assert CHANGED_MARK[:2] + "Officials said" in sidebar_text(screen)


async def test_o_lists_the_change_as_old_and_new_and_y_accepts_it_undoably(
        make_app, store, briefing_file, briefing_id) -> None:
    changed_id = change_one(store, briefing_file, briefing_id)
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader = pilot.app.screen
        assert isinstance(reader, ReaderScreen)
        reader.reader.focus()
        await pilot.press("o")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, OrphansScreen)
        table = dialog.query_one("#orphans-table", DataTable)
        assert table.row_count == 1
        state, quote = (str(c) for c in table.get_row_at(0)[:2])
        assert state == "changed"
        assert "three hours" in quote and "four hours" in quote and "→" in quote
        assert quote.index("three") < quote.index("→") < quote.index("four")
        table.focus()
        await pilot.press("y")
        await pilot.pause()
        assert not store.highlight(changed_id).changed
        assert store.highlight(changed_id).exact == EDITED
        assert any("accepted" in n for n in notifications(pilot.app))
        assert "No orphaned or changed" in str(table.get_row_at(0)[1])
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is reader
        assert "changed" not in str(reader.query_one("#status").render())
        assert not reader.sidebar.entries[0].changed
        reader.reader.focus()
        await pilot.press("u")  # the acceptance is undoable from the reader
        await pilot.pause()
        assert store.highlight(changed_id).previous_exact == QUOTE
        assert "1 changed (o)" in str(reader.query_one("#status").render())


async def test_the_library_counts_changed_highlights_in_their_own_column(
        make_app, store, briefing_file, briefing_id) -> None:
    change_one(store, briefing_file, briefing_id)
    async with make_app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = pilot.app.screen.query_one("#briefings", DataTable)
        row = table.get_row(briefing_id)
        labels = [str(column.label) for column in table.ordered_columns]
        assert labels[-2:] == ["Orphans", "Changed"]
        assert [str(cell) for cell in row[-3:]] == ["1", "", "1"]  # highlights, orphans, changed
