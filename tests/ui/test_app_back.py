"""Back from the first screen: a reader opened from the command line gives its place to the
library through public API (modes), and is let go; readers opened from there pop."""

from __future__ import annotations

from textual.widgets import DataTable

from briefing_tui.ui.screens.library import LibraryScreen
from briefing_tui.ui.screens.reader import ReaderScreen

SIZE = (100, 30)


async def test_escape_from_the_first_reader_frees_it_and_later_readers_pop(
        make_app, briefing_id) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        first = pilot.app.screen
        assert isinstance(first, ReaderScreen)
        first.reader.focus()
        await pilot.press("escape")
        await pilot.pause()
        assert [type(s) for s in pilot.app.screen_stack] == [LibraryScreen]
        assert not first.is_attached  # pruned with its stack, not kept under the library
        library = pilot.app.screen
        library.query_one("#briefings", DataTable).focus()
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        second = pilot.app.screen
        assert isinstance(second, ReaderScreen) and second is not first
        second.reader.focus()
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is library
        assert [type(s) for s in pilot.app.screen_stack] == [LibraryScreen]
