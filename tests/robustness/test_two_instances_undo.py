"""Two apps on one database: each `u` / `ctrl+r` undoes and redoes its own work only.

Both apps run at once (two Pilots in one event loop, each with its own ``Store``, as two
processes would have): A's undo never changes B's highlight, an undo that another instance
overtook is refused with a message, and a status line never goes on naming a stance the
other instance has changed since (each reader re-reads after the other's commits).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from briefing_tui.core.store import Store
from briefing_tui.ui.app import BriefingApp
from briefing_tui.ui.screens import reader as reader_module
from briefing_tui.ui.screens.reader import ReaderScreen
from tests.notices import notifications

SIZE = (100, 30)
FIRST = "His deputy was more careful."
SECOND = "He called the proposal"
POLLS = 0.4  # a few polls at POLL_SECONDS = 0.1


@pytest.fixture(autouse=True)
def _fast_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader_module, "POLL_SECONDS", 0.1)


def status(screen: ReaderScreen) -> str:
    return str(screen.query_one("#status").render())


def stances(screen: ReaderScreen) -> dict[str, str]:
    """What the sidebar shows: highlight quote start -> stance name."""
    return {entry.quote[:12]: entry.stance for entry in screen.sidebar.entries}


async def reader(pilot) -> ReaderScreen:
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ReaderScreen)
    screen.reader.focus()
    return screen


@asynccontextmanager
async def two_apps(db: Path, tmp_path: Path) -> AsyncIterator[tuple[Any, Any, Store, Any]]:
    """Two apps, each with its own Store on ``db``, both in the reader of its briefing:
    yields their pilots, A's store and the briefing's info."""
    store_a, store_b = Store(db), Store(db)
    [info] = store_a.list_briefings()
    app_a = BriefingApp(store_a, info.id, config_path=tmp_path / "none.toml")
    app_b = BriefingApp(store_b, info.id, config_path=tmp_path / "none.toml")
    try:
        async with app_a.run_test(size=SIZE) as a, app_b.run_test(size=SIZE) as b:
            await reader(a)
            await reader(b)
            yield a, b, store_a, info
    finally:
        store_a.close()
        store_b.close()


async def highlight(pilot, screen: ReaderScreen, needle: str, stance_key: str) -> None:
    start = screen.document.text.index(needle)
    screen.reader.select_span(start, start + len(needle))
    await pilot.press("enter", stance_key)
    await pilot.pause()


async def test_each_app_undoes_its_own_work_and_sees_the_other_s(
        db: Path, tmp_path: Path) -> None:
    async with two_apps(db, tmp_path) as (a, b, store_a, info):
        app_a, screen_a, screen_b = a.app, a.app.screen, b.app.screen
        await highlight(a, screen_a, FIRST, "1")  # A: supports
        await highlight(b, screen_b, SECOND, "2")  # B: opposes
        await a.pause(POLLS)
        await b.pause(POLLS)
        both = {FIRST[:12]: "supports", SECOND[:12]: "opposes"}
        assert stances(screen_a) == stances(screen_b) == both
        # A undoes three times: its stance, its highlight, then nothing; B's stays.
        await a.press("u")
        await a.pause()
        assert stances(screen_a) == {FIRST[:12]: "", SECOND[:12]: "opposes"}
        await a.press("u")
        await a.pause()
        assert stances(screen_a) == {SECOND[:12]: "opposes"}
        await a.press("u")
        await a.pause()
        assert "Nothing to undo" in notifications(app_a)
        [theirs] = store_a.highlights(info.id)
        assert theirs.exact.startswith(SECOND)
        assert theirs.stance_id == store_a.stance_by_key(2).id
        # B sees A's undo; its own undo history is whole.
        await b.pause(POLLS)
        assert stances(screen_b) == {SECOND[:12]: "opposes"}
        assert "1 highlight" in status(screen_b)
        await b.press("u")
        await b.pause()
        assert stances(screen_b) == {SECOND[:12]: ""}
        # A redoes its own: the highlight, then its stance; B's undo is not redone by A.
        await a.press("ctrl+r", "ctrl+r")
        await a.pause()
        assert stances(screen_a) == {FIRST[:12]: "supports", SECOND[:12]: ""}
        await a.press("ctrl+r")
        await a.pause()
        assert "Nothing to redo" in notifications(app_a)
        await b.pause(POLLS)
        assert stances(screen_b) == {FIRST[:12]: "supports", SECOND[:12]: ""}


async def test_an_overtaken_undo_is_refused_and_no_status_line_keeps_a_stale_stance(
        db: Path, tmp_path: Path) -> None:
    async with two_apps(db, tmp_path) as (a, b, store_a, info):
        screen_a, screen_b = a.app.screen, b.app.screen
        await highlight(a, screen_a, FIRST, "2")
        assert "stance: opposes" in status(screen_a)
        await b.pause(POLLS)
        # B puts its cursor on A's highlight and changes the stance.
        screen_b.reader.move_cursor(screen_b.document.text.index(FIRST))
        await b.press("4")
        await b.pause()
        assert "stance: neutral" in status(screen_b)
        await a.pause(POLLS)
        # A's status line no longer says "opposes": the database has "neutral" now.
        assert "opposes" not in status(screen_a)
        assert stances(screen_a) == {FIRST[:12]: "neutral"}
        # A's undo of its stance would overwrite B's: refused, B's stance stays.
        await a.press("u")
        await a.pause()
        assert "cannot undo set stance: another instance changed that highlight since" in (
            status(screen_a))
        [shared] = store_a.highlights(info.id)
        assert shared.stance_id == store_a.stance_by_key(4).id
        await b.pause(POLLS)
        assert stances(screen_b) == {FIRST[:12]: "neutral"}
        # B's own undo goes back to what B found: A's "opposes".
        await b.press("u")
        await b.pause()
        assert stances(screen_b) == {FIRST[:12]: "opposes"}
        await a.pause(POLLS)
        assert stances(screen_a) == {FIRST[:12]: "opposes"}
