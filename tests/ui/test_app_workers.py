"""Slow work runs in thread workers: while a re-import or an export is under way (held
here on an event, standing for a 50 MB file or 10k highlights), the reader answers keys."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.widgets import DataTable

from briefing_tui.core import export, sources
from briefing_tui.ui.screens.library import LibraryScreen
from briefing_tui.ui.screens.reader import ReaderScreen
from briefing_tui.ui.widgets.pickers import ConfirmDialog, PathPrompt
from tests.ui.conftest import BRIEFING_MD, notifications

SIZE = (100, 30)
NEW = "A late statement arrived from the capital."


def hold(monkeypatch: pytest.MonkeyPatch, module: object, name: str
         ) -> tuple[threading.Event, list[threading.Thread]]:
    """Make ``module.name`` wait for the returned event; record the threads it runs in."""
    release = threading.Event()
    threads: list[threading.Thread] = []
    real = getattr(module, name)

    def slow(*args: object, **kwargs: object) -> object:
        threads.append(threading.current_thread())
        assert release.wait(10), "the test never released the worker"
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, slow)
    return release, threads


async def keys_move_the_cursor(pilot, screen: ReaderScreen) -> None:
    before = screen.reader.cursor
    await pilot.press("w", "w", "j")
    await pilot.pause()
    assert pilot.app.screen is screen
    assert screen.reader.cursor > before


async def test_keys_work_while_a_slow_reimport_runs(
        make_app, store, briefing_id, briefing_file: Path, monkeypatch) -> None:
    briefing_file.write_text(BRIEFING_MD.replace(
        "# Talks stall over the river crossing\n",
        "# Talks stall over the river crossing\n\n" + NEW + "\n"), encoding="utf-8")
    release, threads = hold(monkeypatch, sources, "reimport")
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()  # the changed-file check
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ReaderScreen)
        screen.reader.focus()
        # The re-import is blocked in its thread, and the reader moves.
        assert len(threads) == 1 and threads[0] is not threading.main_thread()
        assert NEW not in screen.document.text
        await keys_move_the_cursor(pilot, screen)
        release.set()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert NEW in screen.document.text
        assert "re-imported" in str(screen.query_one("#status").render())
    assert store.briefing_info(briefing_id).revision == 2


async def test_keys_work_while_a_slow_export_runs(
        make_app, store, briefing_id, tmp_path: Path, monkeypatch) -> None:
    release, threads = hold(monkeypatch, export, "export_file")
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ReaderScreen)
        screen.reader.focus()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PathPrompt)
        await pilot.press("enter")  # the default path, in the CWD (tmp_path)
        await pilot.pause()
        assert len(threads) == 1 and threads[0] is not threading.main_thread()
        await keys_move_the_cursor(pilot, screen)
        assert not list(tmp_path.glob("*.md"))  # not written yet
        release.set()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        [written] = tmp_path.glob("*.md")
        assert "Talks stall over the river crossing" in written.read_text(encoding="utf-8")
        assert any(m.startswith("Exported to") for m in notifications(pilot.app))


async def test_enter_twice_while_the_file_is_looked_at_opens_one_reader(
        make_app, store, briefing_id, monkeypatch) -> None:
    release, threads = hold(monkeypatch, sources.SourceWatch, "changed_source")
    async with make_app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        library = pilot.app.screen
        assert isinstance(library, LibraryScreen)
        library.query_one("#briefings", DataTable).focus()
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert len(threads) == 1 and threads[0] is not threading.main_thread()
        assert pilot.app.screen is library  # still hashing: the keys still answer
        release.set()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert [type(s) for s in pilot.app.screen_stack] == [LibraryScreen, ReaderScreen]
