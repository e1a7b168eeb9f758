"""Pilot tests of the reading points of issue 14 (#14.7): word motions over apostrophes,
sentences after an ellipsis, ``v`` then ``)``, ``"`` outside a quotation, scrolloff,
find highlighting every match with "match k of n", and the remembered reading position."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.strip import Strip

from briefing_tui.core.document import Document, parse_markdown, parse_text
from briefing_tui.ui.screens.library import LibraryScreen
from briefing_tui.ui.widgets.reader_view import SCROLLOFF, ReaderView
from tests.ui.conftest import offset_of, type_text
from tests.ui.test_keys_reader import import_long, open_reader
from tests.ui.test_reader_view import SIZE, ReaderApp, cell_styles, lines_doc, row_of, started

# -- w / b: apostrophes inside words -----------------------------------------------------


async def test_word_keys_keep_an_apostrophe_inside_the_word() -> None:
    text = "We don't know. Це об'єднує всіх, обʼєднує й об’єднує."
    words = ["We", "don't", "know", "Це", "об'єднує", "всіх", "обʼєднує", "й", "об’єднує"]
    starts = []
    at = 0
    for word in words:
        at = text.index(word, at)
        starts.append(at)
    async with ReaderApp(Document(text=text)).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        for expected in starts[1:]:
            await pilot.press("w")
            assert reader.cursor == expected, text[reader.cursor:]
        for expected in reversed(starts[:-1]):
            await pilot.press("b")
            assert reader.cursor == expected, text[reader.cursor:]


# -- s: a sentence after an ellipsis -------------------------------------------------------


async def test_s_on_a_sentence_after_an_ellipsis_leaves_the_ellipsis_out() -> None:
    doc = parse_text("Talks failed. ... Then they resumed.\n\n… Next day they met. Done.")
    text = doc.text
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        for sentence in ("Then they resumed.", "Next day they met."):
            reader.move_cursor(text.index(sentence) + 6)
            await pilot.press("s")
            start, end = reader.selection  # type: ignore[misc]
            assert text[start:end] == sentence


# -- v then ) ----------------------------------------------------------------------------


async def test_v_then_right_parenthesis_selects_to_the_end_of_the_sentence() -> None:
    doc = parse_markdown("First one here. Last of the paragraph.\n\nNext paragraph starts.\n")
    text = doc.text
    last = text.index("Last")
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        reader.move_cursor(last)
        await pilot.press("v", "right_parenthesis")
        start, end = reader.selection  # type: ignore[misc]
        assert text[start:end] == "Last of the paragraph."
        await pilot.press("right_parenthesis")  # then the next sentence, whole
        start, end = reader.selection  # type: ignore[misc]
        assert text[start:end] == "Last of the paragraph.\n\nNext paragraph starts."
        await pilot.press("v")
        reader.move_cursor(0)
        await pilot.press("right_parenthesis")  # without a selection: the next start
        assert reader.cursor == text.index("Last")


# -- " outside any quotation -------------------------------------------------------------


async def test_quotation_key_outside_a_quotation_says_so(make_app, store, briefing_id) -> None:
    async with make_app(briefing_id).run_test(size=(100, 30)) as pilot:
        screen = await open_reader(pilot)
        screen.reader.move_cursor(offset_of(store, briefing_id, "envoy met"))
        await pilot.press("quotation_mark")
        await pilot.pause()
        assert screen.reader.selection is None
        assert "no quotation under the cursor" in str(screen.query_one("#status").render())


# -- scrolloff ----------------------------------------------------------------------------


async def test_the_cursor_keeps_two_rows_from_the_edges() -> None:
    doc = lines_doc()
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        height = reader.scrollable_content_region.height
        assert SCROLLOFF == 2
        for _ in range(height - 1 - SCROLLOFF):  # down to the last row outside the margin
            await pilot.press("j")
        assert reader.scroll_y == 0
        await pilot.press("j")  # into the margin: the text scrolls by a row
        assert reader.scroll_y == 1
        assert row_of(reader, reader.cursor) == height - 1 - SCROLLOFF
        top = round(reader.scroll_y)
        for _ in range(height - 1 - 2 * SCROLLOFF):  # up to the top margin's edge
            await pilot.press("k")
        assert round(reader.scroll_y) == top
        await pilot.press("k")
        assert round(reader.scroll_y) == top - 1
        assert row_of(reader, reader.cursor) == SCROLLOFF


async def test_scrolloff_gives_way_at_the_start_and_end_of_the_text() -> None:
    doc = lines_doc()
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        height = reader.scrollable_content_region.height
        await pilot.press("j")  # row 1, at the start: nothing to scroll
        assert reader.scroll_y == 0 and reader.cursor == 9
        await pilot.press("G")
        assert reader.scroll_y == reader.max_scroll_y
        assert row_of(reader, reader.cursor) == height - 1
        await pilot.press("k")  # in the bottom margin at the end: stays
        assert reader.scroll_y == reader.max_scroll_y


# -- find: every match drawn, "match k of n" ---------------------------------------------


def found_cells(reader) -> set[int]:  # type: ignore[no-untyped-def]
    """Offsets on screen drawn with the find look (its background)."""
    found_bg = reader.painter.looks.style("found").bgcolor
    offsets: set[int] = set()
    for y, entry in enumerate(reader._view_rows()):
        if entry is None:
            continue
        start, end = entry[2], entry[3]
        cells = cell_styles(reader.render_line(y))[1:]  # past the gutter
        for i, (_, style) in enumerate(cells[: end - start]):
            if style.bgcolor == found_bg:
                offsets.add(start + i)
    return offsets


async def test_find_draws_every_match_on_screen_and_counts_them(monkeypatch) -> None:
    from briefing_tui.ui.widgets import reader_view

    text = "\n".join(f"line {i:03} talks" if i % 3 == 0 else f"line {i:03} rests"
                     for i in range(60))
    scans = []
    real_find_all = reader_view.find_all

    def counting(text: str, query: str):  # type: ignore[no-untyped-def]
        scans.append(query)
        return real_find_all(text, query)

    monkeypatch.setattr(reader_view, "find_all", counting)
    async with ReaderApp(Document(text=text)).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        assert reader.find_count is None
        assert reader.find("TALKS") == text.index("talks", 1)
        await pilot.pause()
        starts = [i for i in range(len(text)) if text.startswith("talks", i)]
        shown = {o for s in starts for o in range(s, s + 5)
                 if reader._view_rows()[-1][3] > o}  # those on screen
        assert len(shown) > 5 * 5
        assert found_cells(reader) == shown  # the cursor's cell too, reversed
        assert reader.find_count == (1, len(starts))
        reader.find_next()
        reader.find_next()
        assert reader.find_count == (3, len(starts))
        reader.move_cursor(text.index("rests"))
        assert reader.find_count == (0, len(starts))
        await pilot.pause()
        assert scans == ["TALKS"]  # once per query, not per frame or key
        reader.clear_find()
        await pilot.pause()
        assert found_cells(reader) == set() and reader.find_count is None


async def test_status_line_shows_match_k_of_n(make_app, store, briefing_id) -> None:
    text = store.get_briefing(briefing_id).document.text
    count = text.lower().count("delegations")
    assert count == 2
    async with make_app(briefing_id).run_test(size=(100, 30)) as pilot:
        screen = await open_reader(pilot)
        screen.reader.move_cursor(0)
        await pilot.press("slash")
        await pilot.pause()
        await type_text(pilot, "delegations")
        await pilot.press("enter")
        await pilot.pause()
        assert "match 1 of 2" in status(screen)
        await pilot.press("n")
        await pilot.pause()
        assert "match 2 of 2" in status(screen)
        await pilot.press("w")
        await pilot.pause()
        assert "2 matches" in status(screen)
        await pilot.press("slash", "enter")  # an empty search forgets it
        await pilot.pause()
        assert "match" not in status(screen)
        assert screen.reader.find_count is None


def status(screen) -> str:  # type: ignore[no-untyped-def]
    return str(screen.query_one("#status").render())


# -- the reading position ---------------------------------------------------------------


def cursor_screen_row(reader) -> int:  # type: ignore[no-untyped-def]
    line, row, _ = reader._position(reader.cursor)
    return reader._row_y(line, row) - round(reader.scroll_y)


async def test_a_briefing_reopens_where_the_analyst_left_it(
        make_app, store, tmp_path) -> None:
    briefing_id, text = import_long(store, tmp_path)
    far = text.index("Paragraph 150 ") + 4
    async with make_app(briefing_id).run_test(size=(100, 30)) as pilot:
        screen = await open_reader(pilot)
        screen.reader.move_cursor(far, center=True)
        await pilot.press("escape")  # back to the library: the position is kept
        await pilot.pause()
        assert isinstance(pilot.app.screen, LibraryScreen)
        assert store.reading_position(briefing_id) == far
        pilot.app.open_briefing(briefing_id)
        await pilot.pause()
        await pilot.pause()
        screen = await open_reader(pilot)
        reader = screen.reader
        assert reader.cursor == far
        assert 0 < cursor_screen_row(reader) < reader._view_height() - 1  # on screen
        assert row_of(reader, far) == cursor_screen_row(reader)


async def test_the_position_is_kept_on_quitting_and_restored_at_start(
        make_app, store, tmp_path) -> None:
    briefing_id, text = import_long(store, tmp_path)
    far = text.index("Paragraph 120 ")
    async with make_app(briefing_id).run_test(size=(100, 30)) as pilot:
        screen = await open_reader(pilot)
        screen.reader.move_cursor(far)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert store.reading_position(briefing_id) == far
    async with make_app(briefing_id).run_test(size=(100, 30)) as pilot:  # opened at start-up
        screen = await open_reader(pilot)
        assert screen.reader.cursor == far
        assert row_of(screen.reader, far) == cursor_screen_row(screen.reader)


async def test_a_stored_position_past_the_text_is_clamped(make_app, store, briefing_id) -> None:
    length = len(store.get_briefing(briefing_id).document.text)
    store.save_reading_position(briefing_id, length + 500)  # the text was shortened since
    async with make_app(briefing_id).run_test(size=(100, 30)) as pilot:
        screen = await open_reader(pilot)
        assert screen.reader.cursor == length - 1


async def test_the_position_is_saved_once_the_cursor_rests(make_app, store, briefing_id) -> None:
    async with make_app(briefing_id).run_test(size=(100, 30)) as pilot:
        screen = await open_reader(pilot)
        target = offset_of(store, briefing_id, "spokesman")
        screen.reader.move_cursor(target)
        screen.poll_store()  # it just moved: not yet
        assert store.reading_position(briefing_id) == 0
        screen.poll_store()  # unmoved for a whole poll interval: stored
        assert store.reading_position(briefing_id) == target
        writes = store.conn.total_changes
        screen.poll_store()  # unchanged: no write
        assert store.conn.total_changes == writes


class FirstFrameReader(ReaderView):
    """Records the scroll position its first row was drawn at."""

    first_top: float | None = None

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        if self.first_top is None:
            self.first_top = self.scroll_y
        return strip


class ShowAtApp(ReaderApp):
    """The reader placed with show_at before it has a size, as a reopened briefing is."""

    def compose(self) -> ComposeResult:
        yield FirstFrameReader(self.document)

    def on_mount(self) -> None:
        self.query_one(FirstFrameReader).show_at(150 * 9 + 3)


async def test_show_at_before_the_first_frame_draws_that_frame_at_the_cursor() -> None:
    async with ShowAtApp(lines_doc()).run_test(size=SIZE) as pilot:
        reader = pilot.app.query_one(FirstFrameReader)
        await pilot.pause()
        assert reader.cursor == 150 * 9 + 3
        assert reader.first_top is not None and reader.first_top > 100  # no flash of the top
        assert row_of(reader, reader.cursor) == reader._view_height() // 2


async def test_a_long_text_jumps_at_once_and_counts_in_a_worker(make_app, store, briefing_id,
                                                                 monkeypatch) -> None:
    """#17.3: past FIND_SYNC_CHARS the search jumps to the nearest match without folding
    the whole text on the UI thread; the status line says "counting" until the worker
    has every match, then "match k of n"."""
    from briefing_tui.ui.widgets import reader_view

    monkeypatch.setattr(reader_view, "FIND_SYNC_CHARS", 10)  # the sample is "long" now
    text = store.get_briefing(briefing_id).document.text
    started_counting = []
    real_find_all = reader_view.find_all_chunked  # the worker's, a chunk at a time

    def slow_count(text: str, query: str):  # type: ignore[no-untyped-def]
        started_counting.append(query)
        return real_find_all(text, query)

    monkeypatch.setattr(reader_view, "find_all_chunked", slow_count)
    async with make_app(briefing_id).run_test(size=(100, 30)) as pilot:
        screen = await open_reader(pilot)
        reader = screen.reader
        reader.move_cursor(0)
        assert reader.find("DELEGATIONS") == text.lower().index("delegations")
        assert reader.find_counting and "counting matches…" in screen.find_status()
        await pilot.app.workers.wait_for_complete()
        for _ in range(3):  # the count arrives, then the status line follows a frame later
            await pilot.pause()
        assert started_counting == ["DELEGATIONS"]
        assert not reader.find_counting
        assert "match 1 of 2" in status(screen)
        assert reader.find("no such words anywhere") is None
        assert reader.find_count is None
