"""A change in the reader costs what changed (#17.1): whatever the number of highlights,
each key that changes one highlight (create, stance, speaker, note, delete, undo, redo)
runs the same few SQL statements and rebuilds only that highlight's sidebar entry and
mark; another instance's change is shown the same way. The mechanism is counted
(statements through a sqlite3 trace callback, entries and marks as they are built),
never timed; and the panes end up exactly as a whole reload would draw them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from briefing_tui.core.importer import import_paths
from briefing_tui.core.store import Store
from briefing_tui.ui import briefing_view
from briefing_tui.ui.app import BriefingApp
from briefing_tui.ui.briefing_view import BriefingView
from briefing_tui.ui.screens.reader import ReaderScreen
from briefing_tui.ui.widgets.sidebar import SidebarEntry
from tests.ui.conftest import type_text

SIZE = (100, 30)
SMALL, LARGE = 100, 2000


def sentence(n: int) -> str:
    return f"Item {n} was noted by the desk."


def many_highlights(tmp_path: Path, count: int) -> tuple[Store, str]:
    """A briefing of ``count + 10`` sentences, the first ``count`` of them highlighted."""
    folder = tmp_path / f"n{count}"
    folder.mkdir()
    total = count + 10
    body = "\n\n".join(" ".join(sentence(p * 10 + i) for i in range(10))
                       for p in range(total // 10))
    path = folder / "many.md"
    path.write_text(f"---\ntitle: Many\n---\n\n{body}\n", encoding="utf-8")
    store = Store(folder / "briefings.db")
    [result] = import_paths(store, [path])
    text = store.get_briefing(result.briefing_id).document.text
    position = 0
    for n in range(count):
        position = text.find(sentence(n), position)
        store.create_highlight(result.briefing_id, position, position + len(sentence(n)))
    # A fresh instance: the undo steps of the set-up are not the reader's.
    store.close()
    return Store(folder / "briefings.db"), result.briefing_id


class Counts:
    """SQL statements run and sidebar entries / marks built while counting."""

    def __init__(self, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
        self.store = store
        self.statements: list[str] = []
        self.entries = 0
        self.marks = 0
        entry_type, mark_type = briefing_view.SidebarEntry, briefing_view.HighlightMark

        def counted_entry(**fields: object) -> SidebarEntry:
            self.entries += 1
            return entry_type(**fields)  # type: ignore[arg-type]

        def counted_mark(**fields: object) -> object:
            self.marks += 1
            return mark_type(**fields)  # type: ignore[arg-type]

        monkeypatch.setattr(briefing_view, "SidebarEntry", counted_entry)
        monkeypatch.setattr(briefing_view, "HighlightMark", counted_mark)

    async def of(self, pilot,
                 act: Callable[[], Awaitable[object]]) -> tuple[int, int, int, int]:
        """(statements, whole reads, entries, marks) of ``act``: whole reads are the
        statements reading the briefing's highlights without naming which."""
        self.statements.clear()
        self.entries = self.marks = 0
        self.store.conn.set_trace_callback(self.statements.append)
        try:
            await act()
            await pilot.pause()
        finally:
            self.store.conn.set_trace_callback(None)
        # The store's text cache may hit or miss on the first write (one statement,
        # whatever the number of highlights): not the mechanism counted here.
        counted = [s for s in self.statements if not s.startswith("SELECT reading_text")]
        whole = [s for s in counted if "FROM highlights" in s and "h.id IN (SELECT value" not in s
                 and "highlight_topics" not in s and "briefing_id = '" in s]
        return len(counted), len(whole), self.entries, self.marks


def as_reloaded(screen: ReaderScreen) -> None:
    """The panes show exactly what a whole reload would show."""
    fresh = BriefingView.load(screen.store, screen.briefing_id)
    assert list(screen.sidebar.entries) == fresh.entries()
    assert screen.reader._marks.marks == sorted(fresh.marks(), key=lambda m: (m.start, m.end))
    assert [h.id for h in screen.view.highlights] == [h.id for h in fresh.highlights]
    assert screen.view.status_line(title="t", percent=0, width=200) == fresh.status_line(
        title="t", percent=0, width=200)


async def run_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: Path,
                      count: int) -> dict[str, tuple[int, int, int, int]]:
    """Each change key pressed in a reader of ``count`` highlights: what it cost."""
    store, briefing_id = many_highlights(tmp_path, count)
    costs: dict[str, tuple[int, int, int, int]] = {}
    try:
        app = BriefingApp(store, briefing_id, config_path=config)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ReaderScreen)
            assert screen._poll_timer is not None
            screen._poll_timer.pause()  # no poll may land among the counted statements
            screen.reader.focus()
            text = screen.document.text
            counts = Counts(store, monkeypatch)
            # Highlight a sentence no highlight covers yet.
            start = text.find(sentence(count + 3))

            async def create() -> None:
                screen.reader.select_span(start, start + len(sentence(count + 3)))
                await pilot.press("enter")

            costs["create"] = await counts.of(pilot, create)
            assert screen.current_highlight() is not None
            costs["stance"] = await counts.of(pilot, lambda: pilot.press("2"))
            as_reloaded(screen)

            async def note() -> None:
                await pilot.press("c")
                await pilot.pause()
                await type_text(pilot, "ok")
                await pilot.press("ctrl+s")

            costs["note"] = await counts.of(pilot, note)

            async def speaker() -> None:
                await pilot.press("t")
                await pilot.pause()
                await type_text(pilot, "Ann Lee")
                await pilot.press("enter")

            costs["speaker"] = await counts.of(pilot, speaker)
            as_reloaded(screen)
            # An existing highlight (in the middle of the list) changed and deleted.
            middle = text.find(sentence(count // 2))
            screen.reader.move_cursor(middle)
            await pilot.pause()
            costs["stance-existing"] = await counts.of(pilot, lambda: pilot.press("1"))
            costs["delete"] = await counts.of(pilot, lambda: pilot.press("x"))
            as_reloaded(screen)
            costs["undo"] = await counts.of(pilot, lambda: pilot.press("u"))
            as_reloaded(screen)
            costs["redo"] = await counts.of(pilot, lambda: pilot.press("ctrl+r"))
            as_reloaded(screen)
            # Another instance sets a stance on one highlight and deletes another.
            other = Store(store.path)
            try:
                ids = [h.id for h in screen.view.highlights]
                other.set_stance(ids[0], other.stance_by_key(3).id)
                other.delete_highlight(ids[-1])
            finally:
                other.close()

            async def poll() -> None:
                screen.poll_store()

            costs["foreign"] = await counts.of(pilot, poll)
            as_reloaded(screen)
    finally:
        store.close()
    return costs


async def test_a_change_costs_the_same_at_100_and_2000_highlights(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config_path: Path) -> None:
    small = await run_changes(tmp_path, monkeypatch, config_path, SMALL)
    monkeypatch.undo()
    large = await run_changes(tmp_path, monkeypatch, config_path, LARGE)
    assert small == large, f"{SMALL} highlights: {small}\n{LARGE} highlights: {large}"
    for action, (statements, whole, entries, marks) in large.items():
        # Only the other instance's change reads the briefing's stamps (id, updated) to
        # learn which highlights changed; a change made here names them.
        assert whole == (1 if action == "foreign" else 0), (action, whole)
        # One highlight changed (two for the other instance's change): that many entries
        # and marks, never the list.
        assert entries <= 2, (action, entries)
        assert marks <= 4, (action, marks)  # the old mark out, the new one in
        assert statements <= 60, (action, statements)  # the note: a draft saved per key
