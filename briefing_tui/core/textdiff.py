"""Where the passages of an old text went in a new one (re-anchoring uses it).

>>> diff = TextDiff("one two three four five six", "zero one two three four five six")
>>> diff.map_inside(4)  # "two" moved five characters right
9
"""

from __future__ import annotations

import bisect
import itertools
import os
from collections import Counter

__all__ = ["ANCHOR", "MOVED_BLOCK", "STRONG_BLOCK", "TextDiff", "equal_blocks"]

ANCHOR = 24
"""Length of the unique character runs that anchor the diff of old and new text."""
STRONG_BLOCK = 64
"""Unchanged runs at least this long are trusted to say where a highlight went."""
MOVED_BLOCK = 128
"""A run out of the order of the rest is trusted as a moved passage (a paragraph
taken up or down) only this long: in prose that repeats its phrases, a shorter
one is too often a sentence that happens to recur elsewhere."""


class TextDiff:
    """Where the passages of an old text went in a new one.

    A patience-style diff: runs of ``ANCHOR`` characters that occur once in
    each text anchor the alignment (the longest chain of them in the same
    order in both), and matches grow outwards from the anchors. Unlike a line
    diff it does not lose its way when most paragraphs changed a little, and
    unlike a word diff it stays fast on text with many repeated words. A short
    run may still be a chance match between repeated phrases, so only runs of
    ``STRONG_BLOCK`` characters or more are trusted to carry a highlight.

    The anchors left out of that chain are passages that moved (a paragraph
    taken up or down): grown the same way, they are the ``moved`` blocks.
    """

    def __init__(self, old: str, new: str) -> None:
        self.new_len = len(new)
        self.blocks, self.moved = _diff(old, new)
        self.moved_starts = [b[0] for b in self.moved]
        self.moved_reach = list(itertools.accumulate((b[0] + b[2] for b in self.moved), max))
        self.starts = [b[0] for b in self.blocks]
        # The common beginning and end are certain whatever their length.
        self.strong = [b for b in self.blocks if b[2] >= STRONG_BLOCK or b[:2] == (0, 0)
                       or (b[0] + b[2], b[1] + b[2]) == (len(old), len(new))]
        self.strong_starts = [b[0] for b in self.strong]

    def map_inside(self, pos: int, strong: bool = False) -> int | None:
        """The new offset of old character ``pos`` if it lies in an unchanged passage."""
        return _map_inside(*((self.strong, self.strong_starts) if strong else (self.blocks, self.starts)),
                           pos)

    def map_moved(self, start: int, end: int) -> int | None:
        """The new offset of old ``[start, end)`` if it lies inside one passage that
        moved (out of the order of the rest): its text is there, unchanged.

        A moved passage holds an ``ANCHOR``-long run found once in each text, so the
        span inside it has exactly one place to go.
        """
        found: set[int] = set()
        i = bisect.bisect_right(self.moved_starts, start) - 1
        # Scan back while some block so far still reaches ``end``.
        while i >= 0 and self.moved_reach[i] >= end:
            old_start, new_start, size = self.moved[i]
            if end <= old_start + size:
                found.add(new_start + start - old_start)
            i -= 1
        # Two blocks holding it that disagree on where it went: no answer.
        return found.pop() if len(found) == 1 else None

    def expected(self, pos: int) -> int:
        """Best guess at the new offset of old ``pos``: shifted like the passage before it."""
        i = bisect.bisect_right(self.starts, pos) - 1
        if i < 0:
            return min(pos, self.new_len)
        old_start, new_start, _ = self.blocks[i]
        return min(new_start + pos - old_start, self.new_len)

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        """The part of the new text where old ``[start, end)`` must be, if it is
        unchanged: between the long unchanged passages around it."""
        i = bisect.bisect_right(self.strong_starts, start) - 1
        if i < 0:
            lo = 0
        else:
            o, n, size = self.strong[i]
            lo = n + start - o if start < o + size else n + size
        j = bisect.bisect_right(self.strong_starts, end - 1) - 1
        if j >= 0 and end - 1 < self.strong[j][0] + self.strong[j][2]:
            o, n, _ = self.strong[j]
            hi = n + end - o
        else:
            hi = self.strong[j + 1][1] if j + 1 < len(self.strong) else self.new_len
        return lo, max(lo, hi)


