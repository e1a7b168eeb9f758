"""Unit tests of the reader's pure helpers: cell-width word wrap and the lazy row index."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from briefing_tui.core.lines import line_starts
from briefing_tui.ui.widgets.rowindex import LineLayout, RowIndex
from briefing_tui.ui.widgets.wrap import (
    char_cells,
    column_of,
    index_at_column,
    text_cells,
    wrap_line,
)


def rows_of(text: str, width: int) -> list[str]:
    starts = wrap_line(text, width)
    return [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)])]


def test_wraps_at_word_boundaries_keeping_the_space_with_the_word() -> None:
    assert rows_of("the quick brown fox jumps", 10) == ["the quick ", "brown fox ", "jumps"]


def test_a_word_longer_than_the_width_is_broken() -> None:
    assert rows_of("abcdefghijkl xy", 5) == ["abcde", "fghij", "kl xy"]


def test_cjk_takes_two_cells_per_character() -> None:
    rows = rows_of("中文字符测试", 5)
    assert rows == ["中文", "字符", "测试"]
    assert all(cell_len(row) <= 5 for row in rows)


def test_emoji_take_two_cells() -> None:
    rows = rows_of("ok 😀😀😀 fine", 6)
    # The word fills the row exactly, so its space starts the next one.
    assert rows == ["ok ", "😀😀😀", " fine"]
    assert "".join(rows) == "ok 😀😀😀 fine"
    assert all(text_cells(row) <= 6 for row in rows)


def test_newline_is_a_cell_of_its_own() -> None:
    # "abcd\n" needs 5 cells: the end-of-line position gets one.
    assert rows_of("ab cd\n", 5) == ["ab ", "cd\n"]
    assert rows_of("ab c\n", 5) == ["ab c\n"]


def test_short_line_is_one_row() -> None:
    assert wrap_line("", 10) == [0]
    assert wrap_line("short", 10) == [0]


def test_width_below_two_still_fits_wide_characters() -> None:
    assert rows_of("中中", 1) == ["中", "中"]


@given(
    st.text(
        alphabet=st.sampled_from(list("ab cd  ef\tgh中文😀é\u0301-—")), max_size=120
    ),
    st.integers(min_value=2, max_value=30),
)
def test_rows_never_exceed_the_width_and_give_back_the_line(text: str, width: int) -> None:
    rows = rows_of(text, width)
    assert "".join(rows) == text
    assert all(text_cells(row) <= width for row in rows)
    assert all(row for row in rows) or text == ""


def test_cell_helpers() -> None:
    assert [char_cells(c) for c in "a中😀\n\t"] == [1, 2, 2, 1, 1]
    assert char_cells("\u0301") == 0
    assert text_cells("a中") == 3
    assert column_of("中a中", 2) == 3
    assert [index_at_column("a中b", x) for x in range(5)] == [0, 1, 1, 2, 2]
    assert index_at_column("", 3) == 0
    assert index_at_column("abc", 10) == 2


def test_line_starts_include_a_final_sentinel() -> None:
    assert line_starts("ab\n\ncde") == [0, 3, 4, 7]
    assert line_starts("ab\n") == [0, 3, 3]  # an empty last line
    assert line_starts("") == [0, 0]


def test_long_lines_are_laid_out_in_pieces_cut_after_a_space() -> None:
    text = "short\n" + "word " * 100 + "\n" + "x" * 50
    starts = line_starts(text, max_line=64)
    assert starts[0] == 0 and starts[1] == 6 and starts[-1] == len(text)
    pieces = [text[a:b] for a, b in pairwise(starts)]
    assert "".join(pieces) == text
    assert all(len(piece) <= 64 for piece in pieces)
    assert all(piece.endswith((" ", "\n")) for piece in pieces[:-1])
    unbroken = "y" * 200
    assert line_starts(unbroken, max_line=64) == [0, 64, 128, 192, 200]


def test_row_index_estimates_then_refines() -> None:
    index = RowIndex(line_starts("x" * 95 + "\n\n" + "y" * 10), chars_per_row=10)
    # Estimate: one row per line plus one per 10 characters before it.
    assert index.first_row(1) == 1 + 96 // 10
    assert not index.is_exact(0)
    change = index.set_exact(0, 12)
    assert change == 12 - 10
    assert index.is_exact(0)
    assert index.row_count(0) == 12
    assert index.first_row(1) == 12
    assert index.first_row(2) == 13
    assert index.total_rows == 13 + index.row_count(2)
    index.set_exact(2, 1)
    assert index.total_rows == 14


def test_row_index_locate_inverts_first_row() -> None:
    lines = ["a" * n for n in (0, 5, 25, 3, 40, 0, 0, 17)]
    index = RowIndex(line_starts("\n".join(lines)), chars_per_row=8)
    index.set_exact(2, 7)
    index.set_exact(4, 1)
    for line in range(len(lines)):
        first = index.first_row(line)
        assert index.locate(first) == (line, 0)
        count = index.row_count(line)
        assert count >= 1
        assert index.locate(first + count - 1) == (line, count - 1)
    assert index.locate(10_000)[0] == len(lines) - 1


def test_line_layout_keeps_the_wraps_used_last() -> None:
    text = "one line\ntwo line\nthree line"
    wrapped: list[str] = []

    def counting_wrap(line: str, width: int) -> list[int]:
        wrapped.append(line.strip())
        return wrap_line(line, width)

    layout = LineLayout(text, line_starts(text), 20, cache_size=2, wrap=counting_wrap)
    layout.rows(0)
    layout.rows(1)
    layout.rows(0)  # a hit: line 0 is now the one used last
    layout.rows(2)  # full: drops line 1, used longest ago
    layout.rows(0)
    assert wrapped == ["one line", "two line", "three line"]
    layout.rows(1)
    assert wrapped[-1] == "two line"


def test_line_layout_wraps_lazily_and_keeps_exact_counts_after_eviction() -> None:
    text = "\n".join(["word " * 40, "short", "中" * 30])
    layout = LineLayout(text, line_starts(text), 20, cache_size=1)
    assert not layout.index.is_exact(0)
    rows = layout.rows(0)
    assert layout.index.is_exact(0)
    # 10 full rows, then the end-of-line cell after the trailing space.
    assert layout.index.row_count(0) == len(rows) == 11
    layout.rows(2)  # evicts line 0 from the wrap cache
    assert layout.index.row_count(0) == 11
    assert layout.rows(0) == rows
    assert layout.refine(1) == 0 or layout.index.is_exact(1)
    assert layout.position(layout.starts[2] + 11) == (2, 1, 11)
    assert layout.row_span(2, 0) == (layout.starts[2], layout.starts[2] + 10)
    assert layout.line_text(0).endswith("\n") and not layout.line_text(2).endswith("\n")
