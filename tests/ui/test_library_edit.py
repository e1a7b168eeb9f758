"""The library deletes a briefing (asking first, naming it made safe) and edits its
metadata; ``u`` / ``ctrl+r`` in the library undo and redo both (issue 14.8)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Label

from briefing_tui.core.undo import LIBRARY
from briefing_tui.ui.screens.help import HelpScreen
from briefing_tui.ui.screens.library import LibraryScreen
from briefing_tui.ui.widgets.briefing_form import BriefingEditor
from briefing_tui.ui.widgets.pickers import ConfirmDialog
from tests.hostile import PLACEHOLDERS, TITLE_MARK, add_raw_hostile
from tests.ui.conftest import notifications
from tests.ui.test_hostile_render import assert_inert

SIZE = (110, 30)
TITLE = "Talks stall over the river crossing"
SECOND = "Grain corridor review"


async def _library(pilot) -> LibraryScreen:
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, LibraryScreen)
    screen.query_one("#briefings", DataTable).focus()
    return screen


def titles(screen: LibraryScreen) -> list[str]:
    table = screen.query_one("#briefings", DataTable)
    return [str(table.get_row_at(row)[0]) for row in range(table.row_count)]


async def _select(pilot, screen: LibraryScreen, title: str) -> None:
    table = screen.query_one("#briefings", DataTable)
    table.move_cursor(row=titles(screen).index(title))
    await pilot.pause()


async def test_d_asks_naming_the_briefing_then_deletes_and_u_brings_it_back(
        make_app, store, briefing_id, second_briefing_id) -> None:
    hid = store.create_highlight(briefing_id, 0, 10).id
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await _library(pilot)
        await _select(pilot, screen, TITLE)
        await pilot.press("d")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        question = str(dialog.query_one(".question", Label).render())
        assert f"“{TITLE}” and its 1 highlight?" in question
        await pilot.press("y")
        await pilot.pause()
        assert pilot.app.screen is screen
        assert titles(screen) == [SECOND]
        assert [b.id for b in pilot.app.store.list_briefings()] == [second_briefing_id]
        await pilot.press("u")
        await pilot.pause()
        assert sorted(titles(screen)) == [SECOND, TITLE]
        assert [h.id for h in pilot.app.store.highlights(briefing_id)] == [hid]
        assert "Undone: delete briefing" in notifications(pilot.app)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert titles(screen) == [SECOND]
        await pilot.press("u", "u")
        await pilot.pause()
        assert "Nothing to undo in the library" in notifications(pilot.app)


async def test_no_or_escape_deletes_nothing(make_app, store, briefing_id,
                                            second_briefing_id) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await _library(pilot)
        for answer in ("n", "escape"):
            await pilot.press("delete")
            await pilot.pause()
            assert isinstance(pilot.app.screen, ConfirmDialog)
            await pilot.press(answer)
            await pilot.pause()
            assert pilot.app.screen is screen
        assert sorted(titles(screen)) == [SECOND, TITLE]
        assert not store.can_undo("")


async def test_the_delete_question_shows_a_hostile_title_as_text(
        make_app, store, tmp_path: Path) -> None:
    add_raw_hostile(store, tmp_path)  # raw controls in the stored title
    async with make_app().run_test(size=(140, 40)) as pilot:
        await _library(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmDialog)
        text = assert_inert(pilot.app, shown=("Delete “", "␛]0;" + TITLE_MARK))
        assert PLACEHOLDERS[0] in text
        await pilot.press("y")
        await pilot.pause()
        assert_inert(pilot.app)  # the library, its notification naming the title
        assert store.list_briefings() == []


async def test_m_edits_the_metadata_and_u_restores_it(make_app, store, briefing_id) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await _library(pilot)
        await pilot.press("m")
        await pilot.pause()
        editor = pilot.app.screen
        assert isinstance(editor, BriefingEditor)
        assert pilot.app.focused is editor.query_one("#title", Input)
        assert editor.query_one("#source", Input).value == "Test Wire"
        assert editor.query_one("#published", Input).value == "2025-03-20"
        editor.query_one("#title", Input).value = "River talks stall"
        editor.query_one("#url", Input).value = "https://example.org/river"
        await pilot.press("tab", "tab")
        assert pilot.app.focused is editor.query_one("#published", Input)
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.screen is screen
        assert titles(screen) == ["River talks stall"]
        info = store.briefing_info(briefing_id)
        assert (info.title, info.url) == ("River talks stall", "https://example.org/river")
        await pilot.press("u")
        await pilot.pause()
        assert titles(screen) == [TITLE]
        assert store.briefing_info(briefing_id).url == ""


async def test_a_blank_title_is_refused_in_the_form(make_app, store, briefing_id) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await _library(pilot)
        await pilot.press("m")
        await pilot.pause()
        editor = pilot.app.screen
        editor.query_one("#title", Input).value = "   "
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is editor
        await pilot.press("escape")
        await pilot.pause()
        assert store.briefing_info(briefing_id).title == TITLE


async def test_the_form_shows_hostile_metadata_as_text(make_app, store,
                                                       tmp_path: Path) -> None:
    add_raw_hostile(store, tmp_path)
    async with make_app().run_test(size=(140, 40)) as pilot:
        await _library(pilot)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(pilot.app.screen, BriefingEditor)
        assert_inert(pilot.app, shown=(PLACEHOLDERS[0],))


async def test_help_lists_the_library_keys(make_app, briefing_id) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await _library(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        text = help_screen.key_text()
        for binding_id in ("library.delete", "library.edit", "library.undo", "library.redo"):
            assert binding_id in text


async def test_the_app_purges_briefings_deleted_a_month_ago(make_app, store, briefing_id,
                                                            second_briefing_id) -> None:
    from briefing_tui.ui.app import PURGE_AFTER_DAYS

    store.delete_briefing(briefing_id)
    store.delete_briefing(second_briefing_id)
    with store._write() as _tx:  # deleted PURGE_AFTER_DAYS + 1 days ago
        store.conn.execute("UPDATE briefings SET deleted_at = datetime('now', ?) WHERE id = ?",
                           (f"-{PURGE_AFTER_DAYS + 1} days", briefing_id))
    async with make_app().run_test(size=SIZE) as pilot:
        await _library(pilot)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    assert [b.id for b in store.deleted_briefings()] == [second_briefing_id]
    assert store.conn.execute("SELECT COUNT(*) FROM briefings WHERE id = ?",
                              (briefing_id,)).fetchone()[0] == 0


async def test_a_briefing_another_instance_deleted_does_not_open(
        make_app, store, briefing_id, second_briefing_id) -> None:
    from briefing_tui.core.store import Store

    async with make_app().run_test(size=SIZE) as pilot:
        screen = await _library(pilot)
        await _select(pilot, screen, TITLE)
        with Store(store.path) as other:
            other.delete_briefing(briefing_id)
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert pilot.app.screen is screen
        assert f"“{TITLE}” was deleted from the library" in notifications(pilot.app, "warning")
        assert titles(screen) == [SECOND]


async def test_metadata_edited_from_a_reader_through_the_palette_command(make_app, store,
                                                                         briefing_id) -> None:
    """#13.1: the command palette edits the open briefing's metadata (one library step)."""
    from briefing_tui.ui.commands import BriefingCommands
    from briefing_tui.ui.screens.reader import ReaderScreen

    async with make_app(briefing_id).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        reader = pilot.app.screen
        assert isinstance(reader, ReaderScreen)
        [edit] = [callback for name, _help, callback in BriefingCommands(reader).commands()
                  if name == "Edit briefing metadata"]
        edit()
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, BriefingEditor)
        form.query_one("#title", Input).value = "Talks resume at the crossing"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is reader
    assert store.briefing_info(briefing_id).title == "Talks resume at the crossing"
    assert store.undo(LIBRARY) is not None  # the library's step
    assert store.briefing_info(briefing_id).title != "Talks resume at the crossing"
