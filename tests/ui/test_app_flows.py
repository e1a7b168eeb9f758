"""App-level flows: back from the first screen (a reader opened from the command line gives
its place to the library through public API, modes, and is let go; readers opened from there
pop), and store changes made by the app reaching the readers through its signal."""

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


async def test_a_speaker_renamed_from_the_palette_reaches_the_reader_by_signal(
        make_app, store, briefing_id) -> None:
    from textual.widgets import Input

    speaker = store.create_speaker("Dmitry Peskov")
    made = store.create_highlight(briefing_id, 0, 10)
    store.set_speaker(made.id, speaker.id)
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader = pilot.app.screen
        assert isinstance(reader, ReaderScreen)
        assert [e.speaker for e in reader.sidebar.entries] == ["Dmitry Peskov"]
        pilot.app.edit_speaker("Dmitry Peskov")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        pilot.app.screen.query_one("#name", Input).value = "Dmitri Peskov"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is reader
        assert [e.speaker for e in reader.sidebar.entries] == ["Dmitri Peskov"]


async def test_reader_sidebar_filter_finds_aliases_topics_and_notes(
        make_app, store, briefing_id) -> None:
    """The reader gives the sidebar what its filter searches: aliases, topics and notes."""
    witkoff = store.create_speaker("Steve Witkoff", aliases=("Vitkoff",))
    first = store.create_highlight(briefing_id, 0, 10)
    second = store.create_highlight(briefing_id, 20, 30)
    store.set_speaker(first.id, witkoff.id)
    store.set_note(second.id, "the talks stall")
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader = pilot.app.screen
        assert isinstance(reader, ReaderScreen)
        reader.sidebar.set_filter("vitkoff")
        assert [e.highlight_id for e in reader.sidebar.visible_entries] == [first.id]
        reader.sidebar.set_filter("stall")
        assert [e.highlight_id for e in reader.sidebar.visible_entries] == [second.id]
