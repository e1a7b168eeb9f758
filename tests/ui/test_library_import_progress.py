"""A folder's import in the library shows a progress bar that advances file by file (the
checking pass, then the storing pass) while the import runs in a thread worker and keys
still work; it goes when the import ends with its usual summary. File names from the
folder are shown escaped."""

from __future__ import annotations

import threading
from pathlib import Path

from textual.widgets import DataTable, ProgressBar

from briefing_tui.ui.screens import library as library_module
from briefing_tui.ui.widgets.import_progress import ImportProgress
from tests.hostile import UNSAFE
from tests.notices import notifications
from tests.ui.test_app_library_import_worker import submit_import, titles

HOSTILE_NAME = "\x1b]0;PWNED\x07\x1b[2J\u202eevil.md"


async def reached_in(pilot, event: threading.Event) -> bool:
    """Wait for the worker to reach ``event`` while the event loop keeps running (the
    worker hands its progress to the UI thread and waits for it)."""
    for _ in range(400):
        if event.is_set():
            await pilot.pause()
            return True
        await pilot.pause(0.025)
    return False


def label_text(bar: ImportProgress) -> str:
    """What the label beside the bar draws."""
    return str(bar.query_one("#import-progress-label").render())


async def test_the_bar_advances_per_file_and_goes_at_the_end(make_app, store, tmp_path: Path,
                                                             monkeypatch) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    for n in range(3):
        (folder / f"{n}.md").write_text(f"# Briefing {n}\n\nText {n}.\n", encoding="utf-8")
    (folder / HOSTILE_NAME).write_text("# Briefing 3\n\nText 3.\n", encoding="utf-8")
    reached = {title: threading.Event() for title in ("Briefing 1", "Briefing 2")}
    release = {title: threading.Event() for title in reached}
    real = type(store).add_briefing

    def add_briefing(self, **kwargs):
        if kwargs["title"] in reached:
            reached[kwargs["title"]].set()
            assert release[kwargs["title"]].wait(10), "the test never released the import"
        return real(self, **kwargs)

    monkeypatch.setattr(type(store), "add_briefing", add_briefing)
    async with make_app().run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        screen.query_one("#briefings", DataTable).focus()
        assert not screen.query(ImportProgress)
        await submit_import(pilot, folder)
        assert await reached_in(pilot, reached["Briefing 1"])
        bar = screen.query_one(ImportProgress)
        # 4 files checked (steps 1-4), 2 stored (steps 5-6: the hostile name sorts first).
        assert bar.progress == (6, 8)
        assert bar.query_one(ProgressBar).progress == 6
        assert bar.label == "importing 2/4 0.md"
        assert titles(screen) == []  # the table follows every IMPORT_REFRESH_SECONDS
        # Keys still work while the worker is blocked.
        await pilot.press("slash")
        await pilot.pause()
        assert screen.query_one("#library-filter-bar").display
        await pilot.press("escape")
        monkeypatch.setattr(library_module, "IMPORT_REFRESH_SECONDS", 0.0)
        release["Briefing 1"].set()
        assert await reached_in(pilot, reached["Briefing 2"])
        assert bar.progress == (7, 8) and bar.label == "importing 3/4 1.md"
        # Due for a refresh: the files stored so far show while the import runs.
        assert sorted(titles(screen)) == ["Briefing 0", "Briefing 1", "Briefing 3"]
        release["Briefing 2"].set()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert not screen.query(ImportProgress)
        assert titles(screen) == [f"Briefing {n}" for n in range(4)]
        assert notifications(pilot.app)[-1] == "4 files: 4 added"


async def test_hostile_file_names_are_shown_escaped(make_app, store, tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a.md").write_text("# A\n\nText.\n", encoding="utf-8")
    async with make_app().run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        bar = ImportProgress()
        await screen.mount(bar)
        bar.advance_to("importing", 2, 3, folder / HOSTILE_NAME)
        await pilot.pause()
        assert not UNSAFE.search(bar.label)
        assert "\\x1b]0;PWNED" in bar.label
        shown = label_text(bar)
        assert shown.startswith("importing 2/3 ") and "PWNED" in shown
        assert not UNSAFE.search(shown)
