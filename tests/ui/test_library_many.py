"""Pilot: a library of more briefings than the first fill adds shows them all (the rest
arrive after the first frame), and a refill (filter) never leaves stale rows behind."""

from __future__ import annotations

from textual.widgets import DataTable

from briefing_tui.core.document import parse_text
from briefing_tui.core.store import Store
from briefing_tui.ui.screens.library import FIRST_ROWS, LibraryScreen

TEXT = "A short briefing. It has two sentences.\n"


def fill(store: Store, count: int) -> None:
    document = parse_text(TEXT)
    for i in range(count):
        store.add_briefing(title=f"Briefing {i:04d}", source="Wire", published="2025-01-01",
                           url="", path="", fmt="text", source_text=TEXT, document=document,
                           content_hash=f"many-{i}")


async def settle(pilot, table: DataTable, count: int) -> None:
    """Until the counting thread is done and every row is in (they come a chunk a frame)."""
    for _ in range(100):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if table.row_count == count:
            return
    raise AssertionError(f"{table.row_count} rows, never {count}")


async def test_every_briefing_is_listed_and_a_filter_refills_cleanly(make_app, store) -> None:
    count = FIRST_ROWS + 35
    fill(store, count)
    async with make_app().run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, LibraryScreen)
        table = screen.query_one("#briefings", DataTable)
        table.focus()
        await settle(pilot, table, count)
        last = f"Briefing {count - 1:04d}"
        assert str(table.get_row_at(count - 1)[0]) == last
        table.move_cursor(row=count - 1)
        await pilot.pause()
        screen.refresh_briefings()  # a refill (return from a reader) keeps the cursor's row
        await settle(pilot, table, count)
        assert screen.selected_briefing_id is not None
        assert str(table.get_row_at(table.cursor_row)[0]) == last
        await pilot.press("slash", "0", "0", "1")
        expected = [f"Briefing {i:04d}" for i in range(count) if "001" in f"{i:04d}"]
        await settle(pilot, table, len(expected))
        assert [str(table.get_row_at(r)[0]) for r in range(table.row_count)] == expected


async def test_a_big_library_s_first_rows_show_their_counts_before_the_worker(
        make_app, store, monkeypatch) -> None:
    """The first screenful's counts are read with its titles (never a 0 that is not):
    the worker that reads the rest is held here."""
    count = FIRST_ROWS + 5
    fill(store, count)
    first = next(b for b in store.list_briefings() if b.title == "Briefing 0000")
    store.create_highlight(first.id, 0, 7)
    store.create_highlight(first.id, 8, 12)
    monkeypatch.setattr(LibraryScreen, "_count_in_thread", lambda self: None)
    async with make_app().run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, LibraryScreen)
        table = screen.query_one("#briefings", DataTable)
        assert str(table.get_row_at(0)[0]) == "Briefing 0000"
        assert str(table.get_row_at(0)[3]) == "2"
        assert str(table.get_row_at(1)[3]) == "0"


async def test_a_big_library_shows_titles_first_then_the_counts(make_app, store) -> None:
    count = FIRST_ROWS + 5
    fill(store, count)
    first = next(b for b in store.list_briefings() if b.title == "Briefing 0000")
    store.create_highlight(first.id, 0, 7)
    store.create_highlight(first.id, 8, 12)
    async with make_app().run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, LibraryScreen)
        table = screen.query_one("#briefings", DataTable)
        await settle(pilot, table, count)
        assert str(table.get_row_at(0)[0]) == "Briefing 0000"
        assert str(table.get_row_at(0)[3]) == "2"
        # Counted again on a refresh; meanwhile the counts shown stay (no flash of 0).
        store.create_highlight(first.id, 13, 20)
        screen.refresh_briefings()
        assert str(table.get_row_at(0)[3]) == "2"
        await settle(pilot, table, count)
        assert str(table.get_row_at(0)[3]) == "3"


async def test_a_big_library_reads_only_its_first_rows_before_the_first_frame(
        make_app, store, monkeypatch) -> None:
    import threading

    from briefing_tui.core import queries

    count = FIRST_ROWS + 40
    fill(store, count)
    calls: list[tuple[bool, int | None, int]] = []  # (on the UI thread, limit, rows read)
    real = queries.briefings

    def recorded(*args, **kwargs):
        infos = real(*args, **kwargs)
        calls.append((threading.current_thread() is threading.main_thread(),
                      kwargs.get("limit"), len(infos)))
        return infos

    monkeypatch.setattr(queries, "briefings", recorded)
    async with make_app().run_test(size=(110, 30)) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, LibraryScreen)
        title = str(screen.query_one("#library-title").render())
        assert title.startswith(f"Library — {count} briefings"), title  # the total at once
        table = screen.query_one("#briefings", DataTable)
        await settle(pilot, table, count)
    # The UI thread read the first rows only; the worker read them all, with the counts.
    assert calls[0] == (True, FIRST_ROWS + 1, FIRST_ROWS + 1), calls
    assert (False, None, count) in calls, calls
    assert all(limit is not None for ui, limit, _ in calls if ui), calls


async def test_j_k_g_and_G_move_through_the_library(make_app, store) -> None:
    count = FIRST_ROWS + 20
    fill(store, count)
    async with make_app().run_test(size=(110, 30)) as pilot:
        screen = pilot.app.screen
        table = screen.query_one("#briefings", DataTable)
        table.focus()
        await settle(pilot, table, count)
        await pilot.press("G")
        assert table.cursor_row == count - 1
        await pilot.press("k")
        assert table.cursor_row == count - 2
        await pilot.press("g", "j")
        assert table.cursor_row == 1
        assert screen.selected_briefing_id == store.list_briefings()[1].id
