"""Pilot tests of ReaderView: every key, selection, text objects, find, mouse,
resize, drawing (styles, highlights, gutter) and a 5 MB document."""

from __future__ import annotations

from itertools import pairwise
from typing import ClassVar

from rich.style import Style
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.strip import Strip

from briefing_tui.core.document import Block, Document, Span, parse_markdown
from briefing_tui.ui.widgets.reader_view import SCROLLOFF, ReaderView
from briefing_tui.ui.widgets.row_painter import GUTTER_MARK, HighlightMark
from briefing_tui.ui.widgets.wrap import text_cells

SIZE = (80, 24)

# Our own writing (not from the corpus).
SAMPLE_MD = """# Truce talks stall

The envoy said talks were "far from over." Officials in the capital disagreed. \
A third sentence closes the paragraph.

Second paragraph starts here. It has *two* sentences.

> A quoted block of text.

- first bullet point
- second bullet point
"""


class ReaderApp(App[None]):
    """A tiny host: the reader alone; escape reaches the app as "back"."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back")]

    def __init__(self, document: Document, marks: tuple[HighlightMark, ...] = ()) -> None:
        super().__init__()
        self.document = document
        self.marks = marks
        self.backs = 0
        self.messages: list[object] = []

    def compose(self) -> ComposeResult:
        yield ReaderView(self.document, self.marks)

    def action_back(self) -> None:
        self.backs += 1

    def on_reader_view_cursor_moved(self, event: ReaderView.CursorMoved) -> None:
        self.messages.append(("cursor", event.offset))

    def on_reader_view_selection_changed(self, event: ReaderView.SelectionChanged) -> None:
        self.messages.append(("selection", event.selection))


def lines_doc(count: int = 200) -> Document:
    """One short line per row: row arithmetic is easy to check."""
    return Document(text="\n".join(f"line {i:03}" for i in range(count)))


async def started(pilot) -> ReaderView:  # type: ignore[no-untyped-def]
    reader = pilot.app.query_one(ReaderView)
    reader.focus()
    await pilot.pause()
    return reader


def cell_styles(strip: Strip) -> list[tuple[str, Style]]:
    """(character, style) of every cell of a rendered row."""
    cells: list[tuple[str, Style]] = []
    for segment in strip:
        for char in segment.text:
            cells.append((char, segment.style or Style()))
    return cells


def row_of(reader: ReaderView, offset: int) -> int:
    """Screen row showing ``offset`` (asserts it is on screen)."""
    for y, entry in enumerate(reader._view_rows()):
        if entry and entry[2] <= offset < entry[3]:
            return y
    raise AssertionError(f"offset {offset} not on screen")


def style_of(reader: ReaderView, offset: int) -> Style:
    y = row_of(reader, offset)
    start = reader._view_rows()[y][2]
    text = reader.document.text[start:offset]
    return cell_styles(reader.render_line(y))[1 + text_cells(text)][1]


# -- keys ------------------------------------------------------------------------


async def test_row_keys_move_by_row_and_keep_the_column() -> None:
    doc = Document(text="abcdefgh\nab\nabcdefgh")
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        await pilot.press("l", "l", "l", "l", "l")
        assert reader.cursor == 5
        await pilot.press("j")
        assert reader.cursor == 11  # "ab" is short: its end-of-line cell
        await pilot.press("down")
        assert reader.cursor == 12 + 5  # column 5 remembered
        await pilot.press("k")
        assert reader.cursor == 11
        await pilot.press("up")
        assert reader.cursor == 5
        await pilot.press("k")  # first row: stays
        assert reader.cursor == 5


async def test_row_keys_follow_wrapped_rows() -> None:
    doc = Document(text="word " * 40 + "end")
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        width = reader._ensure_layout().width
        rows = reader._ensure_layout().rows(0)
        assert len(rows) > 1 and rows[1] <= width
        await pilot.press("j")
        assert reader.cursor == rows[1]
        await pilot.press("j")
        assert reader.cursor == rows[2]


async def test_character_keys_cross_line_ends() -> None:
    doc = Document(text="ab\ncd")
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        await pilot.press("l", "right", "l")
        assert reader.cursor == 3
        await pilot.press("h")
        assert reader.cursor == 2  # the end-of-line cell
        await pilot.press("left", "left", "h")
        assert reader.cursor == 0
        await pilot.press("l", "l", "l", "l", "l", "l")
        assert reader.cursor == 4  # clamped at the last character


async def test_word_keys_move_by_word_start_unicode_aware() -> None:
    text = "Hello, wörld — naïve café\nnext"
    doc = Document(text=text)
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        starts = [text.index(w) for w in ("wörld", "naïve", "café", "next")]
        for expected in starts:
            await pilot.press("w")
            assert reader.cursor == expected
        await pilot.press("l", "l")
        await pilot.press("b")
        assert reader.cursor == starts[-1]
        for expected in reversed([0, *starts[:-1]]):
            await pilot.press("b")
            assert reader.cursor == expected


async def test_sentence_keys() -> None:
    doc = parse_markdown(SAMPLE_MD)
    starts = [start for start, _ in doc.sentences]
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        for expected in starts[1:5]:
            await pilot.press("right_parenthesis")
            assert reader.cursor == expected
        await pilot.press("l", "l", "left_parenthesis")
        assert reader.cursor == starts[4]  # start of the sentence we are in
        await pilot.press("left_parenthesis")
        assert reader.cursor == starts[3]


async def test_paragraph_keys() -> None:
    doc = parse_markdown(SAMPLE_MD)
    starts = [block.start for block in doc.blocks]
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        await pilot.press("right_curly_bracket")
        assert reader.cursor == starts[1]
        await pilot.press("right_curly_bracket")
        assert reader.cursor == starts[2]
        await pilot.press("w", "left_curly_bracket")
        assert reader.cursor == starts[2]
        await pilot.press("left_curly_bracket")
        assert reader.cursor == starts[1]


async def test_start_and_end_keys() -> None:
    doc = lines_doc()
    last = len(doc.text) - 1
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        await pilot.press("G")
        assert reader.cursor == last
        assert reader.scroll_y == reader.max_scroll_y > 0
        await pilot.press("g")
        assert reader.cursor == 0 and reader.scroll_y == 0
        await pilot.press("end")
        assert reader.cursor == last
        await pilot.press("home")
        assert reader.cursor == 0


async def test_page_keys_move_by_the_viewport_height() -> None:
    doc = lines_doc()
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        height = reader.scrollable_content_region.height
        await pilot.press("l", "l", "pagedown")
        # The cursor was on the top row (the start of the text): the page below puts it
        # SCROLLOFF rows from the top. Each line is 8 characters + newline.
        assert reader.cursor == (height + SCROLLOFF) * 9 + 2
        assert reader.scroll_y == height
        await pilot.press("pagedown")
        assert reader.cursor == (2 * height + SCROLLOFF) * 9 + 2
        await pilot.press("pageup")
        assert reader.cursor == (height + SCROLLOFF) * 9 + 2
        assert reader.scroll_y == height


async def test_v_starts_a_selection_that_motions_extend_and_v_cancels() -> None:
    doc = Document(text="alpha beta gamma")
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        await pilot.press("w", "v")
        assert reader.selection == (6, 7)
        await pilot.press("w")
        assert reader.selection == (6, 12)
        await pilot.press("b", "b")
        assert reader.selection == (0, 7)
        await pilot.press("v")
        assert reader.selection is None
        assert reader.cursor == 0


async def test_escape_clears_the_selection_else_bubbles() -> None:
    doc = Document(text="alpha beta gamma")
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        await pilot.press("v", "l", "escape")
        assert reader.selection is None
        assert pilot.app.backs == 0
        await pilot.press("escape")
        assert pilot.app.backs == 1


async def test_shift_arrows_extend_and_a_plain_motion_drops_the_selection() -> None:
    doc = Document(text="abcdef\nghijkl")
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        await pilot.press("l", "shift+right", "shift+right")
        assert reader.selection == (1, 4)
        await pilot.press("shift+down")
        assert reader.selection == (1, 11)
        await pilot.press("shift+up", "shift+left")
        assert reader.selection == (1, 3)
        await pilot.press("l")
        assert reader.selection is None
        assert reader.cursor == 3


async def test_text_objects_select_sentence_paragraph_and_inner_quotation() -> None:
    doc = parse_markdown(SAMPLE_MD)
    text = doc.text
    inside = text.index("far from")
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        reader.move_cursor(inside)
        await pilot.press("s")
        start, end = reader.selection  # type: ignore[misc]
        assert text[start:end] == 'The envoy said talks were "far from over."'
        assert reader.cursor == end - 1
        reader.move_cursor(inside)
        await pilot.press("quotation_mark")
        start, end = reader.selection  # type: ignore[misc]
        assert text[start:end] == "far from over."
        reader.move_cursor(inside)
        await pilot.press("p")
        start, end = reader.selection  # type: ignore[misc]
        assert text[start:end].startswith("The envoy") and text[start:end].endswith("paragraph.")
        await pilot.press("right_parenthesis")  # a text object leaves selection mode on
        assert reader.selection is not None and reader.selection[0] == start


async def test_text_objects_do_nothing_where_there_is_none() -> None:
    doc = Document(text="no quotes here", sentences=[(0, 14)])
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        await pilot.press("quotation_mark")
        assert reader.selection is None


async def test_bindings_have_reader_ids_and_descriptions() -> None:
    bindings = [b for b in ReaderView.BINDINGS if isinstance(b, Binding)]
    assert len(bindings) == len(ReaderView.BINDINGS)
    assert all(b.id and b.id.startswith("reader.") and b.description for b in bindings)
    assert len({b.id for b in bindings}) == len(bindings)
    shown = {b.id for b in bindings if b.show}
    assert {"reader.select", "reader.select_sentence"} <= shown


async def test_messages_report_cursor_and_selection() -> None:
    doc = Document(text="alpha beta")
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("w", "v", "l")
        await pilot.pause()
        assert pilot.app.messages == [
            ("cursor", 6),
            ("selection", (6, 7)),
            ("cursor", 7),
            ("selection", (6, 8)),
        ]


async def test_public_api_move_select_clear_set_document_percent() -> None:
    doc = lines_doc()
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        reader.move_cursor(900, center=True)
        assert reader.cursor == 900
        assert reader.scroll_y > 0
        assert reader.percent == 900 * 100 // (len(doc.text) - 1)
        reader.move_cursor(950, select=True)
        assert reader.selection == (900, 951)
        reader.select_span(10, 20)
        assert reader.selection == (10, 20) and reader.cursor == 19
        reader.clear_selection()
        assert reader.selection is None and reader.cursor == 19
        reader.set_document(Document(text="fresh"))
        assert reader.cursor == 0 and reader.document.text == "fresh"
        assert reader.scroll_y == 0


# -- find ------------------------------------------------------------------------


async def test_find_is_case_insensitive_and_wraps_both_ways() -> None:
    text = "Peskov said no. Later PESKOV said yes. Then peskov left."
    doc = Document(text=text)
    matches = [0, text.index("PESKOV"), text.index("peskov")]
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        assert reader.find("peskov") == matches[1]
        assert reader.cursor == matches[1]
        assert reader.find_next() == matches[2]
        assert reader.find_next() == matches[0]  # wrapped
        assert reader.find_previous() == matches[2]  # wrapped backwards
        assert reader.find_previous() == matches[1]
        assert reader.find("absent") is None
        assert reader.cursor == matches[1]


async def test_find_when_lower_casing_changes_lengths() -> None:
    text = "İstanbul talks. The talks ended."
    doc = Document(text=text)
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        assert reader.find("TALKS") == text.index("talks")
        assert reader.find_next() == text.rindex("talks")
        assert reader.find_previous() == text.index("talks")


# -- mouse -----------------------------------------------------------------------


async def test_click_places_the_cursor_past_the_gutter_and_wide_characters() -> None:
    doc = Document(text="中文 text\nsecond line")
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        await pilot.click(ReaderView, offset=(1 + 3, 0))  # second cell of 文
        assert reader.cursor == 1
        await pilot.click(ReaderView, offset=(1 + 5, 0))
        assert reader.cursor == 3  # "t"
        await pilot.click(ReaderView, offset=(1 + 2, 1))
        assert reader.cursor == doc.text.index("second") + 2
        await pilot.click(ReaderView, offset=(60, 1))  # past the end of the line
        assert reader.cursor == len(doc.text) - 1


async def test_drag_selects() -> None:
    doc = Document(text="alpha beta gamma\ndelta")
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        await pilot.mouse_down(ReaderView, offset=(1 + 6, 0))
        await pilot.hover(ReaderView, offset=(1 + 2, 1))
        await pilot.mouse_up(ReaderView, offset=(1 + 2, 1))
        assert reader.selection == (6, doc.text.index("delta") + 3)
        await pilot.click(ReaderView, offset=(1, 0))
        assert reader.selection is None and reader.cursor == 0


# -- layout ----------------------------------------------------------------------


async def test_rows_fit_the_width_with_cjk_and_emoji() -> None:
    doc = Document(text=("中文字符 emoji 😀😀 mixed text " * 30).strip())
    async with ReaderApp(doc).run_test(size=(40, 20)) as pilot:
        reader = await started(pilot)
        width = reader.scrollable_content_region.width
        seen = ""
        for y in range(reader.scrollable_content_region.height):
            entry = reader._view_rows()[y]
            assert entry is not None
            row_text = doc.text[entry[2] : entry[3]]
            assert text_cells(row_text) <= width - 1
            seen += row_text
            strip = reader.render_line(y)
            # The cells the segments take, not only the length the Strip was told.
            assert strip.cell_length == text_cells(strip.text) == width
        assert doc.text.startswith(seen)


async def test_resize_keeps_the_cursor_offset_and_shows_it() -> None:
    doc = Document(text="\n\n".join("word " * 60 for _ in range(40)))
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        reader.move_cursor(5000)
        await pilot.pause()
        rows_before = reader.virtual_size.height
        await pilot.resize_terminal(50, 20)
        await pilot.pause()
        assert reader.cursor == 5000
        assert reader.virtual_size.height > rows_before  # narrower: more rows
        row_of(reader, 5000)  # on screen
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        assert reader.cursor == 5000
        row_of(reader, 5000)


# -- drawing ---------------------------------------------------------------------


async def test_styles_for_heading_emphasis_link_code_and_quote() -> None:
    doc = parse_markdown("# Title\n\nSome *em*, **bold**, `code` and [a link](http://x).\n\n> quoted")
    text = doc.text
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        await pilot.press("j")  # cursor off the heading
        heading = style_of(reader, text.index("Title") + 1)
        plain = style_of(reader, text.index("Some"))
        assert heading.bold and heading.color != plain.color
        assert style_of(reader, text.index("em,")).italic
        assert style_of(reader, text.index("bold")).bold
        assert style_of(reader, text.index("code")).bgcolor != plain.bgcolor
        assert style_of(reader, text.index("a link")).underline
        quoted = style_of(reader, text.index("quoted"))
        assert quoted.italic
        bar = style_of(reader, text.index("│"))
        assert bar.color != quoted.color


async def test_cursor_is_a_reverse_cell_and_selection_has_a_background() -> None:
    doc = Document(text="alpha beta")
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        await pilot.press("l", "v", "l", "l")
        cells = cell_styles(reader.render_line(0))
        assert cells[1 + 3][1].reverse  # cursor on offset 3
        assert not cells[1 + 2][1].reverse
        plain = cells[1 + 6][1]
        assert cells[1 + 1][1].bgcolor != plain.bgcolor  # selected
        assert cells[1 + 2][1].bgcolor == cells[1 + 1][1].bgcolor


async def test_highlights_are_coloured_by_stance_with_a_gutter_marker() -> None:
    text = "first line here\nsecond line here\nthird line here"
    marks = (
        HighlightMark("a", 0, 5, "#ff0000", True),
        HighlightMark("b", 16, 22, None, False),
        HighlightMark("c", 33, 38, "#0000ff", False),
        HighlightMark("d", 36, 44, "#ff0000", True),
    )
    async with ReaderApp(Document(text=text), marks).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        await pilot.press("G")  # cursor away from the marks
        row0 = cell_styles(reader.render_line(0))
        row1 = cell_styles(reader.render_line(1))
        row2 = cell_styles(reader.render_line(2))
        plain_bg = row0[1 + 7][1].bgcolor
        red = row0[1 + 1][1].bgcolor
        assert red != plain_bg and red.triplet.red > red.triplet.blue  # type: ignore[union-attr]
        # Gutter marker in the stance colour where a speaker is set.
        assert row0[0][0] == GUTTER_MARK
        assert row0[0][1].color.triplet.red > row0[0][1].color.triplet.blue  # type: ignore[union-attr]
        # No stance: the neutral highlight colour; no speaker: no marker.
        neutral = row1[1 + 1][1].bgcolor
        assert neutral not in (plain_bg, red)
        assert row1[0][0] == " "
        # Overlap of blue and red shows a mix of both.
        blue = row2[1 + 0][1].bgcolor
        mixed = row2[1 + 4][1].bgcolor
        assert len({blue, mixed, red}) == 3
        assert row2[1 + 9][1].bgcolor == red
        assert row2[0][0] == GUTTER_MARK


async def test_set_highlights_repaints() -> None:
    doc = Document(text="alpha beta")
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        await pilot.press("G")
        before = cell_styles(reader.render_line(0))[1 + 1][1].bgcolor
        reader.set_highlights([HighlightMark("x", 0, 5, "#00ff00", False)])
        after = cell_styles(reader.render_line(0))[1 + 1][1].bgcolor
        assert after != before


# -- size ------------------------------------------------------------------------


def big_document(size: int = 5_000_000) -> Document:
    paragraph = (
        "The envoy said talks were far from over, and officials disagreed about "
        "the timeline for any ceasefire. 中文 text appears too. "
    ) * 4
    count = size // (len(paragraph) + 2) + 1
    text = "\n\n".join(paragraph for _ in range(count))
    blocks = [Block(0, len(paragraph), "paragraph", 1)]
    return Document(text=text, spans=[Span(0, 9, "strong")], blocks=blocks)


async def test_five_megabyte_document_opens_lazily_and_keys_work() -> None:
    doc = big_document()
    assert len(doc.text) >= 5_000_000
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        index = reader._ensure_layout().index
        exact = sum(index.is_exact(i) for i in range(index.line_count))
        assert exact < 100  # only the lines looked at were wrapped
        await pilot.press("G")
        assert reader.cursor == len(doc.text) - 1
        row_of(reader, reader.cursor)
        await pilot.press("k", "k", "w", "b")
        row_of(reader, reader.cursor)
        await pilot.press("g", "j", "pagedown")
        assert reader.cursor > 0
        row_of(reader, reader.cursor)


def uneven_document(lines: int = 3000) -> Document:
    """Lines whose wrapped heights the row estimate gets wrong (wide characters)."""
    return Document(text="\n".join("中文 " * (i % 37) + f"end {i}" for i in range(lines)))


def all_row_starts(reader: ReaderView) -> list[int]:
    """Every row start of the document, wrapped independently of the reader."""
    from briefing_tui.core.lines import line_starts
    from briefing_tui.ui.widgets.wrap import wrap_line

    text = reader.document.text
    width = reader._ensure_layout().width
    starts = line_starts(text)
    return [
        start + row
        for start, end in pairwise(starts)
        for row in wrap_line(text[start:end], width)
    ]


def assert_view_consistent(reader: ReaderView) -> None:
    view = [entry for entry in reader._view_rows() if entry]
    assert all(a[3] == b[2] for a, b in pairwise(view))  # rows are contiguous
    row_of(reader, reader.cursor)


async def test_moving_up_through_estimated_rows_is_exact_and_keeps_the_view_consistent() -> None:
    doc = uneven_document()
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        expected = all_row_starts(reader)
        reader.move_cursor(expected[-1])
        await pilot.pause()
        for step in range(1, 61):
            await pilot.press("k")
            assert reader.cursor == expected[-1 - step]
            assert_view_consistent(reader)
        height = reader.scrollable_content_region.height
        index = expected.index(reader.cursor)
        await pilot.press("pageup")
        assert reader.cursor == expected[index - height]
        assert_view_consistent(reader)
        await pilot.press("pagedown", "pagedown")
        assert reader.cursor == expected[index + height]
        assert_view_consistent(reader)


async def test_scrolling_up_with_the_mouse_wheel_keeps_rows_contiguous() -> None:
    doc = uneven_document()
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        await pilot.press("G")
        for _ in range(20):
            reader.scroll_up(animate=False)
            await pilot.pause()
            view = [entry for entry in reader._view_rows() if entry]
            assert all(a[3] == b[2] for a, b in pairwise(view))


async def test_a_five_megabyte_single_line_opens_lazily() -> None:
    doc = Document(text="word " * 1_000_000)
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        index = reader._ensure_layout().index
        assert sum(index.is_exact(i) for i in range(index.line_count)) < 10
        await pilot.press("j", "j", "w")
        assert reader.cursor == 2 * reader._ensure_layout().width // 5 * 5 + 5
        await pilot.press("G", "k")
        row_of(reader, reader.cursor)


async def test_an_empty_document_takes_every_key() -> None:
    async with ReaderApp(Document(text="")).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        await pilot.press("j", "k", "l", "h", "w", "b", "G", "g", "pagedown", "v", "s", "p")
        assert reader.cursor == 0
        assert reader.selection is None
        assert reader.find("x") is None
        assert reader.percent == 100


async def test_a_bad_stance_colour_falls_back_to_the_neutral_one() -> None:
    marks = (
        HighlightMark("a", 0, 5, None, False),
        HighlightMark("b", 6, 10, "not-a-colour", True),
    )
    async with ReaderApp(Document(text="alpha beta gamma"), marks).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        await pilot.press("G")
        cells = cell_styles(reader.render_line(0))
        assert cells[1 + 7][1].bgcolor == cells[1 + 1][1].bgcolor
        assert cells[0][0] == GUTTER_MARK


async def test_the_cursor_stays_visible_without_focus() -> None:
    async with ReaderApp(Document(text="alpha beta")).run_test(size=SIZE) as pilot:
        reader = await started(pilot)
        await pilot.press("w")
        reader.blur()
        await pilot.pause()
        cell = cell_styles(reader.render_line(0))[1 + 6][1]
        assert cell.underline and not cell.reverse
