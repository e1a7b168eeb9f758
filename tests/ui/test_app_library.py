"""Pilot tests of the app start-up and the library screen's keys."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from briefing_tui.ui.app import BriefingApp, slugify
from briefing_tui.ui.screens.library import LibraryScreen
from briefing_tui.ui.screens.reader import ReaderScreen
from briefing_tui.ui.widgets.pickers import PathPrompt
from tests.ui.conftest import BRIEFING_MD, notifications, type_text

SIZE = (100, 30)


def library(app) -> LibraryScreen:
    screen = app.screen
    assert isinstance(screen, LibraryScreen), f"expected the library, got {screen!r}"
    return screen


def table_titles(screen: LibraryScreen) -> list[str]:
    table = screen.query_one("#briefings", DataTable)
    return [str(table.get_row_at(row)[0]) for row in range(table.row_count)]


async def test_start_shows_the_library_with_counts(make_app, store, briefing_id,
                                                   second_briefing_id) -> None:
    start = store.get_briefing(briefing_id).document.text.find("The envoy")
    store.create_highlight(briefing_id, start, start + 9)
    async with make_app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = library(pilot.app)
        table = screen.query_one("#briefings", DataTable)
        rows = {str(table.get_row_at(i)[0]): table.get_row_at(i) for i in range(table.row_count)}
        assert set(rows) == {"Talks stall over the river crossing", "Grain corridor review"}
        assert [str(cell) for cell in rows["Talks stall over the river crossing"]] == [
            "Talks stall over the river crossing", "Test Wire", "2025-03-20", "1", "", ""]
        assert rows["Grain corridor review"][3] == "0"


async def test_the_library_reads_the_briefings_once_when_first_shown(
        make_app, store, briefing_id, monkeypatch) -> None:
    from briefing_tui.core import queries

    calls: list[int] = []
    briefings = queries.briefings

    def counted(*args, **kwargs):
        calls.append(1)
        return briefings(*args, **kwargs)

    monkeypatch.setattr(queries, "briefings", counted)
    async with make_app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert pilot.app.screen.query_one("#briefings", DataTable).row_count == 1
        assert len(calls) == 1


async def test_open_briefing_id_opens_the_reader_and_escape_shows_the_library(
        make_app, briefing_id) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, ReaderScreen)
        assert pilot.app.screen.briefing_id == briefing_id
        assert len(pilot.app.screen_stack) == 1  # the first screen: nothing built under it
        pilot.app.screen.reader.focus()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, LibraryScreen)
        table = pilot.app.screen.query_one("#briefings", DataTable)
        assert table.row_count == 1 and pilot.app.focused is table
        await pilot.press("enter")  # and back into a reader, over the library this time
        await pilot.pause()
        assert isinstance(pilot.app.screen, ReaderScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, LibraryScreen)


async def test_unknown_briefing_id_is_a_message_not_a_crash(make_app, briefing_id) -> None:
    async with make_app("no-such-id").run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, LibraryScreen)
        assert notifications(pilot.app)


async def test_enter_opens_the_briefing_under_the_cursor(make_app, briefing_id,
                                                        second_briefing_id) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = library(pilot.app)
        screen.query_one("#briefings", DataTable).focus()
        await pilot.press("down")
        wanted = screen.selected_briefing_id
        assert wanted is not None
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ReaderScreen)
        assert pilot.app.screen.briefing_id == wanted


async def test_slash_filters_by_title_or_source_and_escape_clears(
        make_app, briefing_id, second_briefing_id) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = library(pilot.app)
        screen.query_one("#briefings", DataTable).focus()
        await pilot.press("slash")
        await pilot.pause()
        await type_text(pilot, "river")
        await pilot.pause()
        assert table_titles(screen) == ["Talks stall over the river crossing"]
        await pilot.press("ctrl+a", "ctrl+k")  # clear the field; now by source
        await type_text(pilot, "institute")
        await pilot.pause()
        assert table_titles(screen) == ["Grain corridor review"]
        await pilot.press("escape")
        await pilot.pause()
        assert len(table_titles(screen)) == 2
        assert not screen.query_one("#library-filter-bar").display
        assert isinstance(pilot.app.focused, DataTable)


async def test_filter_then_enter_opens_the_match(make_app, briefing_id,
                                                 second_briefing_id) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = library(pilot.app)
        screen.query_one("#briefings", DataTable).focus()
        await pilot.press("slash")
        await type_text(pilot, "grain")
        await pilot.press("enter")  # opens the first match at once
        await pilot.pause()
        assert isinstance(pilot.app.screen, ReaderScreen)
        assert pilot.app.screen.briefing_id == second_briefing_id
        await pilot.press("escape")  # back: the filter is kept, the table has the keys
        await pilot.pause()
        assert library(pilot.app) is screen
        assert table_titles(screen) == ["Grain corridor review"]
        assert isinstance(pilot.app.focused, DataTable)


async def test_enter_in_a_filter_matching_nothing_says_so(make_app, briefing_id) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = library(pilot.app)
        screen.query_one("#briefings", DataTable).focus()
        await pilot.press("slash")
        await type_text(pilot, "zzz")
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.screen is screen
        assert "No briefing matches the filter" in notifications(pilot.app)


async def test_i_imports_a_file(make_app, store, tmp_path: Path) -> None:
    path = tmp_path / "new.md"
    path.write_text(BRIEFING_MD, encoding="utf-8")
    async with make_app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = library(pilot.app)
        assert table_titles(screen) == []
        screen.query_one("#briefings", DataTable).focus()
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PathPrompt)
        await type_text(pilot, "new.md")  # relative to the CWD (tmp_path)
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()  # the import runs in a thread worker
        await pilot.pause()
        assert [b.title for b in store.list_briefings()] == ["Talks stall over the river crossing"]
        assert table_titles(screen) == ["Talks stall over the river crossing"]
        assert any("Talks stall" in m for m in notifications(pilot.app))


async def test_i_with_a_bad_path_gives_one_line_and_changes_nothing(
        make_app, store, tmp_path: Path) -> None:
    (tmp_path / "binary.md").write_bytes(b"\x00\x01\x02" * 100)
    async with make_app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        library(pilot.app).query_one("#briefings", DataTable).focus()
        for bad in ("missing.md", "binary.md"):
            await pilot.press("i")
            await pilot.pause()
            await type_text(pilot, bad)
            await pilot.press("enter")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(pilot.app.screen, LibraryScreen)
        messages = notifications(pilot.app)
        assert any("missing.md" in m for m in messages)
        assert any("binary.md" in m for m in messages)
        assert all("\n" not in m and "Traceback" not in m for m in messages)
        assert store.list_briefings() == []


async def test_library_counts_refresh_after_reading(make_app, store, briefing_id) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader = pilot.app.screen
        reader.reader.focus()
        reader.reader.move_cursor(reader.document.text.find("The envoy"))
        await pilot.press("enter")
        await pilot.press("escape")
        await pilot.pause()
        screen = library(pilot.app)
        table = screen.query_one("#briefings", DataTable)
        assert table.get_row_at(0)[3] == "1"


async def test_ctrl_q_quits(make_app, briefing_id) -> None:
    app = make_app(briefing_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_invalid_config_is_a_notification_and_defaults_stay(
        store, briefing_id, config_path: Path) -> None:
    config_path.write_text("[keys\n", encoding="utf-8")
    app = BriefingApp(store, briefing_id, config_path=config_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert any("invalid TOML" in m for m in notifications(app))
        screen = app.screen
        screen.reader.focus()
        screen.reader.move_cursor(screen.document.text.find("The envoy"))
        await pilot.press("enter")  # the default key still highlights
        await pilot.pause()
        assert len(store.highlights(briefing_id)) == 1


def test_slugify() -> None:
    assert slugify("Talks stall over the river crossing") == "talks-stall-over-the-river-crossing"
    assert slugify("  ??  ") == "briefing"
    assert slugify("Заява МЗС: 12 березня") == "заява-мзс-12-березня"
