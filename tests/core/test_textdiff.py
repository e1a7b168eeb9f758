"""TextDiff: where the passages of an old text went in a new one."""

from __future__ import annotations

from briefing_tui.core.textdiff import TextDiff, equal_blocks
from tests.core.test_anchoring import TEXT


def test_diff_blocks_are_equal_ordered_and_disjoint() -> None:
    old = TEXT
    new = TEXT.replace("productive", "fruitful").replace("summit", "meeting") + " Thanks."
    blocks = equal_blocks(old, new)
    assert blocks
    last_old = last_new = 0
    for o, n, size in blocks:
        assert old[o:o + size] == new[n:n + size]
        assert o >= last_old and n >= last_new
        last_old, last_new = o + size, n + size
    assert sum(size for _, _, size in blocks) >= len(old) - 30


def test_unchanged_passages_map_and_edited_ones_do_not() -> None:
    diff = TextDiff("one two three four five six", "zero one two three four five six")
    assert diff.map_inside(4) == 9  # "two" moved five characters right
    old = TEXT
    new = "Preface. " + TEXT.replace("productive", "fruitful")
    diff = TextDiff(old, new)
    at = old.index("productive")
    assert diff.map_inside(at) is None  # edited
    assert diff.expected(at) == at + len("Preface. ")  # shifted like the passage before it
    kept = old.index("summit")
    assert new[diff.map_inside(kept):].startswith("summit")


def test_gaps_are_the_anchors_left_out_of_the_chain() -> None:
    from briefing_tui.core.textdiff import _gaps

    assert _gaps([1, 2, 5, 6], 9) == [(0, 1), (3, 5), (7, 9)]
    assert _gaps([], 3) == [(0, 3)] and _gaps([0, 1, 2], 3) == [] and _gaps([], 0) == []
    for count in range(12):  # every subset of a small range: the complement, in ranges
        for mask in range(1 << count):
            kept = [i for i in range(count) if mask >> i & 1]
            missing = [i for a, b in _gaps(kept, count) for i in range(a, b)]
            assert missing == [i for i in range(count) if not mask >> i & 1]
