"""Pilot: ctrl+f opens search from the library and the reader, enter opens the briefing at
the match, escape goes back; hostile snippets render no control character."""

from __future__ import annotations

from pathlib import Path

from briefing_tui.core.importer import import_paths
from briefing_tui.core.schema import READING_HEAD
from briefing_tui.core.store import Store
from briefing_tui.ui.screens.library import BriefingTable, LibraryScreen
from briefing_tui.ui.screens.reader import ReaderScreen
from briefing_tui.ui.screens.search import HitTable, SearchInput, SearchScreen
from tests.hostile import PAYLOAD, add_raw_hostile
from tests.ui.conftest import offset_of, type_text
from tests.ui.test_hostile_render import assert_inert

SIZE = (120, 36)


async def open_search(app, pilot) -> SearchScreen:
    await pilot.press("ctrl+f")
    await pilot.pause()
    assert isinstance(app.screen, SearchScreen)
    assert app.focused is app.screen.query_one(SearchInput)
    return app.screen


async def search_and_open(app, pilot, query: str, briefing_id: str, offset: int) -> None:
    """ctrl+f, type ``query``, enter: a reader of ``briefing_id`` with its cursor at ``offset``."""
    await open_search(app, pilot)
    await type_text(pilot, query)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.pause()
    assert isinstance(app.screen, ReaderScreen)
    assert app.screen.briefing_id == briefing_id
    assert app.screen.reader.cursor == offset


async def type_and_wait(app, pilot, text: str) -> None:
    """Type a query and wait until the hits of the search that follows are shown."""
    await type_text(pilot, text)
    await app.workers.wait_for_complete()
    await pilot.pause(0.3)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_from_the_library_enter_opens_the_reader_at_the_match(
        make_app, store: Store, briefing_id: str, second_briefing_id: str) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        app.screen.query_one(BriefingTable).focus()
        await search_and_open(app, pilot, "convoys", briefing_id,
                              offset_of(store, briefing_id, "convoys"))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        # Left without moving: the match is where the briefing reopens next time.
        assert store.reading_position(briefing_id) == offset_of(store, briefing_id, "convoys")


async def test_results_follow_the_typing_and_arrows_choose_the_hit(
        make_app, store: Store, briefing_id: str, second_briefing_id: str) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one(BriefingTable).focus()
        screen = await open_search(app, pilot)
        await type_and_wait(app, pilot, "talks OR shipments")
        assert {hit.briefing_id for hit in screen.hits} == {briefing_id, second_briefing_id}
        assert screen.query_one(HitTable).row_count == len(screen.hits)
        target = next(i for i, hit in enumerate(screen.hits)
                      if hit.briefing_id == second_briefing_id)
        for _ in range(target):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.briefing_id == second_briefing_id
        assert app.screen.reader.cursor == offset_of(store, second_briefing_id, "Shipments")


async def test_escape_goes_back_without_opening(make_app, briefing_id: str) -> None:
    app = make_app(briefing_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader = app.screen
        reader.reader.focus()
        await open_search(app, pilot)
        await type_text(pilot, "envoy")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is reader


async def test_from_the_reader_a_hit_in_the_same_briefing_moves_its_cursor(
        make_app, store: Store, briefing_id: str) -> None:
    app = make_app(briefing_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader = app.screen
        reader.reader.focus()
        reader.reader.move_cursor(0)
        await open_search(app, pilot)
        await type_text(pilot, '"next round"')
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is reader
        assert reader.reader.cursor == offset_of(store, briefing_id, "next round")


async def test_a_match_past_the_first_screen_of_a_long_briefing_opens_there(
        make_app, store: Store, tmp_path: Path, briefing_id: str) -> None:
    long = tmp_path / "long.md"
    filler = "\n\n".join(f"Paragraph {i} says nothing new about the weather." for i in range(2000))
    long.write_text(f"# Long one\n\n{filler}\n\nAt last the word zugzwang appears.\n",
                    encoding="utf-8")
    [result] = import_paths(store, [long])
    offset = offset_of(store, result.briefing_id, "zugzwang")
    assert offset > READING_HEAD
    app = make_app(briefing_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.reader.focus()
        await search_and_open(app, pilot, "zugzwang", result.briefing_id, offset)


async def test_hostile_titles_and_snippets_render_inert(make_app, store: Store,
                                                        tmp_path: Path) -> None:
    hostile_id = add_raw_hostile(store, tmp_path)
    hid = store.create_highlight(hostile_id, 0, 5).id
    store.set_note(hid, f"minister {PAYLOAD} note")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one(BriefingTable).focus()
        screen = await open_search(app, pilot)
        await type_and_wait(app, pilot, "minister")
        assert {hit.kind for hit in screen.hits} >= {"text", "note"}
        assert any("\x1b" in hit.snippet or "\x9b" in hit.snippet for hit in screen.hits)
        assert_inert(app, shown=("minister",))
