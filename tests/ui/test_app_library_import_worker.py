"""The library's import runs in a thread worker: the screen keeps answering keys while a
(big) file is read and parsed, says "Importing …" at once, and refreshes when done."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from textual.widgets import DataTable, Input, Static

from briefing_tui.core import importer
from briefing_tui.ui.screens.library import LibraryScreen
from briefing_tui.ui.widgets.pickers import PathPrompt
from tests.ui.conftest import BRIEFING_MD, notifications

SIZE = (100, 30)
TITLE = "Talks stall over the river crossing"


def titles(screen: LibraryScreen) -> list[str]:
    table = screen.query_one("#briefings", DataTable)
    return [str(table.get_row_at(row)[0]) for row in range(table.row_count)]


async def submit_import(pilot, path: Path) -> None:
    await pilot.press("i")
    await pilot.pause()
    prompt = pilot.app.screen
    assert isinstance(prompt, PathPrompt)
    prompt.query_one(Input).value = str(path)
    await pilot.press("enter")
    await pilot.pause()


async def test_import_runs_off_the_ui_thread_and_the_screen_keeps_answering(
        make_app, store, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "new.md"
    path.write_text(BRIEFING_MD, encoding="utf-8")
    release = threading.Event()
    threads: list[threading.Thread] = []
    real = importer.import_paths

    def slow_import(*args, **kwargs):
        threads.append(threading.current_thread())
        assert release.wait(10), "the test never released the import"
        return real(*args, **kwargs)

    monkeypatch.setattr(importer, "import_paths", slow_import)
    async with make_app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, LibraryScreen)
        screen.query_one("#briefings", DataTable).focus()
        await submit_import(pilot, path)
        # The import is under way (blocked in its thread) and the UI answers a key.
        assert len(threads) == 1 and threads[0] is not threading.main_thread()
        assert any(m == "Importing new.md …" for m in notifications(pilot.app))
        assert pilot.app.screen is screen and titles(screen) == []
        await pilot.press("slash")
        await pilot.pause()
        assert screen.query_one("#library-filter-bar").display
        assert isinstance(pilot.app.focused, Input)
        # A second import while the first runs is refused, not started.
        await pilot.press("escape", "escape")
        await submit_import(pilot, path)
        assert len(threads) == 1
        assert any("already running" in m for m in notifications(pilot.app))
        release.set()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert titles(screen) == [TITLE]
        assert notifications(pilot.app)[-1] == f"Added “{TITLE}”"
    assert [b.title for b in store.list_briefings()] == [TITLE]


async def test_refused_import_reports_from_the_worker(make_app, store, tmp_path: Path) -> None:
    (tmp_path / "binary.md").write_bytes(b"\x00\x01\x02" * 100)
    async with make_app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        pilot.app.screen.query_one("#briefings", DataTable).focus()
        await submit_import(pilot, tmp_path / "binary.md")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(pilot.app.screen, LibraryScreen)
        errors = notifications(pilot.app, "error")
        assert len(errors) == 1 and "binary.md" in errors[0] and "\n" not in errors[0]
    assert store.list_briefings() == []


async def test_folder_import_names_what_it_skipped(make_app, store, tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "good.md").write_text(BRIEFING_MD, encoding="utf-8")
    os.symlink("..", folder / "up")
    Path(os.fsdecode(os.path.join(os.fsencode(folder), b"caf\xff.md"))).write_text(
        "# Bad name\n\nText.\n", encoding="utf-8")
    async with make_app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        screen.query_one("#briefings", DataTable).focus()
        await submit_import(pilot, folder)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert titles(screen) == [TITLE]
        warnings = notifications(pilot.app, "warning")
        assert warnings == [(f"skipped {folder}/caf\\xff.md: file name is not valid UTF-8"
                             " (and 1 more)")]
    assert [b.title for b in store.list_briefings()] == [TITLE]


async def test_folder_import_shows_its_progress_in_the_title(make_app, store, tmp_path: Path,
                                                             monkeypatch) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    for n in range(3):
        (folder / f"{n}.md").write_text(f"# Briefing {n}\n\nText {n}.\n", encoding="utf-8")
    second = threading.Event()
    release = threading.Event()
    real = type(store).add_briefing

    def add_briefing(self, **kwargs):
        if kwargs["title"] == "Briefing 1":
            second.set()
            assert release.wait(10), "the test never released the import"
        return real(self, **kwargs)

    monkeypatch.setattr(type(store), "add_briefing", add_briefing)
    async with make_app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        screen.query_one("#briefings", DataTable).focus()
        await submit_import(pilot, folder)
        assert second.wait(10)
        await pilot.pause()
        title = screen.query_one("#library-title", Static)
        assert str(title.render()) == "Library — 0 briefings · importing 1/3 …"
        release.set()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert str(title.render()) == "Library — 3 briefings"
        assert titles(screen) == [f"Briefing {n}" for n in range(3)]
        assert notifications(pilot.app)[-1] == "3 files: 3 added"
