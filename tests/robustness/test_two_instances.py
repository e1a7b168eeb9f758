"""Two instances on one database: both keep working, nothing is lost, each sees the other.

* two real processes write the same briefing at the same time;
* the app (Pilot) makes highlights by keys while a real process writes the same briefing;
* an open reader shows a highlight another ``Store`` added (it polls ``data_version``).
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefing_tui.core.importer import import_paths
from briefing_tui.core.store import Store
from briefing_tui.ui.app import BriefingApp
from briefing_tui.ui.screens import reader as reader_module
from briefing_tui.ui.screens.reader import ReaderScreen
from tests.notices import notifications
from tests.robustness.common import DRIVER, db_state

SIZE = (100, 30)


def start_driver(db: Path, briefing_file: Path, seed: int, ops: int) -> subprocess.Popen:
    """A store driver changing only its own highlights, paced (a writer kept waiting by a
    tight loop of commits is SQLite, not us); it waits for a line on stdin.

    Its output goes to a file (read by ``finish``): a thread draining a pipe would
    compete with the app's event loop for the GIL and slow the Pilot tests down.
    """
    out = db.parent / f"driver-{seed}.out"
    with out.open("w") as sink:
        proc = subprocess.Popen(
            [sys.executable, str(DRIVER), "run", str(db), str(briefing_file), str(seed),
             str(ops), "--own", "--wait", "--pace"],
            stdin=subprocess.PIPE, stdout=sink, stderr=subprocess.PIPE, text=True)
    proc.output = out  # type: ignore[attr-defined]
    while not out.read_text().startswith("READY "):
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        time.sleep(0.01)
    return proc


def go(proc: subprocess.Popen) -> None:
    """Let a waiting driver start."""
    assert proc.stdin is not None
    proc.stdin.write("go\n")
    proc.stdin.flush()


def finish(proc: subprocess.Popen) -> tuple[dict[str, dict], list[float]]:
    """Wait for a driver; return its acknowledged highlights and the times of its ACKs."""
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert err == ""  # no 'database is locked', no traceback
    model: dict[str, dict] = {}
    times: list[float] = []
    lines = proc.output.read_text().splitlines()  # type: ignore[attr-defined]
    assert lines[-1].startswith("END "), lines[-3:]
    for line in lines:
        assert not line.startswith(("FAILED", "ERROR")), line
        if line.startswith("ACK "):
            ack = json.loads(line.split(" ", 2)[2])
            times.append(ack["t"])
            if ack["state"] is None:
                model.pop(ack["id"])
            else:
                model[ack["id"]] = ack["state"]
    return model, times


def test_two_processes_write_one_briefing_concurrently_and_lose_nothing(
        tmp_path: Path, briefing_file: Path) -> None:
    ops = 400
    interleaved = False
    # SQLite does not queue writers fairly: one process may take the lock for all its
    # writes while the other sleeps in its busy handler. That loses nothing (checked every
    # round), but shows no interleaving either, so a round without any is run again.
    for attempt in range(3):
        db = tmp_path / f"briefings-{attempt}.db"
        with Store(db) as store:
            import_paths(store, [briefing_file])
        left = start_driver(db, briefing_file, 1, ops)
        right = start_driver(db, briefing_file, 2, ops)
        go(left)  # both are open and waiting: start them together
        go(right)
        left_model, left_times = finish(left)
        right_model, right_times = finish(right)
        assert len(left_times) == len(right_times) == ops  # every call committed, none refused
        integrity, foreign, rows = db_state(db)
        assert (integrity, foreign) == ("ok", [])
        assert not left_model.keys() & right_model.keys()
        assert rows == {**left_model, **right_model}
        # Each wrote while the other was writing.
        if left_times[0] < right_times[-1] and right_times[0] < left_times[-1]:
            interleaved = True
            break
    assert interleaved


async def test_app_and_another_process_write_the_same_briefing(
        db: Path, briefing_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader_module, "POLL_SECONDS", 0.1)
    store = Store(db)
    [info] = store.list_briefings()
    sentences = store.get_briefing(info.id).document.sentences
    driver = start_driver(db, briefing_file, 3, 600)
    app = BriefingApp(store, info.id, config_path=tmp_path / "no-config.toml")
    made: dict[str, tuple[int, int]] = {}
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ReaderScreen)
            screen.reader.focus()
            go(driver)
            last_app_change = 0.0
            n = 0
            # Highlight sentences by keys while the other process is writing (a dozen, more
            # if that process has not yet acknowledged a change: it must overlap with ours).
            output = driver.output  # type: ignore[attr-defined]
            while driver.poll() is None and n < 500 and (
                    n < 12 or "\nACK " not in output.read_text()):
                start, end = sentences[n % len(sentences)]
                screen.reader.move_cursor(start)
                await pilot.press("enter")
                last_app_change = time.monotonic()
                made_id = screen._last_made  # the highlight just made by enter
                assert made_id is not None
                made[made_id] = (start, end)
                n += 1
            while driver.poll() is None:
                await asyncio.sleep(0.05)
            driver_model, driver_times = finish(driver)
            await pilot.pause(0.3)  # a few polls
            # The reader shows both instances' highlights.
            shown = {entry.highlight_id for entry in screen.sidebar.entries}
            assert shown == set(made) | set(driver_model)
            status = str(screen.query_one("#status").render())
            assert f"{len(made) + len(driver_model)} highlights" in status
            assert not notifications(app, "error")
    finally:
        store.close()
    assert len(made) >= 2, n
    assert driver_times[0] < last_app_change  # the app wrote while the driver did
    integrity, foreign, rows = db_state(db)
    assert (integrity, foreign) == ("ok", [])
    assert set(rows) == set(made) | set(driver_model)
    assert all(rows[hid] == state for hid, state in driver_model.items())
    assert all((rows[hid]["start"], rows[hid]["end"]) == span for hid, span in made.items())


async def test_open_reader_shows_a_highlight_added_by_another_instance(
        db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader_module, "POLL_SECONDS", 0.1)
    mine, other = Store(db), Store(db)
    [info] = mine.list_briefings()
    text = mine.get_briefing(info.id).document.text
    quote = "His deputy was more careful."
    start = text.index(quote)
    app = BriefingApp(mine, info.id, config_path=tmp_path / "no-config.toml")
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ReaderScreen)
            screen.reader.focus()
            assert screen.sidebar.entries == []
            made = other.create_highlight(info.id, start, start + len(quote))
            other.set_stance(made.id, other.stance_by_key(1).id)
            await pilot.pause(0.4)
            [entry] = screen.sidebar.entries
            assert (entry.highlight_id, entry.quote, entry.stance) == (made.id, quote, "supports")
            assert "1 highlight" in str(screen.query_one("#status").render())
            # The text pane marks it too: ] jumps to it.
            await pilot.press("right_square_bracket")
            assert screen.reader.cursor == start
            # ... and a change made in this instance is seen by the other.
            await pilot.press("3")
            await pilot.pause()
            assert other.highlight(made.id).stance_id == other.stance_by_key(3).id
            other.delete_highlight(made.id)
            await pilot.pause(0.4)
            assert screen.sidebar.entries == []
    finally:
        mine.close()
        other.close()
