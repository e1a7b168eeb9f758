"""A briefing with a long list of highlights opens with those of its first screen (#17):
the reader reads the highlights over the text around the cursor and the counts before its
first frame, and the whole list in a worker after it. What the analyst changes meanwhile,
and what another instance changes, is still shown once the whole list is in.

The worker is held in these tests (its function is swapped for one that waits), so the
first screen's state can be looked at, and then run on a thread as Textual would."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from briefing_tui.core.store import Store
from briefing_tui.ui.app import BriefingApp
from briefing_tui.ui.briefing_view import BriefingView
from briefing_tui.ui.screens import reader_sync
from briefing_tui.ui.screens.reader import ReaderScreen
from briefing_tui.ui.screens.reader_sync import ReaderSync
from tests.ui.test_reader_incremental import as_reloaded, many_highlights

SIZE = (100, 30)
COUNT = 300
SPAN = 300


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> list[ReaderSync]:
    """Long lists from 50 highlights on, a first screen of ±300 characters, and the
    worker held: the screens that would have run it."""
    monkeypatch.setattr(reader_sync, "WHOLE_UP_TO", 50)
    monkeypatch.setattr(reader_sync, "FIRST_SPAN", SPAN)
    screens: list[ReaderSync] = []
    original = ReaderSync._read_view
    monkeypatch.setattr(ReaderSync, "_read_view", lambda self: screens.append(self))
    monkeypatch.setattr(ReaderSync, "_original_read_view", original, raising=False)
    return screens


def opened_in_middle(tmp_path: Path) -> tuple[Store, str, int]:
    store, briefing_id = many_highlights(tmp_path, COUNT)
    middle = len(store.get_briefing(briefing_id).document.text) // 2
    store.save_reading_position(briefing_id, middle)
    return store, briefing_id, middle


@asynccontextmanager
async def reader_of(store: Store, briefing_id: str,
                    config_path: Path) -> AsyncIterator[tuple[Any, ReaderScreen]]:
    """The app opened on the briefing, after its first frame: (pilot, reader screen)."""
    app = BriefingApp(store, briefing_id, config_path=config_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        yield pilot, screen


def status(screen: ReaderScreen) -> str:
    return str(screen.query_one("#status").render())


async def run_worker(pilot, screen: ReaderSync) -> None:
    """The held worker, on a thread of its own as Textual runs it; then its frame."""
    await asyncio.to_thread(ReaderSync._original_read_view, screen)  # type: ignore[attr-defined]
    await pilot.pause()


async def test_long_list_opens_with_its_first_screen_then_the_whole(
        tmp_path: Path, held: list[ReaderSync], config_path: Path) -> None:
    store, briefing_id, middle = opened_in_middle(tmp_path)
    async with reader_of(store, briefing_id, config_path) as (pilot, screen):
        assert held == [screen] and screen.view_loading
        shown = screen.view.highlights
        # Only what lies over the text around the cursor was read...
        assert 0 < len(shown) < COUNT // 10
        assert all(h.start < middle + SPAN and h.end > middle - SPAN for h in shown)
        assert [e.highlight_id for e in screen.sidebar.entries] == [h.id for h in shown]
        # ... as a whole view would have it there, and the status line counts them all.
        whole = BriefingView.load(store, briefing_id)
        assert screen.view.covering(screen.reader.cursor) == whole.covering(middle)
        assert f"{COUNT} highlights" in status(screen)
        assert screen.sidebar.selected_id == whole.covering(middle).id  # type: ignore[union-attr]

        await run_worker(pilot, screen)
        assert not screen.view_loading
        assert len(screen.sidebar.entries) == COUNT
        as_reloaded(screen)
        assert f"{COUNT} highlights" in status(screen)


async def test_short_list_is_read_whole_before_the_first_frame(
        tmp_path: Path, held: list[ReaderSync], config_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader_sync, "WHOLE_UP_TO", COUNT)
    store, briefing_id, _middle = opened_in_middle(tmp_path)
    async with reader_of(store, briefing_id, config_path) as (_pilot, screen):
        assert held == [] and not screen.view_loading
        as_reloaded(screen)


async def test_a_change_made_while_the_whole_list_is_read_is_kept(
        tmp_path: Path, held: list[ReaderSync], config_path: Path) -> None:
    store, briefing_id, _middle = opened_in_middle(tmp_path)
    before = BriefingView.load(store, briefing_id)  # what a worker may have read first
    async with reader_of(store, briefing_id, config_path) as (pilot, screen):
        assert screen.view_loading
        screen.reader.focus()
        target = screen.view.covering(screen.reader.cursor)
        assert target is not None
        await pilot.press("1")  # the first stance, on the highlight under the cursor
        stance = screen.view.get(target.id).stance_id  # type: ignore[union-attr]
        assert stance is not None  # shown on the first screen's view at once
        screen._view_read(before, before.marks(), before.entries())  # the stale read lands
        await pilot.pause()
        assert not screen.view_loading
        assert screen.view.get(target.id).stance_id == stance  # type: ignore[union-attr]
        as_reloaded(screen)


async def test_another_instance_s_change_while_the_whole_list_is_read_is_shown(
        tmp_path: Path, held: list[ReaderSync], config_path: Path) -> None:
    store, briefing_id, _middle = opened_in_middle(tmp_path)
    before = BriefingView.load(store, briefing_id)
    far = before.highlights[0]  # at the text's start: not on the first screen
    async with reader_of(store, briefing_id, config_path) as (pilot, screen):
        assert screen.view_loading
        assert screen.view.get(far.id) is None
        with Store(store.path) as other:
            other.set_note(far.id, "seen by another analyst")
        screen.poll_store()  # its commit seen while the list is read: compared after
        screen._view_read(before, before.marks(), before.entries())
        await pilot.pause()
        assert screen.view.get(far.id).note == "seen by another analyst"  # type: ignore[union-attr]
        as_reloaded(screen)


async def test_bracket_keys_reach_highlights_the_first_screen_did_not_read(
        tmp_path: Path, held: list[ReaderSync], config_path: Path) -> None:
    """G then [ while the whole list is still read: the last highlight of the briefing
    (asked of the store), not the last the first screen read; a stance set there is its."""
    store, briefing_id, _middle = opened_in_middle(tmp_path)
    whole = BriefingView.load(store, briefing_id)
    last, second = whole.anchored[-1], whole.next_after(0)
    assert second is not None
    async with reader_of(store, briefing_id, config_path) as (pilot, screen):
        assert screen.view_loading and screen.view.get(last.id) is None
        screen.reader.focus()
        await pilot.press("G", "[")
        assert screen.reader.cursor == last.start
        assert screen.sidebar.selected_id == last.id
        await pilot.press("1")
        stored = BriefingView.load(store, briefing_id).get(last.id)
        assert stored is not None and stored.stance_id is not None
        await pilot.press("g", "]")
        assert screen.reader.cursor == second.start
        assert screen.view_loading  # all of it without the whole list
        await run_worker(pilot, screen)
        as_reloaded(screen)


async def test_counts_follow_changes_made_while_the_whole_list_is_read(
        tmp_path: Path, held: list[ReaderSync], config_path: Path) -> None:
    """The status line counts every highlight while the list is read: a delete, a new
    highlight, its undo each show at once (the store counts; the view holds only some)."""
    store, briefing_id, _middle = opened_in_middle(tmp_path)
    async with reader_of(store, briefing_id, config_path) as (pilot, screen):
        assert screen.view_loading and f"{COUNT} highlights" in status(screen)
        screen.reader.focus()
        assert screen.view.covering(screen.reader.cursor) is not None
        await pilot.press("x")  # delete the highlight under the cursor
        assert f"{COUNT - 1} highlights" in status(screen)
        await pilot.press("u")
        assert f"{COUNT} highlights" in status(screen)
        assert screen.view_loading
        await run_worker(pilot, screen)
        as_reloaded(screen)
        assert f"{COUNT} highlights" in status(screen)


async def test_a_jump_while_the_whole_list_is_read_shows_the_highlights_there(
        tmp_path: Path, held: list[ReaderSync], config_path: Path) -> None:
    """g (or G) while the list is read: the highlights over the text there are read then
    (one statement), marked, listed and under the keys; a move within what was read
    reads nothing more."""
    store, briefing_id, _middle = opened_in_middle(tmp_path)
    whole = BriefingView.load(store, briefing_id)

    def around(cursor: int) -> list[str]:
        return [h.id for h in whole.anchored if h.start < cursor + SPAN and h.end > cursor - SPAN]

    async with reader_of(store, briefing_id, config_path) as (pilot, screen):
        screen.reader.focus()
        for key in ("g", "G"):
            await pilot.press(key)
            await pilot.pause()  # the cursor is followed once the text's frame is out
            wanted = around(screen.reader.cursor)
            assert wanted or key == "G"  # the text ends with more than SPAN unmarked
            assert screen.view_loading
            assert all(screen.view.get(hid) is not None for hid in wanted)
            listed = {e.highlight_id for e in screen.sidebar.entries}
            assert listed.issuperset(wanted)
        assert len(screen.view.read_spans) == 3
        await pilot.press("k")  # still within what was read
        await pilot.pause()
        assert len(screen.view.read_spans) == 3
        await run_worker(pilot, screen)
        as_reloaded(screen)