Block = tuple[int, int, int]


def equal_blocks(old: str, new: str) -> list[Block]:
    """Unchanged passages as ``(old_start, new_start, length)``, ordered and disjoint."""
    return _diff(old, new)[0]


def _diff(old: str, new: str) -> tuple[list[Block], list[Block]]:
    """The unchanged passages in order (``equal_blocks``) and those that moved
    (ordered by old start, disjoint in the old text)."""
    head = len(_common_prefix(old, new))
    if head == len(old) == len(new):
        return ([(0, 0, len(old))] if old else []), []
    tail = len(_common_prefix(old[head:][::-1], new[head:][::-1]))
    blocks: list[Block] = []
    _append(blocks, 0, 0, head)
    anchored, moved = _anchored_blocks(old, new, head, len(old) - tail, head, len(new) - tail)
    for o, n, size in anchored:
        _append(blocks, o, n, size)
    _append(blocks, len(old) - tail, len(new) - tail, tail)
    return blocks, moved


def _anchored_blocks(old: str, new: str, o_lo: int, o_hi: int,
                     n_lo: int, n_hi: int) -> tuple[list[Block], list[Block]]:
    """Equal runs between ``old[o_lo:o_hi]`` and ``new[n_lo:n_hi]`` found from unique
    anchors: those in order, and those that moved."""
    k = ANCHOR
    old_grams = [old[i:i + k] for i in range(o_lo, o_hi - k + 1)]
    new_grams = [new[j:j + k] for j in range(n_lo, n_hi - k + 1)]
    old_count = Counter(old_grams)
    new_count = Counter(new_grams)
    new_at = {g: j for j, g in enumerate(new_grams, n_lo) if new_count[g] == 1}
    pairs = [(i, new_at[g]) for i, g in enumerate(old_grams, o_lo)
             if old_count[g] == 1 and g in new_at]
    in_chain = _longest_chain(pairs)
    chain = [pairs[index] for index in in_chain]
    # Merge anchors on one diagonal into runs, then grow each run outwards.
    runs = _diagonal_runs(chain, k)
    blocks: list[tuple[int, int, int]] = []
    o_floor, n_floor = o_lo, n_lo
    for index, (o, n, size) in enumerate(runs):
        o_ceil, n_ceil = (runs[index + 1][0], runs[index + 1][1]) if index + 1 < len(runs) else (o_hi, n_hi)
        if o < o_floor or n < n_floor:  # overlaps the previous run's growth: trim
            cut = max(o_floor - o, n_floor - n)
            o, n, size = o + cut, n + cut, size - cut
            if size <= 0:
                continue
        while o > o_floor and n > n_floor and old[o - 1] == new[n - 1]:
            o, n, size = o - 1, n - 1, size + 1
        while o + size < o_ceil and n + size < n_ceil and old[o + size] == new[n + size]:
            size += 1
        blocks.append((o, n, size))
        o_floor, n_floor = o + size, n + size
    left_out = [pair for a, b in _gaps(in_chain, len(pairs)) for pair in pairs[a:b]]
    return blocks, _moved_blocks(old, new, left_out)


def _diagonal_runs(pairs: list[tuple[int, int]], k: int) -> list[list[int]]:
    """Anchors of ``k`` characters (sorted by old start) merged into runs
    ``[old_start, new_start, length]``: neighbours on one diagonal that touch or overlap."""
    runs: list[list[int]] = []
    for i, j in pairs:
        if runs:
            o, n, size = runs[-1]
            if i - o == j - n and i <= o + size:
                runs[-1][2] = max(size, i + k - o)
                continue
        runs.append([i, j, k])
    return runs


