"""Pilot: ``M`` shows the speaker × stance grid (library, reader, palette), ``enter`` on a
cell lists its highlights, ``enter`` there opens the reader at one; the filter prompt;
hostile names render inert."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from briefing_tui.core.store import Store
from briefing_tui.ui.screens.help import HelpScreen
from briefing_tui.ui.screens.library import LibraryScreen
from briefing_tui.ui.screens.matrix import HighlightListScreen, MatrixScreen
from briefing_tui.ui.screens.reader import ReaderScreen
from tests.hostile import FORMULAS, PAYLOAD
from tests.ui.conftest import offset_of, type_text
from tests.ui.test_hostile_render import assert_inert

SIZE = (120, 32)


def annotate(store: Store, briefing_id: str, second_id: str) -> None:
    """Peskov: 2 opposes (one in each briefing, one with #ceasefire), 1 supports;
    Waltz: 1 neutral; one highlight with no speaker and no stance."""
    def mark(bid: str, needle: str, speaker: str | None, key: int | None,
             topics: tuple[str, ...] = ()) -> None:
        start = offset_of(store, bid, needle)
        h = store.create_highlight(bid, start, start + len(needle))
        if speaker:
            sp = store.find_speaker(speaker) or store.create_speaker(speaker)
            store.set_speaker(h.id, sp.id)
        if key:
            stance = store.stance_by_key(key)
            assert stance is not None
            store.set_stance(h.id, stance.id)
        if topics:
            store.set_topics(h.id, topics)

    mark(briefing_id, "We are not ready to sign anything today", "Dmitry Peskov", 2,
         ("ceasefire",))
    mark(briefing_id, "The proposal, he said, was a step back", "Dmitry Peskov", 1)
    mark(briefing_id, "Nobody expects a quick result", "Mike Waltz", 4)
    mark(briefing_id, "Talks resume on Friday", None, None)
    mark(second_id, "Insurers remain cautious", "Dmitry Peskov", 2)


def grid_rows(screen: MatrixScreen) -> list[list[str]]:
    table = screen.query_one("#matrix-grid", DataTable)
    return [[str(c) for c in table.get_row_at(r)] for r in range(table.row_count)]


async def open_matrix(pilot) -> MatrixScreen:
    await pilot.press("M")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, MatrixScreen)
    screen.query_one("#matrix-grid", DataTable).focus()
    return screen


async def test_M_shows_the_grid_and_enter_on_a_cell_lists_its_highlights(
        make_app, store, briefing_id, second_briefing_id) -> None:
    annotate(store, briefing_id, second_briefing_id)
    async with make_app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, LibraryScreen)
        pilot.app.screen.query_one("#briefings", DataTable).focus()
        screen = await open_matrix(pilot)
        assert grid_rows(screen) == [
            ["Dmitry Peskov", "1", "2", "·", "·", "·", "3"],
            ["Mike Waltz", "·", "·", "·", "1", "·", "1"],
            ["Unattributed", "·", "·", "·", "·", "1", "1"],
        ]
        table = screen.query_one("#matrix-grid", DataTable)
        opposes = store.stance_by_key(2)
        assert opposes is not None  # a count shows in its stance's colour
        cell = table.get_row_at(0)[2]
        assert cell.style.color.name == opposes.color.lower()  # type: ignore[union-attr]
        table.move_cursor(row=0, column=2)  # Peskov × opposes
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        listing = pilot.app.screen
        assert isinstance(listing, HighlightListScreen)
        rows = listing.query_one("#highlights-table", DataTable)
        quotes = [str(rows.get_row_at(r)[4]) for r in range(rows.row_count)]
        # Oldest briefing first: the grain review (February) before the crossing (March).
        assert quotes == ["Insurers remain cautious", "We are not ready to sign anything today"]
        assert [str(rows.get_row_at(r)[0]) for r in range(2)] == ["2025-02-11", "2025-03-20"]
        # enter opens the reader at the highlight; escape comes back to the list.
        rows.move_cursor(row=1)
        await pilot.press("enter")
        for _ in range(20):
            await pilot.pause()
            if isinstance(pilot.app.screen, ReaderScreen):
                break
        reader = pilot.app.screen
        assert isinstance(reader, ReaderScreen) and reader.briefing_id == briefing_id
        await pilot.pause()
        assert reader.reader.cursor == offset_of(store, briefing_id, "We are not ready")
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is listing
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is screen
        # The total column lists the whole row.
        table.move_cursor(row=0, column=6)
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.screen.query_one("#highlights-table", DataTable).row_count == 3


async def test_s_sorts_by_name_and_f_filters_by_topic_and_dates(
        make_app, store, briefing_id, second_briefing_id) -> None:
    annotate(store, briefing_id, second_briefing_id)
    async with make_app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        pilot.app.screen.query_one("#briefings", DataTable).focus()
        screen = await open_matrix(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert [r[0] for r in grid_rows(screen)] == ["Dmitry Peskov", "Mike Waltz",
                                                     "Unattributed"]
        store.create_speaker("Anna Abbott")  # no highlights: no row
        await pilot.press("f")
        await pilot.pause()
        await type_text(pilot, "#ceasefire")
        await pilot.press("enter")
        await pilot.pause()
        assert grid_rows(screen) == [["Dmitry Peskov", "·", "1", "·", "·", "1"]]
        assert "#ceasefire" in str(screen.query_one("#matrix-title").render())
        await pilot.press("f")
        await pilot.pause()
        field = screen.query_one("#matrix-filter")
        assert field.value == "#ceasefire"  # type: ignore[attr-defined]
        field.value = "until:2025-02"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert grid_rows(screen) == [["Dmitry Peskov", "·", "1", "·", "·", "1"]]
        assert screen.filters.until == "2025-02" and screen.filters.topic is None
        await pilot.press("f")
        await pilot.pause()
        field.value = "since:someday"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert screen.filters.until == "2025-02"  # a bad filter changes nothing
        await pilot.press("escape")  # closes the filter line
        await pilot.pause()
        assert pilot.app.screen is screen
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, LibraryScreen)


async def test_M_from_the_reader_and_the_palette_and_the_help(
        make_app, store, briefing_id) -> None:
    async with make_app(open_briefing_id=briefing_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader = pilot.app.screen
        assert isinstance(reader, ReaderScreen)
        reader.reader.focus()
        screen = await open_matrix(pilot)
        assert "No highlights match" in str(screen.query_one("#matrix-empty").render())
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is reader
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "stance matrix")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, MatrixScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        text = help_screen.key_text()
        assert "matrix.open" in text and "matrix.filter" in text and "highlights.open" in text


async def test_hostile_names_render_inert_in_the_grid_and_the_list(
        make_app, store, briefing_id, tmp_path: Path) -> None:
    start = offset_of(store, briefing_id, "We are not ready")
    h = store.create_highlight(briefing_id, start, start + 20)
    speaker = store.create_speaker(f"{FORMULAS[0]}{PAYLOAD}")
    store.set_speaker(h.id, speaker.id)
    store.set_topics(h.id, [f"t{PAYLOAD}"])
    with store.conn:  # a label set holding hostile text and a colour that is none
        store.conn.execute("UPDATE stances SET name = ?, color = ? WHERE key = 1",
                           (f"sup{PAYLOAD}", "not-a-colour"))
    stance = store.stance_by_key(1)
    assert stance is not None
    store.set_stance(h.id, stance.id)
    async with make_app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        pilot.app.screen.query_one("#briefings", DataTable).focus()
        screen = await open_matrix(pilot)
        assert_inert(pilot.app, shown=("Speaker × stance",))
        screen.query_one("#matrix-grid", DataTable).move_cursor(row=0, column=1)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HighlightListScreen)
        assert_inert(pilot.app, shown=("We are not ready",))
