"""Lazy map between logical lines of a text and wrapped screen rows.

Pure Python (no Textual). Opening a long document must not wrap every line,
so a line's row count starts as an *estimate* derived from the line lengths
alone, and becomes *exact* when the line is wrapped (because it was drawn or
the cursor visited it). Both directions of the map cost O(log n):

* the estimate is a closed form over the line-start offsets: rows before line
  ``i`` are ``i + starts[i] // chars_per_row`` (every line takes at least one
  row), so nothing is computed per line at open;
* the exact corrections (exact count minus estimate) live in a Fenwick tree.

:class:`LineLayout` adds the lines themselves and an LRU cache of their wraps.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence

from textual.cache import LRUCache

from briefing_tui.ui.widgets.wrap import wrap_line

__all__ = ["LineLayout", "RowIndex"]


class RowIndex:
    """Row counts of ``n`` lines: estimated until set exactly.

    ``starts`` are the line starts from :func:`~briefing_tui.core.lines.line_starts` (``n + 1`` entries,
    non-decreasing). ``chars_per_row`` is the estimate's characters per row.
    """

    def __init__(self, starts: Sequence[int], chars_per_row: int) -> None:
        self._starts = starts
        self._count = len(starts) - 1
        self._cpr = max(1, chars_per_row)
        self._tree = [0] * (self._count + 1)  # Fenwick tree of corrections
        self._exact = bytearray(self._count)
        self._correction_total = 0

    @property
    def line_count(self) -> int:
        """Number of lines."""
        return self._count

    def _baseline(self, line: int) -> int:
        """Estimated rows before ``line`` (ignoring corrections): every line
        takes one row, plus one per ``chars_per_row`` characters before it."""
        return line + self._starts[line] // self._cpr

    def _correction_before(self, line: int) -> int:
        """Sum of the corrections of lines ``0 .. line - 1``."""
        total = 0
        tree = self._tree
        while line > 0:
            total += tree[line]
            line &= line - 1
        return total

    def first_row(self, line: int) -> int:
        """Row at which ``line`` starts (``line == line_count`` gives the total)."""
        return self._baseline(line) + self._correction_before(line)

    @property
    def total_rows(self) -> int:
        """Rows of the whole text (exact where known, estimated elsewhere)."""
        return self._baseline(self._count) + self._correction_total

    def is_exact(self, line: int) -> bool:
        """Whether the row count of ``line`` is known exactly."""
        return bool(self._exact[line])

    def row_count(self, line: int) -> int:
        """Rows of ``line`` (exact or estimated)."""
        return self.first_row(line + 1) - self.first_row(line)

    def set_exact(self, line: int, rows: int) -> int:
        """Record the exact row count of ``line``; return the change in rows."""
        change = rows - self.row_count(line)
        self._exact[line] = 1
        if change:
            self._correction_total += change
            index = line + 1
            tree = self._tree
            while index <= self._count:
                tree[index] += change
                index += index & -index
        return change

    def locate(self, row: int) -> tuple[int, int]:
        """``(line, row within line)`` of a row; rows past the end answer the last line."""
        if self._count == 0:
            return 0, 0
        low, high = 0, self._count - 1
        # Largest line whose first row is <= row: first_row is increasing.
        while low < high:
            middle = (low + high + 1) // 2
            if self.first_row(middle) <= row:
                low = middle
            else:
                high = middle - 1
        return low, max(0, row - self.first_row(low))


class LineLayout:
    """The layout lines of ``text`` (see :func:`~briefing_tui.core.lines.line_starts`) wrapped to
    ``width`` cells, lazily.

    ``rows(line)`` gives the exact row starts of a line (wrapping it on first
    use and refining the :class:`RowIndex`); ``index`` answers row <-> line
    questions in O(log n). Only the ``cache_size`` most recently used wraps
    are kept; the exact row counts are kept for every line ever wrapped.
    """

    def __init__(
        self,
        text: str | Callable[[int, int], str],
        starts: Sequence[int],
        width: int,
        *,
        cache_size: int = 4096,
        wrap: Callable[[str, int], list[int]] = wrap_line,
    ) -> None:
        # The text, or a function giving text[start:end] (a document that reads its text
        # lazily answers the first screen from its head).
        self._slice: Callable[[int, int], str] = (
            (lambda start, end: text[start:end]) if isinstance(text, str) else text)
        self.starts = starts
        self.width = max(2, width)
        # Word wrap leaves part of a row empty: estimate 9/10 of the width.
        self.index = RowIndex(starts, max(1, self.width * 9 // 10))
        self.line_count = len(starts) - 1
        self._wrap = wrap
        self._cache: LRUCache[int, list[int]] = LRUCache(cache_size)

    def line_text(self, line: int) -> str:
        """Text of ``line``, with its newline if it has one."""
        return self._slice(self.starts[line], self.starts[line + 1])

    def rows(self, line: int) -> list[int]:
        """Exact row starts of ``line`` (offsets relative to the line start)."""
        starts = self._cache.get(line)
        if starts is not None:
            return starts
        starts = self._wrap(self.line_text(line), self.width)
        self._cache.set(line, starts)
        if not self.index.is_exact(line):
            self.index.set_exact(line, len(starts))
        return starts

    def refine(self, line: int) -> int:
        """Make the row count of ``line`` exact; return the change in rows."""
        if self.index.is_exact(line):
            return 0
        before = self.index.row_count(line)
        self.rows(line)
        return self.index.row_count(line) - before

    def line_of(self, offset: int) -> int:
        """Layout line holding text ``offset`` (a newline belongs to its line)."""
        return max(0, min(bisect_right(self.starts, offset) - 1, self.line_count - 1))

    def position(self, offset: int) -> tuple[int, int, int]:
        """``(line, row within line, index within line)`` of a text offset."""
        line = self.line_of(offset)
        relative = offset - self.starts[line]
        rows = self.rows(line)
        return line, bisect_right(rows, relative) - 1, relative

    def row_span(self, line: int, row: int) -> tuple[int, int]:
        """Absolute ``[start, end)`` of a row (end includes a newline)."""
        rows = self.rows(line)
        base = self.starts[line]
        end = rows[row + 1] if row + 1 < len(rows) else self.starts[line + 1] - base
        return base + rows[row], base + end