def _moved_blocks(old: str, new: str, pairs: list[tuple[int, int]]) -> list[Block]:
    """Runs grown from anchors out of the chain's order: passages that moved.

    Each grows while old and new agree; only ``MOVED_BLOCK`` long ones are
    kept. Two neighbours that moved together may overlap (by the separator
    they share): ordered by old start, not disjoint.
    """
    runs = _diagonal_runs(pairs, ANCHOR)  # pairs are sorted by old start
    grown: list[Block] = []
    for o, n, size in runs:
        if grown and grown[-1][0] - grown[-1][1] == o - n and o < grown[-1][0] + grown[-1][2]:
            continue  # on the same diagonal, the last one grew over it already
        while o > 0 and n > 0 and old[o - 1] == new[n - 1]:
            o, n, size = o - 1, n - 1, size + 1
        while o + size < len(old) and n + size < len(new) and old[o + size] == new[n + size]:
            size += 1
        grown.append((o, n, size))
    # A short run out of order is as likely a chance match of repeated phrases.
    return sorted(b for b in grown if b[2] >= MOVED_BLOCK)


def _longest_chain(pairs: list[tuple[int, int]]) -> list[int]:
    """Indices (ascending) of the longest subsequence of ``pairs`` (sorted by first
    item) increasing in the second."""
    tails: list[int] = []  # tails[m]: smallest second item ending a chain of length m + 1
    tail_index: list[int] = []
    back = [-1] * len(pairs)
    for index, (_, j) in enumerate(pairs):
        m = bisect.bisect_left(tails, j)
        if m == len(tails):
            tails.append(j)
            tail_index.append(index)
        else:
            tails[m] = j
            tail_index[m] = index
        back[index] = tail_index[m - 1] if m else -1
    chain = []
    index = tail_index[-1] if tail_index else -1
    while index != -1:
        chain.append(index)
        index = back[index]
    return chain[::-1]


def _gaps(indices: list[int], count: int) -> list[tuple[int, int]]:
    """The ranges ``[a, b)`` of ``range(count)`` missing from ascending ``indices``.

    Found by halving (a stretch without a gap spans exactly its length), so
    the cost follows the few gaps, not the millions of anchors of a long text.

    >>> _gaps([1, 2, 5, 6], 9)
    [(0, 1), (3, 5), (7, 9)]
    """
    if not indices:
        return [(0, count)] if count else []
    found = [(0, indices[0])] if indices[0] else []
    stack = [(0, len(indices) - 1)]  # positions lo < hi in indices
    inner = []
    while stack:
        lo, hi = stack.pop()
        if indices[hi] - indices[lo] == hi - lo:
            continue
        if hi - lo == 1:
            inner.append((indices[lo] + 1, indices[hi]))
            continue
        mid = (lo + hi) // 2
        stack += [(lo, mid), (mid, hi)]
    found += sorted(inner)
    if indices[-1] + 1 < count:
        found.append((indices[-1] + 1, count))
    return found


def _common_prefix(a: str, b: str) -> str:
    return os.path.commonprefix([a, b])


def _append(blocks: list[tuple[int, int, int]], old_start: int, new_start: int, size: int) -> None:
    """Add an equal block after the last one, merging it when they touch."""
    if size <= 0:
        return
    if blocks:
        o, n, s = blocks[-1]
        if o + s == old_start and n + s == new_start:
            blocks[-1] = (o, n, s + size)
            return
    blocks.append((old_start, new_start, size))


def _map_inside(blocks: list[tuple[int, int, int]], starts: list[int], pos: int) -> int | None:
    """The new offset of old character ``pos`` if it lies in an unchanged passage."""
    i = bisect.bisect_right(starts, pos) - 1
    if i >= 0:
        old_start, new_start, size = blocks[i]
        if pos < old_start + size:
            return new_start + pos - old_start
    return None
