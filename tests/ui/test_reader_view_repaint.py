"""What a key press makes the reader repaint: a corrected row estimate must not
cost a screen-wide layout, and the scrollbar and scroll limits still follow it."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.screen import Screen
from textual.widget import Widget

from briefing_tui.core.document import Document
from briefing_tui.ui.widgets.reader_view import ReaderView

SIZE = (80, 24)


class ReaderApp(App[None]):
    """The reader alone."""

    def __init__(self, document: Document) -> None:
        super().__init__()
        self.document = document

    def compose(self) -> ComposeResult:
        yield ReaderView(self.document)


def long_words_doc() -> Document:
    """Lines whose exact wrap differs from the estimate (long words waste row ends)."""
    word = "x" * 30 + " "
    return Document(text="\n".join(word * (3 + i % 7) for i in range(400)))


def count_layout_requests(screen: Screen) -> list[str]:
    """Record each ``refresh(layout=True)`` on ``screen`` or a widget in it from now on.

    A widget asks for a layout only through its public ``refresh`` (a reactive declared
    with ``layout=True``, such as ``virtual_size``, calls it too), and that request is what
    makes the screen lay out all its widgets again.
    """
    requests: list[str] = []
    for widget in [screen, *screen.walk_children(with_self=False)]:
        def counting(*regions: Region, layout: bool = False, _widget: Widget = widget,
                     _refresh=widget.refresh, **kwargs: bool) -> Widget:
            if layout:
                requests.append(type(_widget).__name__)
            return _refresh(*regions, layout=layout, **kwargs)

        widget.refresh = counting  # type: ignore[method-assign]
    return requests


async def test_height_correction_updates_scrollbar_without_a_screen_layout() -> None:
    async with ReaderApp(long_words_doc()).run_test(size=SIZE) as pilot:
        reader = pilot.app.query_one(ReaderView)
        reader.focus()
        await pilot.pause()
        # On a busy machine the start-up's own virtual-size update can still be pending.
        for _ in range(50):
            if not reader._virtual_sync_pending:
                break
            await pilot.pause(0.02)
        layouts = count_layout_requests(pilot.app.screen)
        height_before = reader.virtual_size.height
        await pilot.press("G")
        await pilot.pause()
        layout = reader._ensure_layout()
        # The end's lines were wrapped: the estimate was corrected...
        assert reader.virtual_size.height != height_before
        assert reader.virtual_size.height == layout.index.total_rows
        # ... without laying out the screen, yet the scrollbar and the scroll
        # limit know the new height, and the last row is on screen.
        assert layouts == []
        assert reader.vertical_scrollbar.window_virtual_size == reader.virtual_size.height
        assert reader.max_scroll_y == reader.virtual_size.height - reader._view_height()
        assert reader.scroll_y == reader.max_scroll_y
        text = reader.document.text
        assert any(entry and entry[3] == len(text) for entry in reader._view_rows())


async def test_scrollbar_appearing_still_lays_out() -> None:
    # Short enough to fit the screen until the width shrinks: then the
    # scrollbar must appear, which needs a real layout.
    doc = Document(text="\n".join("word " * 12 for _ in range(20)))
    async with ReaderApp(doc).run_test(size=SIZE) as pilot:
        reader = pilot.app.query_one(ReaderView)
        reader.focus()
        await pilot.pause()
        await pilot.resize_terminal(40, 24)
        await pilot.pause()
        await pilot.pause()
        assert reader.virtual_size.height > reader._view_height()
        assert reader.show_vertical_scrollbar


async def test_a_height_estimate_corrected_down_keeps_the_scroll_within_the_text() -> None:
    # Lines of short words estimated at two rows fit one: once the rows on screen are
    # wrapped exactly, the text is shorter than thought, and a view scrolled to the old
    # end must come back to the new one (not show rows past the end).
    words = ("ab " * 25).strip()  # 74 cells: two rows by the estimate, one at 78 columns
    async with ReaderApp(Document(text="\n".join([words] * 400))).run_test(size=SIZE) as pilot:
        reader = pilot.app.query_one(ReaderView)
        reader.focus()
        await pilot.pause()
        height_before = reader.virtual_size.height
        reader.scroll_to(y=reader.max_scroll_y, animate=False)
        for _ in range(3):
            await pilot.pause()
        assert reader.virtual_size.height < height_before
        assert reader.scroll_y == reader.max_scroll_y
        assert None not in reader._view_rows()


async def test_a_changed_highlight_repaints_only_its_lines() -> None:
    """#17.1: one highlight's change paints the rows of its lines anew; the other rows
    on screen (dense with other highlights or not) come from the strip cache."""
    from briefing_tui.ui.widgets.row_painter import HighlightMark

    text = "\n".join(f"Line {i} says something worth marking." for i in range(60))
    document = Document(text=text)
    starts = document.line_starts()
    marks = [HighlightMark(f"h{i}", starts[i], starts[i] + 10, None, False) for i in range(60)]
    async with ReaderApp(document).run_test(size=SIZE) as pilot:
        reader = pilot.app.query_one(ReaderView)
        reader.set_highlights(marks)
        await pilot.pause()
        painted: list[int] = []
        paint = reader.painter.paint

        def counting(doc, index, first, start, end, *args, **kwargs):
            painted.append(start)
            return paint(doc, index, first, start, end, *args, **kwargs)

        reader.painter.paint = counting  # type: ignore[method-assign]
        old = marks[5]
        reader.change_highlights([old], [HighlightMark("h5", old.start, old.end, "#d64545",
                                                       True)])
        await pilot.pause()
        assert painted, "the changed line was not repainted"
        assert {start for start in painted} == {starts[5]}, painted
        reader.set_highlights(marks)  # a whole new set: every row on screen anew
        await pilot.pause()
        assert len({start for start in painted}) > 10
