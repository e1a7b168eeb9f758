"""Bad input in the app: a one-line notification, the app still running, the database
byte for byte as it was. Plus a read-only database, a lock held by another program,
a 40×12 terminal and export paths that cannot be written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from briefing_tui.core import dbfile
from briefing_tui.core.importer import import_paths
from briefing_tui.core.store import Store
from briefing_tui.ui.app import BriefingApp
from briefing_tui.ui.screens.library import LibraryScreen
from briefing_tui.ui.screens.reader import NARROW_WIDTH, ReaderScreen
from briefing_tui.ui.widgets.pickers import PathPrompt
from tests.e2e.tmux import Tmux, clean_env
from tests.notices import notifications
from tests.robustness.badinput import (
    BAD_IMPORTS,
    BIG_TITLE,
    as_nobody,
    effective_nobody,
    expected,
    open_folder,
    write_big_briefing,
)
from tests.robustness.common import (
    BRIEFING,
    TITLE,
    files_digest,
    write_lock_held_by_another_program,
)

SIZE = (110, 30)
QUOTE = "His deputy was more careful."




def make_app(store: Store, tmp_path: Path, open_id: str | None = None) -> BriefingApp:
    return BriefingApp(store, open_id, config_path=tmp_path / "no-config.toml")


def notes(app) -> list[str]:
    return notifications(app)


def errors(app) -> list[str]:
    return notifications(app, "error")


def library_titles(app) -> list[str]:
    screen = app.screen
    assert isinstance(screen, LibraryScreen)
    table = screen.query_one("#briefings", DataTable)
    return [str(table.get_row_at(row)[0]) for row in range(table.row_count)]


async def import_by_keys(pilot, path: Path) -> None:
    """Library: i, the path, enter."""
    await pilot.press("i")
    await pilot.pause()
    prompt = pilot.app.screen
    assert isinstance(prompt, PathPrompt)
    prompt.query_one(Input).value = str(path)
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()  # the import runs in a thread worker
    await pilot.pause()


async def open_reader(pilot) -> ReaderScreen:
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ReaderScreen)
    screen.reader.focus()
    return screen


def status(screen: ReaderScreen) -> str:
    return str(screen.query_one("#status").render())


# --------------------------------------------------------------------------- import


@pytest.mark.parametrize("case", list(BAD_IMPORTS))
async def test_app_import_of_bad_input_is_a_notification(db: Path, tmp_path: Path,
                                                         case: str) -> None:
    bad = BAD_IMPORTS[case][0](tmp_path)
    before = files_digest(db)
    with Store(db) as store:
        async with make_app(store, tmp_path).run_test(size=SIZE) as pilot:
            await pilot.pause()
            await import_by_keys(pilot, bad)
            assert pilot.app.is_running
            assert library_titles(pilot.app) == [TITLE]
            [message] = errors(pilot.app)
            assert "\n" not in message
            for fragment in expected(case, bad):
                assert fragment in message, (fragment, message)
    assert files_digest(db) == before


async def test_app_imports_a_50_mb_file(db: Path, tmp_path: Path) -> None:
    big = write_big_briefing(tmp_path / "big.txt")
    with Store(db) as store:
        async with make_app(store, tmp_path).run_test(size=SIZE) as pilot:
            await pilot.pause()
            await import_by_keys(pilot, big)
            assert errors(pilot.app) == []
            assert f"Added “{BIG_TITLE}”" in notes(pilot.app)
            assert sorted(library_titles(pilot.app)) == sorted([TITLE, BIG_TITLE])
        info = store.resolve_briefing(BIG_TITLE)
        assert info.path == str(big)


# --------------------------------------------------------------------------- read-only


ANNOTATE_KEYS = ["enter", "2", "0", "t", "number_sign", "c", "x", "u", "ctrl+r"]


async def test_read_only_database_shows_a_notice_and_annotate_keys_explain(
        db: Path, tmp_path: Path) -> None:
    before = files_digest(db)
    with Store(db, readonly=True) as store:
        [info] = store.list_briefings()
        async with make_app(store, tmp_path).run_test(size=SIZE) as pilot:
            await pilot.pause()
            title = str(pilot.app.screen.query_one("#library-title").render())
            assert "read-only database" in title
            await pilot.press("enter")
            screen = await open_reader(pilot)
            assert "read-only database" in status(screen)
            screen.reader.move_cursor(screen.document.text.index(QUOTE))
            for n, key in enumerate(ANNOTATE_KEYS, start=1):
                await pilot.press(key)
                await pilot.pause()
                # No picker opens in vain: each key is answered on the reader screen.
                assert pilot.app.screen is screen, key
                assert len(errors(pilot.app)) == n, key
                assert "database is read-only" in errors(pilot.app)[-1]
            assert "database is read-only" in status(screen)
            # Reading, moving and export still work.
            await pilot.press("j", "w", "right_square_bracket", "tab", "tab")
            assert pilot.app.is_running
        assert store.highlights(info.id) == []
    assert files_digest(db) == before


@pytest.mark.e2e
@pytest.mark.parametrize("where", ["file", "folder"])
def test_read_only_location_in_the_real_app_as_nobody(where: str) -> None:
    """The installed app in tmux, run by `nobody` on a database it may not write."""
    with open_folder() as folder:
        db = folder / "briefings.db"
        source = folder / "pause.md"
        source.write_text(BRIEFING, encoding="utf-8")
        with Store(db) as store:
            import_paths(store, [source])
        if where == "file":
            db.chmod(0o444)
        else:
            db.chmod(0o666)
            folder.chmod(0o555)
        before = files_digest(db)
        env = {**clean_env(folder), "HOME": str(folder)}
        tmux = Tmux(width=110, height=30)
        try:
            tmux.start(as_nobody(["--db", str(db)]), env, cwd=folder)
            tmux.wait_for("read-only database")  # the library's notice
            tmux.keys("Enter")
            tmux.wait_for("0 highlights")
            tmux.keys("j", "j", "j")
            tmux.keys("Enter")
            tmux.wait_for("database is read-only: changes cannot be saved")
            tmux.keys("C-q")
            tmux.wait_for("__EXIT__0")
        finally:
            tmux.kill()
            folder.chmod(0o755)
        assert files_digest(db) == before


# --------------------------------------------------------------------------- locked


async def test_database_locked_by_another_program_is_a_message_then_works(
        db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dbfile, "BUSY_TIMEOUT_S", 0.2)  # read when the store connects
    new = tmp_path / "new.md"
    new.write_text("# A new briefing\n\nNothing happened.\n", encoding="utf-8")
    store = Store(db)
    [info] = store.list_briefings()
    try:
        async with make_app(store, tmp_path, info.id).run_test(size=SIZE) as pilot:
            screen = await open_reader(pilot)
            start = screen.document.text.index(QUOTE)
            screen.reader.move_cursor(start)
            locked = "database is locked by another program (waited 0.2 s); try again"
            before = files_digest(db)
            with write_lock_held_by_another_program(db):
                await pilot.press("enter")
                await pilot.pause()
                assert pilot.app.is_running and pilot.app.screen is screen
                assert errors(pilot.app) == [locked]
                assert locked in status(screen)
                assert "0 highlights" in status(screen)
                # The library's import gets the same answer.
                await pilot.press("escape")
                await import_by_keys(pilot, new)
                assert errors(pilot.app)[-1] == locked
                assert library_titles(pilot.app) == [TITLE]
                assert files_digest(db) == before
            # The other program is gone: the same keys work.
            await import_by_keys(pilot, new)
            assert sorted(library_titles(pilot.app)) == sorted([TITLE, "A new briefing"])
            pilot.app.open_briefing(info.id)
            screen = await open_reader(pilot)
            screen.reader.move_cursor(start)
            await pilot.press("enter")
            await pilot.pause()
            assert "1 highlight" in status(screen)
        assert [h.exact for h in store.highlights(info.id)] == [QUOTE]
    finally:
        store.close()


# --------------------------------------------------------------------------- 40×12


MANY_KEYS = ["j", "j", "k", "l", "l", "w", "w", "b", "right_parenthesis", "left_parenthesis",
             "right_curly_bracket", "left_curly_bracket", "G", "g", "pagedown", "pageup",
             "v", "l", "l", "enter", "2", "s", "enter", "1", "right_square_bracket",
             "left_square_bracket", "tab", "j", "k", "3", "tab", "quotation_mark", "p",
             "escape", "u", "ctrl+r", "n", "N", "end", "home"]
MODALS = ["t", "number_sign", "c", "question_mark", "o", "e", "slash"]


async def test_a_40x12_terminal_stays_usable(db: Path, tmp_path: Path) -> None:
    with Store(db) as store:
        [info] = store.list_briefings()
        async with make_app(store, tmp_path).run_test(size=(40, 12)) as pilot:
            await pilot.pause()
            # The library: moving, filtering, the import prompt.
            await pilot.press("j", "k", "slash", "p", "a", "escape", "escape", "i")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.press("enter")
            screen = await open_reader(pilot)
            # Narrow: the text gets the whole width, the sidebar waits behind tab.
            assert screen.has_class("-narrow")
            assert screen.reader.display and not screen.sidebar.display
            assert screen.reader.size.width >= 36
            for key in MANY_KEYS:
                await pilot.press(key)
            await pilot.pause()
            assert pilot.app.is_running
            for key in MODALS:  # every dialog opens and closes at this size
                await pilot.press(key)
                await pilot.pause()
                await pilot.press("escape")
                await pilot.pause()
                assert pilot.app.screen is screen, key
            # tab swaps the text for the sidebar, and back.
            screen.reader.move_cursor(screen.document.text.index(QUOTE))
            await pilot.press("enter", "tab")
            await pilot.pause()
            assert screen.sidebar.has_focus
            assert screen.sidebar.display and not screen.reader.display
            assert screen.sidebar.size.width >= 36
            await pilot.press("tab")
            await pilot.pause()
            assert screen.reader.has_focus and screen.reader.display
            assert not screen.sidebar.display
            assert "highlight" in status(screen)
            assert errors(pilot.app) == []
        assert store.highlights(info.id)  # the keys above made highlights


async def test_the_sidebar_returns_when_the_terminal_grows(db: Path, tmp_path: Path) -> None:
    with Store(db) as store:
        [info] = store.list_briefings()
        async with make_app(store, tmp_path, info.id).run_test(size=SIZE) as pilot:
            screen = await open_reader(pilot)
            assert screen.sidebar.display and screen.reader.display
            await pilot.resize_terminal(NARROW_WIDTH - 1, 12)
            await pilot.pause()
            assert not screen.sidebar.display and screen.reader.display
            await pilot.resize_terminal(NARROW_WIDTH, 20)
            await pilot.pause()
            assert screen.sidebar.display and screen.reader.display


# --------------------------------------------------------------------------- export paths


async def export_to(pilot, target: Path) -> None:
    await pilot.press("e")
    await pilot.pause()
    prompt = pilot.app.screen
    assert isinstance(prompt, PathPrompt)
    prompt.query_one(Input).value = str(target)


async def test_export_into_a_missing_folder_is_one_message(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "report.md"
    before = files_digest(db)
    with Store(db) as store:
        [info] = store.list_briefings()
        async with make_app(store, tmp_path, info.id).run_test(size=SIZE) as pilot:
            screen = await open_reader(pilot)
            await export_to(pilot, target)
            await pilot.press("enter")
            await pilot.pause()
            assert pilot.app.screen is screen
            message = f"cannot write {target}: folder {target.parent} does not exist"
            assert errors(pilot.app) == [message]
            assert message in status(screen)
    assert not (tmp_path / "no").exists()
    assert files_digest(db) == before


async def test_export_without_permission_is_one_message(db: Path, tmp_path: Path) -> None:
    with open_folder() as folder:
        locked = folder / "reports"
        locked.mkdir()
        locked.chmod(0o555)
        target = locked / "report.md"
        before = files_digest(db)
        with Store(db) as store:
            [info] = store.list_briefings()
            async with make_app(store, tmp_path, info.id).run_test(size=SIZE) as pilot:
                screen = await open_reader(pilot)
                await export_to(pilot, target)
                with effective_nobody():  # root may write anywhere; `nobody` may not
                    await pilot.press("enter")
                    await pilot.pause()
                assert pilot.app.screen is screen
                message = f"cannot write {target}: Permission denied"
                assert errors(pilot.app) == [message]
                assert message in status(screen)
        assert list(locked.iterdir()) == []
        assert files_digest(db) == before
