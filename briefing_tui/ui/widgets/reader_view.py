"""ReaderView: the reader pane, a Line-API ``ScrollView`` over a Document.

It draws only the rows on screen. Lines are word-wrapped by cell width when
first looked at (:mod:`.rowindex` keeps estimates for the rest), rendered rows
are cached as Strips keyed by everything that decorates them, and a cursor or
selection change repaints only the rows it touches — so a key press costs the
same in a 5 KB and a 5 MB briefing.

The cursor is a character offset into ``document.text`` (it survives a resize);
the selection is ``[min(anchor, cursor), max(anchor, cursor) + 1)``.

Bindings (ids ``reader.*``): j/k/down/up rows, h/l/left/right characters,
w/b words (``don't`` is one), ``)``/``(`` sentences (in selection mode ``)``
extends to the end of the sentence), ``}``/``{`` paragraphs, g/G/home/end,
pageup/pagedown, v selection mode, shift+arrows extend, s/p/``"`` select the
sentence/paragraph/quotation under the cursor (``"`` outside one says so),
escape clears the selection (bubbles when there is none). Keys keep the cursor
:data:`SCROLLOFF` rows from the top and bottom edges, as vim's ``scrolloff``.

How a row looks (spans, highlights, selection, cursor in theme colours) is
:mod:`briefing_tui.ui.widgets.row_painter`'s job.

Messages: :class:`ReaderView.CursorMoved`, :class:`ReaderView.SelectionChanged`.
"""

from __future__ import annotations

import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import ClassVar, Literal

from textual import events
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from briefing_tui.core.document import Document
from briefing_tui.core.textscan import (
    find_all,
    find_all_chunked,
    find_near,
    next_word_start,
    prev_word_start,
)
from briefing_tui.ui.messages import ShowStatus
from briefing_tui.ui.widgets.row_painter import (
    GUTTER,
    HighlightMark,
    MarkIndex,
    RowPainter,
)
from briefing_tui.ui.widgets.rowindex import LineLayout
from briefing_tui.ui.widgets.wrap import column_of, index_at_column

Center = bool | Literal["if_hidden"]  # how move_cursor scrolls (see there)
_STRIP_CACHE_SIZE = 2048
SCROLLOFF = 2  # rows kept between the cursor and the top or bottom edge (vim's scrolloff)
# Longer texts are searched in two steps: the nearest match at once, the count in a worker.
FIND_SYNC_CHARS = 2_000_000
# The footer shows the four ways to select as one item ("v s p " Select"): the reader's
# keys then fit 80 columns with "? Help" (each key's own name stays in help and tooltips).
SELECT_KEYS = Binding.Group("Select")


def _is_quote_mark(char: str) -> bool:
    return char in "\"'" or unicodedata.category(char) in ("Pi", "Pf", "Ps", "Pe")


