"""What a key press makes the reader repaint: a corrected row estimate must not
cost a screen-wide layout, and the scrollbar and scroll limits still follow it."""

from __future__ import annotations

from textual.app import App, ComposeResult

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


async def test_height_correction_updates_scrollbar_without_a_screen_layout() -> None:
    async with ReaderApp(long_words_doc()).run_test(size=SIZE) as pilot:
        reader = pilot.app.query_one(ReaderView)
        reader.focus()
        await pilot.pause()
        screen = pilot.app.screen
        # On a busy machine the start-up's own layout can still be pending here.
        for _ in range(50):
            if not (screen._layout_required or reader._layout_required
                    or reader._virtual_sync_pending):
                break
            await pilot.pause(0.02)
        layouts: list[object] = []
        original = screen._refresh_layout

        def counting(*args: object, **kwargs: object) -> None:
            layouts.append(args)
            original(*args, **kwargs)

        screen._refresh_layout = counting  # type: ignore[method-assign]
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
