"""The sidebar's row cache: a scroll by one entry rebuilds only the rows new on screen."""

from __future__ import annotations

from typing import Any

from briefing_tui.ui.widgets.sidebar import Sidebar, SidebarEntry
from tests.ui.test_sidebar import entry, quote_style, rows, run


def count_builds(monkeypatch: Any) -> list[tuple[str, int]]:
    """Patch the two row builders to record (highlight id, row) per build."""
    built: list[tuple[str, int]] = []
    quote_row, meta_row = Sidebar._quote_row, Sidebar._meta_row

    def counting_quote(self: Sidebar, item: SidebarEntry, width: int) -> Any:
        built.append((item.highlight_id, 0))
        return quote_row(self, item, width)

    def counting_meta(self: Sidebar, item: SidebarEntry, width: int) -> Any:
        built.append((item.highlight_id, 1))
        return meta_row(self, item, width)

    monkeypatch.setattr(Sidebar, "_quote_row", counting_quote)
    monkeypatch.setattr(Sidebar, "_meta_row", counting_meta)
    return built


async def test_j_that_scrolls_by_one_entry_rebuilds_only_changed_rows(monkeypatch: Any) -> None:
    app, running = run([entry(i) for i in range(100)])
    async with running as pilot:
        sidebar = app.query_one(Sidebar)
        await pilot.press(*["j"] * 10)  # h9: the last entry on screen, nothing scrolled yet
        await pilot.pause()
        assert sidebar.selected_id == "h9" and sidebar.scroll_offset.y == 0
        built = count_builds(monkeypatch)
        await pilot.press("j")
        await pilot.pause()
        assert sidebar.selected_id == "h10" and sidebar.scroll_offset.y == 2
        screen = rows(sidebar)
        assert screen[0].startswith("▌ quote number 1 ")
        assert screen[-2].startswith("▌ quote number 10 ")
        # 20 rows on screen; only h9 (deselected) and h10 (new, selected) are rebuilt
        assert built and set(built) <= {("h9", 0), ("h9", 1), ("h10", 0), ("h10", 1)}


async def test_cached_rows_follow_selection_focus_and_entry_changes() -> None:
    app, running = run([entry(i) for i in range(3)])
    async with running as pilot:
        sidebar = app.query_one(Sidebar)
        await pilot.press("j")
        await pilot.pause()
        focused = quote_style(sidebar, 0)
        await pilot.press("j")
        await pilot.pause()
        assert quote_style(sidebar, 0) != focused  # h0 no longer selected
        await pilot.press("k")
        await pilot.pause()
        assert quote_style(sidebar, 0) == focused
        sidebar.blur()
        await pilot.pause()
        assert quote_style(sidebar, 0).bgcolor != focused.bgcolor
        sidebar.set_entries([entry(0, quote="changed words"), entry(1), entry(2)])
        await pilot.pause()
        assert rows(sidebar)[0].startswith("▌ changed words")
        sidebar.set_entries([entry(0, speaker="Someone Else"), entry(1), entry(2)])
        await pilot.pause()
        assert "Someone Else" in rows(sidebar)[1]
