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
from briefing_tui.ui.widgets.pickers import PathPrompt
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
        assert pilot.app.screen.query("#source-banner")
        await pilot.press("R")
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


async def test_the_stored_copy_opens_before_the_hash_and_a_changed_file_gets_a_banner(
        make_app, store, briefing_id, briefing_file: Path, monkeypatch) -> None:
    briefing_file.write_text(BRIEFING_MD.replace(
        "# Talks stall over the river crossing\n",
        "# Talks stall over the river crossing\n\n" + NEW + "\n"), encoding="utf-8")
    # The hash of the file (a 50 MB file takes a second) waits for the test.
    release, threads = hold(monkeypatch, sources, "file_sha256")
    async with make_app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        library = pilot.app.screen
        assert isinstance(library, LibraryScreen)
        library.query_one("#briefings", DataTable).focus()
        await pilot.press("enter")
        await pilot.pause()
        # Hashing in its thread, and the reader is up with the stored copy, answering keys.
        assert len(threads) == 1 and threads[0] is not threading.main_thread()
        reader = pilot.app.screen
        assert isinstance(reader, ReaderScreen)
        assert NEW not in reader.document.text and not reader.query("#source-banner")
        reader.reader.focus()
        await keys_move_the_cursor(pilot, reader)
        release.set()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert pilot.app.screen is reader
        banner = str(reader.query_one("#source-banner").render())
        assert "river-crossing.md changed on disk" in banner and "R re-imports" in banner
        assert NEW not in reader.document.text  # nothing re-imported unasked
    assert store.briefing_info(briefing_id).revision == 1


async def test_an_unchanged_file_with_a_new_mtime_gets_no_banner(
        make_app, store, briefing_id, briefing_file: Path, monkeypatch) -> None:
    stat = briefing_file.stat()
    import os

    os.utime(briefing_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    release, threads = hold(monkeypatch, sources, "file_sha256")
    release.set()
    async with make_app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        pilot.app.screen.query_one("#briefings", DataTable).focus()
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert len(threads) == 1  # size and mtime differed: hashed, found the same
        assert isinstance(pilot.app.screen, ReaderScreen)
        assert not pilot.app.screen.query("#source-banner")