class ReaderView(ScrollView, can_focus=True, inherit_bindings=False):
    """The reading text with cursor, selection and highlights (see module doc)."""

    ALLOW_SELECT = False  # the reader has its own selection

    # Set in _load (called by __init__ and set_document); declared here because
    # methods above _load assign them first and type checkers read in file order.
    _cursor: int
    _anchor: int | None
    _desired_column: int | None
    _query: str
    _matches: array
    _counting: bool

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Next row", id="reader.down", show=False),
        Binding("k,up", "cursor_up", "Previous row", id="reader.up", show=False),
        Binding("h,left", "cursor_left", "Previous character", id="reader.left", show=False),
        Binding("l,right", "cursor_right", "Next character", id="reader.right", show=False),
        Binding("w", "word_next", "Next word", id="reader.word_next", show=False),
        Binding("b", "word_previous", "Previous word", id="reader.word_prev", show=False),
        Binding(
            "right_parenthesis", "sentence_next", "Next sentence",
            id="reader.sentence_next", show=False,
        ),
        Binding(
            "left_parenthesis", "sentence_previous", "Previous sentence",
            id="reader.sentence_prev", show=False,
        ),
        Binding(
            "right_curly_bracket", "paragraph_next", "Next paragraph",
            id="reader.paragraph_next", show=False,
        ),
        Binding(
            "left_curly_bracket", "paragraph_previous", "Previous paragraph",
            id="reader.paragraph_prev", show=False,
        ),
        Binding("g,home", "cursor_start", "Start of briefing", id="reader.start", show=False),
        Binding("G,end", "cursor_end", "End of briefing", id="reader.end", show=False),
        Binding("pageup", "page_up_cursor", "Page up", id="reader.page_up", show=False),
        Binding("pagedown", "page_down_cursor", "Page down", id="reader.page_down", show=False),
        Binding("v", "toggle_selection", "Select", id="reader.select", group=SELECT_KEYS),
        Binding(
            "shift+left", "extend('left')", "Extend selection left",
            id="reader.extend_left", show=False,
        ),
        Binding(
            "shift+right", "extend('right')", "Extend selection right",
            id="reader.extend_right", show=False,
        ),
        Binding(
            "shift+up", "extend('up')", "Extend selection up",
            id="reader.extend_up", show=False,
        ),
        Binding(
            "shift+down", "extend('down')", "Extend selection down",
            id="reader.extend_down", show=False,
        ),
        Binding("s", "select_sentence", "Sentence", id="reader.select_sentence",
                group=SELECT_KEYS),
        Binding("p", "select_paragraph", "Paragraph", id="reader.select_paragraph",
                group=SELECT_KEYS),
        Binding("quotation_mark", "select_quotation", "Quotation",
                id="reader.select_quotation", group=SELECT_KEYS),
        Binding(
            "escape", "cancel_selection", "Cancel selection",
            id="reader.cancel_selection", show=False,
        ),
    ]

    DEFAULT_CSS = """
    ReaderView {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        background: $surface;
        color: $foreground;
    }
    """

    class CursorMoved(Message):
        """The cursor moved to ``offset``."""

        def __init__(self, reader: ReaderView, offset: int) -> None:
            super().__init__()
            self.reader = reader
            self.offset = offset

        @property
        def control(self) -> ReaderView:
            """The ReaderView that posted the message."""
            return self.reader

    class SelectionChanged(Message):
        """The selection became ``selection`` (``[start, end)`` or None)."""

        def __init__(self, reader: ReaderView, selection: tuple[int, int] | None) -> None:
            super().__init__()
            self.reader = reader
            self.selection = selection

        @property
        def control(self) -> ReaderView:
            """The ReaderView that posted the message."""
            return self.reader

    def __init__(
        self,
        document: Document,
        highlights: Sequence[HighlightMark] = (),
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._strips: LRUCache[tuple, Strip] = LRUCache(_STRIP_CACHE_SIZE)
        self._painter_cache: RowPainter | None = None
        # Generations: bumped when what the cached strips were drawn from changes.
        self._styles_gen = 0
        self._marks_gen = 0
        self._line_marks_gen: dict[int, int] = {}  # per line, bumped by change_highlights
        self._layout_gen = 0
        self._load(document, highlights)

    # -- public API ------------------------------------------------------------
    @property
    def document(self) -> Document:
        """The document shown (read-only; replace it with :meth:`set_document`)."""
        return self._document

    @property
    def cursor(self) -> int:
        """Cursor offset into ``document.text``."""
        return self._cursor

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selection as a normalised ``[start, end)``, or None."""
        if self._anchor is None or not self._length:
            return None
        low, high = sorted((self._anchor, self._cursor))
        return low, min(high + 1, self._length)

    @property
    def percent(self) -> int:
        """Position of the cursor in the document, 0..100."""
        last = self._length - 1
        return 100 if last <= 0 else self._cursor * 100 // last

    def rows_on_screen(self, start: int, end: int) -> tuple[int, int]:
        """Rows of the first and last character of ``[start, end)``, counted from the
        view's top row (negative above it, ``>= size.height`` below it)."""
        top = round(self.scroll_y)
        first = self._row_y(*self._position(self._clamp(start))[:2])
        last = self._row_y(*self._position(self._clamp(max(start, end - 1)))[:2])
        return first - top, last - top

    def scroll_offset_to_row(self, offset: int, row: int) -> None:
        """Scroll so that ``offset``'s row is ``row`` rows below the view's top (as far
        as the text allows); the cursor does not move."""
        line, line_row, _ = self._position(self._clamp(offset))
        line, line_row = self._step_rows(line, line_row, -max(row, 0))
        self._sync_virtual_size()
        self.scroll_to(y=self._row_y(line, line_row), animate=False, immediate=True)

    def set_document(
        self, document: Document, highlights: Sequence[HighlightMark] = ()
    ) -> None:
        """Show another document: cursor at its start, no selection."""
        old_cursor, old_selection = self._cursor, self.selection
        self._load(document, highlights)
        if self.is_mounted:
            self.scroll_to(y=0, animate=False)
            self.refresh()
        self._announce(old_cursor, old_selection)

    def set_highlights(self, marks: Sequence[HighlightMark]) -> None:
        """Replace the highlights drawn over the text."""
        self._marks = MarkIndex(marks)
        self._marks_gen += 1
        self.refresh()

    def change_highlights(self, removed: Sequence[HighlightMark],
                          added: Sequence[HighlightMark]) -> None:
        """Replace some of the highlights drawn over the text (a change to a few of
        them: the others are not looked at)."""
        if not removed and not added:
            return
        self._marks.change(removed, added)
        # Only the lines under those marks are drawn anew; the others' strips stay
        # cached (a screen dense with other highlights costs nothing more).
        starts, gens = self._starts, self._line_marks_gen
        for mark in (*removed, *added):
            first = bisect_right(starts, mark.start) - 1
            last = bisect_right(starts, max(mark.start, mark.end - 1)) - 1
            for line in range(max(first, 0), last + 1):
                gens[line] = gens.get(line, 0) + 1
        self.refresh()

    def move_cursor(self, offset: int, *, select: bool = False, center: Center = False) -> None:
        """Move the cursor to ``offset``; ``select`` extends the selection
        (starting one at the cursor), otherwise the selection is cleared. ``center``
        puts its row mid-screen; ``"if_hidden"`` does so only when it is off screen
        (a jump to a row in view scrolls nothing, as vim's ``n``)."""
        self._place(offset, select=select, center=center)

    def _place(self, offset: int, *, select: bool = False, center: Center = False,
               margin: int = SCROLLOFF) -> None:
        old_cursor, old_selection = self._cursor, self.selection
        if select:
            if self._anchor is None:
                self._anchor = self._cursor
        else:
            self._anchor = None
            self._select_mode = False
        self._desired_column = None
        self._cursor = self._clamp(offset)
        self._commit(old_cursor, old_selection, center=center, margin=margin)

    def show_at(self, offset: int) -> None:
        """Move the cursor to ``offset`` (clamped to the text) with its row mid-screen,
        now or, before the view has a size, once it has one (a reopened briefing shows
        where it was left)."""
        if self.is_mounted and self.size:
            self.move_cursor(offset, center=True)
            return
        old_cursor, old_selection = self._cursor, self.selection
        self._anchor = None
        self._select_mode = False
        self._desired_column = None
        self._cursor = self._clamp(offset)
        self._center_pending = True
        self._announce(old_cursor, old_selection)

    def select_span(self, start: int, end: int) -> None:
        """Select ``[start, end)`` with the cursor on its last character; motions
        then extend it. An empty span clears the selection and moves to ``start``."""
        old_cursor, old_selection = self._cursor, self.selection
        start, end = self._clamp(start), min(end, self._length)
        self._desired_column = None
        if end <= start:
            self._anchor = None
            self._select_mode = False
            self._cursor = start
        else:
            self._anchor = start
            self._select_mode = True
            self._cursor = end - 1
        self._commit(old_cursor, old_selection)

    def clear_selection(self) -> None:
        """Drop the selection (the cursor stays)."""
        old_cursor, old_selection = self._cursor, self.selection
        self._anchor = None
        self._select_mode = False
        self._commit(old_cursor, old_selection)

    def find(self, query: str, *, forward: bool = True) -> int | None:
        """Find ``query`` (case-insensitive) after (or before) the cursor,
        wrapping around; move the cursor to the match start, draw every match
        and remember them for :meth:`find_next` and :attr:`find_count`. Returns
        the offset, or None if absent (then no query is kept)."""
        if self._length > FIND_SYNC_CHARS:
            return self._find_in_long_text(query, forward)
        # Every match, once per query: drawing a row and n/N then only bisect.
        matches = find_all(self._text, query) if self._length else array("q")
        if not matches:
            query = ""
            matches = array("q")
        if (query, self._matches) != (self._query, matches):
            self._query, self._matches, self._counting = query, matches, False
            self.refresh()
        return self._find(forward)

    def _find_in_long_text(self, query: str, forward: bool) -> int | None:
        """A long text: jump to the nearest match at once (:func:`find_near` looks only
        as far as it must), then count and draw every match in a thread worker (case-
        folding 20 MB takes a fifth of a second); the status line says "counting" until
        then."""
        offset = find_near(self._text, query, self._cursor, forward=forward)
        if offset is None:
            self.clear_find()
            return None
        self._query, self._matches, self._counting = query, array("q", [offset]), True
        self.refresh()
        self._motion(offset)
        text = self._text

        def count() -> None:
            if self._counting and self._query == query:  # no newer search meanwhile
                self.run_worker(lambda: self._count_matches(text, query), thread=True,
                                exclusive=True, group="find", exit_on_error=False)

        # Once the jump is on screen: a counting thread would share the interpreter with
        # the painting of that frame.
        self.call_after_refresh(count)
        return offset

    def _count_matches(self, text: str, query: str) -> None:
        """The worker of :meth:`_find_in_long_text`: every match, handed to the UI."""
        matches = find_all_chunked(text, query)  # the UI thread paints meanwhile
        self.app.call_from_thread(self._matches_counted, query, matches)

    def _matches_counted(self, query: str, matches: array) -> None:
        if not (self._counting and query == self._query):
            return  # another search (or none) since
        self._matches, self._counting = matches, False
        self.refresh()
        self.post_message(self.CursorMoved(self, self._cursor))  # the status line counts

    @property
    def find_counting(self) -> bool:
        """The last search jumped to a match and is still counting the others."""
        return self._counting

    def clear_find(self) -> None:
        """Forget the query and stop drawing its matches."""
        if self._query:
            self._query, self._matches, self._counting = "", array("q"), False
            self.refresh()

    @property
    def find_count(self) -> tuple[int, int] | None:
        """``(k, n)``: the cursor is in match ``k`` (1-based; 0 when in none) of the
        ``n`` matches of the last query; None without a query."""
        if not self._query:
            return None
        matches = self._matches
        i = bisect_right(matches, self._cursor) - 1
        inside = i >= 0 and self._cursor < matches[i] + len(self._query)
        return (i + 1 if inside else 0), len(matches)

    def find_next(self) -> int | None:
        """Next match of the last query (wraps around)."""
        return self._find(True)

    def find_previous(self) -> int | None:
        """Previous match of the last query (wraps around)."""
        return self._find(False)

    # -- state -------------------------------------------------------------------
    def _load(self, document: Document, highlights: Sequence[HighlightMark]) -> None:
        self._document = document
        self._length = document.length
        self._starts = document.line_starts()
        self._line_count = len(self._starts) - 1
        self._layout: LineLayout | None = None
        self._layout_gen += 1
        self._view_key: tuple | None = None
        self._view: list[tuple[int, int, int, int] | None] = []
        self._virtual_sync_pending = False
        self._restore_pending = False
        self._restore_top: int | None = None
        self._cursor = 0
        self._center_pending = False  # centre the cursor once sized (see show_at)
        self._anchor = None
        self._select_mode = False
        self._desired_column = None
        self._mouse_anchor: int | None = None
        self._query = ""
        self._matches = array("q")  # starts of the query's matches (see find)
        self._counting = False  # a long text's matches still being counted (see find)
        self._marks = MarkIndex(highlights)
        self._marks_gen += 1
        self._strips.clear()

    @property
    def _text(self) -> str:
        """The whole text (read now if the document holds only its head so far)."""
        return self._document.text

    def _clamp(self, offset: int) -> int:
        return max(0, min(offset, self._length - 1))

    # Widths and heights come from container_size (a plain attribute) rather
    # than the region properties, which ask the compositor on every call.
    def _content_width(self) -> int:
        return self.container_size.width - self.scrollbar_size_vertical

    def _text_width(self) -> int:
        return max(2, self._content_width() - GUTTER)

    def _view_height(self) -> int:
        return max(1, self.container_size.height - self.scrollbar_size_horizontal)

    @property
    def painter(self) -> RowPainter:
        """Paints rows under the current theme (made again when styles change)."""
        if self._painter_cache is None:
            # rich_style walks the DOM: once per theme, not once per row.
            self._painter_cache = RowPainter(self.rich_style, self.app.theme_variables,
                                             self.background_colors[1])
        return self._painter_cache

    def _ensure_layout(self) -> LineLayout:
        """The layout for the current width (built on first use after a resize)."""
        width = self._text_width()
        layout = self._layout
        if layout is None or layout.width != width:
            if layout is not None and self._view and not self._restore_pending:
                # Rewrapped (the width changed, usually while drawing): once
                # this frame is done, bring back the text that was at the top
                # and the cursor.
                self._restore_top = self._view[0][2] if self._view[0] else None
                self._restore_pending = True
                self.call_later(self._restore_view)
            layout = self._layout = LineLayout(self._document.text_between, self._starts, width)
            self._layout_gen += 1
            self._view_key = None
            self._schedule_virtual_sync()
        return layout

    def _rows(self, line: int) -> list[int]:
        """Exact row starts of ``line``. When wrapping it changes the row count
        of a line wholly above the viewport, scroll by the change so the
        viewport keeps showing the same text."""
        layout = self._ensure_layout()
        index = layout.index
        if index.is_exact(line):
            return layout.rows(line)
        first, before = index.first_row(line), index.row_count(line)
        rows = layout.rows(line)
        change = len(rows) - before
        if change:
            top = round(self.scroll_y)
            if first + before <= top:
                self._sync_virtual_size()
                self.scroll_to(y=top + change, animate=False)
                self._view_key = None
            self._schedule_virtual_sync()
        return rows

    def _position(self, offset: int) -> tuple[int, int, int]:
        """``(line, row within line, index within line)`` of ``offset``."""
        layout = self._ensure_layout()
        line = layout.line_of(offset)
        relative = offset - self._starts[line]
        rows = self._rows(line)
        return line, bisect_right(rows, relative) - 1, relative

    def _row_y(self, line: int, row: int) -> int:
        return self._ensure_layout().index.first_row(line) + row

    def _step_rows(self, line: int, row: int, count: int) -> tuple[int, int]:
        """Move ``count`` rows down (negative: up) from ``(line, row)``."""
        last_line = self._line_count - 1
        while count > 0:
            if row + 1 < len(self._rows(line)):
                row += 1
            elif line < last_line:
                line, row = line + 1, 0
            else:
                break
            count -= 1
        while count < 0:
            if row > 0:
                row -= 1
            elif line > 0:
                line -= 1
                row = len(self._rows(line)) - 1
            else:
                break
            count += 1
        return line, row

    def _row_text(self, line: int, row: int) -> tuple[int, str]:
        """Absolute start offset and text (with any newline) of a row."""
        self._rows(line)  # wrapped with scroll care before the layout sees it
        start, end = self._ensure_layout().row_span(line, row)
        return start, self._document.text_between(start, end)

    def _offset_at(self, line: int, row: int, column: int) -> int:
        start, text = self._row_text(line, row)
        return self._clamp(start + index_at_column(text, column))

    def _cursor_column(self) -> int:
        line, row, _ = self._position(self._cursor)
        row_start = self._starts[line] + self._rows(line)[row]
        text = self._document.text_between(row_start, self._cursor)
        return column_of(text, self._cursor - row_start)

    # -- committing a change ---------------------------------------------------
    def _commit(
        self,
        old_cursor: int,
        old_selection: tuple[int, int] | None,
        *,
        center: Center = False,
        top: int | None = None,
        margin: int = SCROLLOFF,
    ) -> None:
        """Scroll to the cursor (``margin`` rows from the edges), repaint what
        changed, post messages."""
        if self.is_mounted and self.size:
            if top is not None:
                self._sync_virtual_size()
                self.scroll_to(y=top, animate=False)
            self._scroll_to_cursor(center, margin)
            self._refresh_changed(old_cursor, old_selection)
        self._announce(old_cursor, old_selection)

    def _announce(self, old_cursor: int, old_selection: tuple[int, int] | None) -> None:
        if self._cursor != old_cursor:
            self.post_message(self.CursorMoved(self, self._cursor))
        selection = self.selection
        if selection != old_selection:
            self.post_message(self.SelectionChanged(self, selection))

    def _scroll_to_cursor(self, center: Center = False, margin: int = SCROLLOFF, *,
                          first: bool = False) -> None:
        """Scroll so that the cursor is on screen, at least ``margin`` rows from the
        top and bottom edges (nearer only at the start and end of the text, which the
        scroll position cannot pass). ``first``: before the first frame, so scroll now
        (not after it) and although no layout has shown the scrollbar yet (without
        one Textual allows no scrolling)."""
        height = self._view_height()
        margin = max(0, min(margin, (height - 1) // 2))
        line, row, _ = self._position(self._cursor)
        top = round(self.scroll_y)
        y = self._row_y(line, row)
        if center is True or (center == "if_hidden" and not top <= y < top + height):
            back = height // 2
        elif y < top + margin:
            back = margin
        elif y >= top + height - margin:
            back = height - 1 - margin
        else:
            self._sync_virtual_size()
            return
        # Walk back exactly (wrapping the lines between) rather than trusting
        # estimates, so the cursor is on screen once those lines are drawn.
        line, row = self._step_rows(line, row, -back)
        new_top = self._row_y(line, row)
        self._sync_virtual_size()
        self.scroll_to(y=new_top, animate=False, force=first, immediate=first)

    def _refresh_changed(self, old_cursor: int, old_selection: tuple[int, int] | None) -> None:
        """Repaint the on-screen rows touched by the cursor or selection change."""
        changed = [(old_cursor, old_cursor + 1), (self._cursor, self._cursor + 1)]
        new_selection = self.selection
        if old_selection != new_selection:
            if old_selection and new_selection:
                (a1, b1), (a2, b2) = old_selection, new_selection
                changed += [(min(a1, a2), max(a1, a2)), (min(b1, b2), max(b1, b2))]
            else:
                changed.append(old_selection or new_selection)  # type: ignore[arg-type]
        for y, entry in enumerate(self._view_rows()):
            if entry is None:
                break
            start, end = entry[2], entry[3]
            if any(low < end and high > start for low, high in changed):
                self.refresh_line(round(self.scroll_y) + y)

    def _schedule_virtual_sync(self) -> None:
        if not self._virtual_sync_pending:
            self._virtual_sync_pending = True
            self.call_later(self._sync_virtual_size)

    def _sync_virtual_size(self) -> None:
        """Tell Textual the (partly estimated) height of the text in rows."""
        self._virtual_sync_pending = False
        layout = self._ensure_layout()
        size = Size(layout.width + GUTTER, layout.index.total_rows)
        old = self.virtual_size
        if old == size:
            return
        height = self.container_size.height
        if (
            old.width == size.width
            and old.height > height
            and size.height > height
            and not self.styles.auto_dimensions
        ):
            # Only the (estimated) height changed, as it does whenever a newly
            # wrapped line corrects its estimate, the scrollbar stays and our
            # own size does not follow the content: no widget moves, so skip
            # the screen-wide layout the reactive would ask for (5-10 ms a
            # key). What that layout would update for us, through public API:
            # the scrollbar's idea of the height (a repainting reactive) and the
            # scroll position, clamped again to the new `max_scroll_y` by
            # Widget.validate_scroll_y (a no-op while it stays within it).
            self.set_reactive(ScrollView.virtual_size, size)
            if self.show_vertical_scrollbar:
                self.vertical_scrollbar.window_virtual_size = size.height
            self.scroll_y = self.scroll_y
            return
        self.virtual_size = size

    # -- rendering -------------------------------------------------------------
    def _view_rows(self) -> list[tuple[int, int, int, int] | None]:
        """``(line, row, start, end)`` of each row on screen (None past the end).

        Rebuilt when the scroll position, height or layout changes; the lines
        shown are wrapped exactly here, top down, so no line above the top
        changes and the rows stay consistent within a frame.
        """
        layout = self._ensure_layout()
        top, height = round(self.scroll_y), self._view_height()
        key = (top, height, self._layout_gen)
        if key == self._view_key:
            return self._view
        index = layout.index
        line, row = index.locate(top)
        while not index.is_exact(line):
            layout.refine(line)
            line, row = index.locate(top)
        view: list[tuple[int, int, int, int] | None] = []
        last_line = self._line_count - 1
        if row >= len(layout.rows(line)):  # past the end of the text
            line = last_line + 1
        for _ in range(height):
            if line > last_line:
                view.append(None)
                continue
            view.append((line, row, *layout.row_span(line, row)))
            row += 1
            if row >= len(layout.rows(line)):
                line, row = line + 1, 0
        self._view_key, self._view = key, view
        if layout.index.total_rows != self.virtual_size.height:
            self._schedule_virtual_sync()
        return view

    def render_line(self, y: int) -> Strip:
        """Draw screen row ``y`` (Line API)."""
        if self._center_pending:
            self._center_if_pending()
        view = self._view_rows()
        width = self._content_width()
        entry = view[y] if 0 <= y < len(view) else None
        if entry is None:
            return self.painter.blank(width)
        line, row, start, end = entry
        cursor = self._cursor if start <= self._cursor < end else -1
        selection = self.selection
        clipped = None
        if selection and selection[0] < end and selection[1] > start:
            clipped = (max(selection[0], start), min(selection[1], end))
        found = self._found_in(start, end) if self._query else ()
        key = (
            line, row, width, self._layout_gen, self._marks_gen,
            self._line_marks_gen.get(line, 0), self._styles_gen, cursor, clipped,
            self.has_focus, found,
        )
        strip = self._strips.get(key)
        if strip is None:
            strip = self.painter.paint(self._document, self._marks, row == 0, start, end,
                                       cursor, clipped, self.has_focus, width, found)
            self._strips.set(key, strip)
        return strip

    def notify_style_update(self) -> None:
        """Styles (theme, focus) changed: drop cached styles and strips."""
        super().notify_style_update()
        self._painter_cache = None
        self._strips.clear()
        self._styles_gen += 1

    def on_resize(self, event: events.Resize) -> None:
        """Rewrap for the new width (if drawing has not done it already); the first
        size centres a cursor placed by :meth:`show_at` before there was one."""
        if self._layout is not None:
            self._ensure_layout()
        self._center_if_pending()

    def _center_if_pending(self) -> None:
        """Centre the cursor :meth:`show_at` placed before the view had a size (from the
        first frame's drawing, or the first resize, whichever comes first)."""
        if self._center_pending and self.size:
            self._center_pending = False
            self._sync_virtual_size()
            self._scroll_to_cursor(center=True, first=True)
            self.refresh()

    def _restore_view(self) -> None:
        """After a rewrap: the old top text at the top, the cursor on screen."""
        self._restore_pending = False
        self._sync_virtual_size()
        if self._restore_top is not None:
            line, row, _ = self._position(self._restore_top)
            self.scroll_to(y=self._row_y(line, row), animate=False)
        self._scroll_to_cursor()
        self.refresh()

    def on_focus(self, event: events.Focus) -> None:
        self.refresh()

    def on_blur(self, event: events.Blur) -> None:
        self.refresh()

    # -- motions ---------------------------------------------------------------
    def _motion(self, target: int, *, extend: bool = False, keep_column: bool = False,
                top: int | None = None) -> None:
        """Move the cursor as a key does: extend the selection in selection
        mode or when ``extend`` (shift), otherwise drop it."""
        old_cursor, old_selection = self._cursor, self.selection
        if not keep_column:
            self._desired_column = None
        if extend:
            if self._anchor is None:
                self._anchor = self._cursor
        elif not self._select_mode:
            self._anchor = None
        self._cursor = self._clamp(target)
        self._commit(old_cursor, old_selection, top=top)

    def _vertical_target(self, count: int) -> int:
        if self._desired_column is None:
            self._desired_column = self._cursor_column()
        line, row, _ = self._position(self._cursor)
        line, row = self._step_rows(line, row, count)
        return self._offset_at(line, row, self._desired_column)

    def _page(self, direction: int) -> None:
        """The view moves by its height; the cursor keeps its screen row (at least the
        scrolloff margin from the edges)."""
        height = self._view_height()
        line, row, _ = self._position(self._cursor)
        margin = max(0, min(SCROLLOFF, (height - 1) // 2))
        old_row = self._row_y(line, row) - round(self.scroll_y)
        screen_row = max(margin, min(old_row, height - 1 - margin))
        target = self._vertical_target(direction * height + screen_row - old_row)
        line, row, _ = self._position(target)
        self._motion(target, keep_column=True, top=self._row_y(line, row) - screen_row)

    def action_cursor_down(self) -> None:
        """Next row, keeping the column."""
        self._motion(self._vertical_target(1), keep_column=True)

    def action_cursor_up(self) -> None:
        """Previous row, keeping the column."""
        self._motion(self._vertical_target(-1), keep_column=True)

    def action_cursor_left(self) -> None:
        """Previous character."""
        self._motion(self._cursor - 1)

    def action_cursor_right(self) -> None:
        """Next character."""
        self._motion(self._cursor + 1)

    def action_word_next(self) -> None:
        """Start of the next word (an apostrophe inside a word is part of it)."""
        start = next_word_start(self._text, self._cursor)
        self._motion(start if start is not None else self._length - 1)

    def action_word_previous(self) -> None:
        """Start of the previous word (or of the word the cursor is in)."""
        start = prev_word_start(self._text, self._cursor)
        self._motion(start if start is not None else 0)

    def action_sentence_next(self) -> None:
        """Start of the next sentence; in selection mode, the end of this sentence (the
        selection takes the whole sentence and nothing of the next one)."""
        if self._select_mode:
            end = self._document.next_sentence_end(self._cursor)
            if end is not None:
                self._motion(end - 1)
            return
        start = self._document.next_sentence(self._cursor)
        if start is not None:
            self._motion(start)

    def action_sentence_previous(self) -> None:
        """Start of this sentence, or of the previous one when at a start."""
        start = self._document.prev_sentence(self._cursor)
        if start is not None:
            self._motion(start)

    def action_paragraph_next(self) -> None:
        """Start of the next paragraph (block); the end of the text after the last."""
        start = self._document.next_block(self._cursor)
        self._motion(start if start is not None else self._length - 1)

    def action_paragraph_previous(self) -> None:
        """Start of this paragraph, or of the previous one when at a start."""
        start = self._document.prev_block(self._cursor)
        self._motion(start if start is not None else 0)

    def action_cursor_start(self) -> None:
        """Start of the briefing."""
        self._motion(0)

    def action_cursor_end(self) -> None:
        """End of the briefing (its last character)."""
        self._motion(self._length - 1)

    def action_page_down_cursor(self) -> None:
        """A screen down: cursor and view move by the viewport height."""
        self._page(1)

    def action_page_up_cursor(self) -> None:
        """A screen up: cursor and view move by the viewport height."""
        self._page(-1)

    def action_extend(self, direction: str) -> None:
        """Shift+arrow: extend the selection (starting one at the cursor)."""
        if direction in ("up", "down"):
            target = self._vertical_target(-1 if direction == "up" else 1)
            self._motion(target, extend=True, keep_column=True)
        else:
            self._motion(self._cursor + (-1 if direction == "left" else 1), extend=True)

    def action_toggle_selection(self) -> None:
        """Start a selection at the cursor (motions extend it), or cancel it."""
        if self._anchor is not None:
            self.clear_selection()
            return
        old_cursor, old_selection = self._cursor, self.selection
        self._anchor = self._cursor
        self._select_mode = True
        self._commit(old_cursor, old_selection)

    def action_select_sentence(self) -> None:
        """Select the sentence under the cursor."""
        span = self._document.sentence_at(self._cursor)
        if span is not None:
            self.select_span(*span)

    def action_select_paragraph(self) -> None:
        """Select the paragraph (block) under the cursor."""
        block = self._document.block_at(self._cursor)
        if block is not None:
            self.select_span(block.start, block.end)

    def action_select_quotation(self) -> None:
        """Select the text inside the quotation under the cursor, without its marks."""
        span = self._document.quotation_at(self._cursor)
        if span is None:
            # In the status line of the screen (where the analyst looks after a key).
            self.post_message(ShowStatus("no quotation under the cursor"))
            return
        start, end = span
        if end - start >= 2 and _is_quote_mark(self._text[start]) and _is_quote_mark(
            self._text[end - 1]
        ):
            start, end = start + 1, end - 1
        self.select_span(start, end)

    def action_cancel_selection(self) -> None:
        """Clear the selection; with none, let escape go to the screen."""
        if self._anchor is None:
            raise SkipAction()
        self.clear_selection()

    # -- find --------------------------------------------------------------------
    def _find(self, forward: bool) -> int | None:
        matches = self._matches
        if not self._query or not matches:
            return None
        if forward:
            i = bisect_right(matches, self._cursor)
            offset = matches[i] if i < len(matches) else matches[0]
        else:
            i = bisect_left(matches, self._cursor) - 1
            offset = matches[i] if i >= 0 else matches[-1]
        self._motion(offset)
        return offset

    def _found_in(self, start: int, end: int) -> tuple[tuple[int, int], ...]:
        """The parts of the matches inside the row ``[start, end)``."""
        matches, size = self._matches, len(self._query)
        if not size:
            return ()
        low = bisect_right(matches, start - size)
        high = bisect_left(matches, end)
        return tuple((max(m, start), min(m + size, end)) for m in matches[low:high])

    # -- mouse -------------------------------------------------------------------
    def _offset_at_screen(self, x: int, y: int) -> int:
        height = self._view_height()
        y = max(0, min(y, height - 1))
        view = self._view_rows()
        entry = view[y] if y < len(view) else None
        if entry is None:
            # Below the end of the text: the last character.
            return self._length - 1
        line, row = entry[0], entry[1]
        return self._offset_at(line, row, max(0, x - GUTTER))

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """Click: place the cursor at the clicked cell and start a drag."""
        if event.button != 1:
            return
        offset = event.get_content_offset_capture(self)
        self.focus()
        target = self._offset_at_screen(offset.x, offset.y)
        self._select_mode = False
        self._mouse_anchor = target
        self.capture_mouse()
        # No scrolloff for the mouse: the text under the pointer stays where it is.
        self._place(target, margin=0)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """Drag: select from where the button went down to the cell under the mouse."""
        # Between our mouse-down and mouse-up the mouse is captured, so every
        # move is a drag.
        if self._mouse_anchor is None:
            return
        offset = event.get_content_offset_capture(self)
        target = self._offset_at_screen(offset.x, offset.y)
        if target == self._cursor and self._anchor is not None:
            return
        old_cursor, old_selection = self._cursor, self.selection
        self._anchor = self._mouse_anchor
        self._cursor = target
        self._desired_column = None
        self._commit(old_cursor, old_selection, margin=0)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        """End a drag."""
        if self._mouse_anchor is not None:
            self._mouse_anchor = None
            self.release_mouse()
