"""Word wrap by terminal cell width, for the reader pane.

Pure functions (no Textual). A *line* here is one logical line of the reading
text, usually passed with its trailing ``"\\n"`` so that the end-of-line
position gets a cell of its own (the reader's cursor can rest there).

Cell widths follow ``rich.cells``: CJK and most emoji take two cells,
combining marks none. Control characters (newline, tab, ...) take one cell;
the reader draws a newline as a space and any other control as its placeholder
(see :data:`DISPLAY_TABLE`, from :mod:`briefing_tui.core.safetext`).

>>> wrap_line("the quick brown fox", 10)
[0, 10]
>>> wrap_line("中文字符", 5)
[0, 2]
"""

from __future__ import annotations

import re

from rich.cells import get_character_cell_size

from briefing_tui.core.safetext import READER_TABLE

# A wrap unit is a run of non-space characters together with the one
# whitespace character after it (so a row never starts with the space that
# separated two words), or a lone whitespace character.
_UNIT = re.compile(r"\S+\s?|\s")

#: ``str.translate`` table of what the reader draws for a control character: a newline
#: as a space, the others as one-cell placeholders (``␛``, ``�``); never the control.
DISPLAY_TABLE = READER_TABLE


def char_cells(char: str) -> int:
    """Cells one character takes in the reader: 2 for wide characters, 0 for
    combining marks, 1 for everything else including control characters.

    >>> char_cells("a"), char_cells("中"), char_cells("\\n")
    (1, 2, 1)
    """
    if char < "\xa0":  # ASCII and C0/C1 controls: one cell (drawn as a placeholder)
        return 1
    return get_character_cell_size(char)


def text_cells(text: str) -> int:
    """Cells taken by ``text`` (see :func:`char_cells`).

    >>> text_cells("ab中")
    4
    """
    if text.isascii():
        return len(text)
    return sum(map(char_cells, text))


def wrap_line(text: str, width: int) -> list[int]:
    """Greedy word wrap of one line into rows of at most ``width`` cells.

    Returns the start index of every row (the first is always 0), so
    ``text[starts[i]:starts[i + 1]]`` is row ``i`` and the rows concatenated
    give back ``text``. A word wider than ``width`` is broken between
    characters; a whitespace character stays with the word before it.
    ``width`` below 2 is treated as 2 (a wide character must fit a row).

    >>> wrap_line("aaa bbb ccc", 8)
    [0, 8]
    >>> wrap_line("abcdefghij", 4)
    [0, 4, 8]
    """
    width = max(width, 2)
    ascii_text = text.isascii()
    if ascii_text and len(text) <= width:
        return [0]
    starts = [0]
    col = 0
    for match in _UNIT.finditer(text):
        start, end = match.span()
        cells = end - start if ascii_text else text_cells(match.group())
        if col + cells <= width:
            col += cells
            continue
        if cells <= width:
            # The unit fits a row of its own: start one.
            starts.append(start)
            col = cells
            continue
        # A unit wider than a row: start it on a fresh row, then break it
        # between characters.
        if col:
            starts.append(start)
            col = 0
        for index in range(start, end):
            char_width = 1 if ascii_text else char_cells(text[index])
            if col + char_width > width and col:
                starts.append(index)
                col = 0
            col += char_width
    return starts


def column_of(text: str, index: int) -> int:
    """Cell column at which ``text[index]`` is drawn.

    >>> column_of("中a", 1)
    2
    """
    return text_cells(text[:index])


def index_at_column(text: str, column: int) -> int:
    """Index of the character drawn at cell ``column`` of ``text``.

    A wide character answers for both of its cells; a column past the end
    answers the last character (0 for an empty text).

    >>> index_at_column("中a", 1), index_at_column("中a", 2), index_at_column("中a", 9)
    (0, 1, 1)
    """
    if not text:
        return 0
    if text.isascii():
        return max(0, min(column, len(text) - 1))
    col = 0
    for index, char in enumerate(text):
        col += char_cells(char)
        if col > column:
            return index
    return len(text) - 1
