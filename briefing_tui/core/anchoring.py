"""Quote selectors and re-anchoring of highlights when a briefing's text changes.

A highlight is stored with its exact quote and up to ``CONTEXT`` characters of
prefix and suffix (the W3C TextQuoteSelector), so it can be found again after
the briefing's source was edited and re-imported.

``reanchor`` places one highlight in the new text, in this order:

1. **position**: the quote is still at its old offset, with one whole side of
   its (32-character) context around it;
2. **exact quote**, where it should be (near the old offset; for
   ``reanchor_all``, where the diff puts its passage): an occurrence with a
   whole side of its context, or a long quote (``UNIQUE_LEN``) found once.
   Else, if the context is found around *other* text there, fitting clearly
   better than around any occurrence, the quote was edited (or deleted)
   there: it belongs there (the fuzzy match of step 3 on that stretch) or
   nowhere. Else the occurrence whose surroundings are most similar, if that
   is evidence enough (``SIMILAR_CONTEXT``, ``MIN_SUPPORT`` characters agreeing,
   clearly better than the other repeats; a quote of 8 characters or more:
   also within ``NEAR`` characters of the old offset). Far from where it
   should be, only an occurrence that looks moved there (``_moved``);
3. **fuzzy**: an approximate match of the quote, and of quote+context (so the
   context picks the right one among similar passages), in a window around
   the expected place, else wherever a whole side of its context moved to;
   edges refined to word boundaries; accepted only within an error budget
   proportional to the quote's length (``EDIT_RATE``, ``MIN_EDITS``) while
   keeping most of the quote (``MIN_RATIO``), with context supporting it, and
   never for quotes shorter than ``MIN_FUZZY_LEN``;
4. otherwise ``None``: the highlight becomes an *orphan*. Never a guess.

``reanchor_all`` does the same for all highlights of a briefing, knowing the
old text too: a diff (:class:`~briefing_tui.core.textdiff.TextDiff`) says where each unchanged passage went, so a
highlight inside unchanged text moves with it whatever repeats elsewhere, an
edited one is looked for between the unchanged text around it, and 256
characters of old context replace the stored 32. A highlight inside a passage
that moved intact (a paragraph taken up, down or far away) goes with it: its
neighbours changed, but the passage is found once in each text (as is, when
nothing else placed it, a quote found once in each text). Prefer it whenever
the old text is at hand.

Approximate matching uses rapidfuzz: well kept, C++ fast, and it offers both
the substring alignment (``fuzz.partial_ratio_alignment``) and the bounded
Levenshtein distance this needs.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Sequence

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from briefing_tui.core.textdiff import TextDiff

CONTEXT = 32

# Thresholds of the strategy (see the module docstring).
MIN_FUZZY_LEN = 8
"""Quotes shorter than this are only ever found exactly: a fuzzy match of a
few characters would land on unrelated words."""
EDIT_RATE = 0.2
"""Error budget of a fuzzy match: Levenshtein edits per quote character..."""
MIN_EDITS = 2
"""...but at least this many."""
MIN_RATIO = 80.0
"""The matched text must keep most of the quote: rapidfuzz ``fuzz.ratio``
(normalized Indel similarity, 0-100) against the old quote."""
ALONE_RATIO = 90.0
"""A fuzzy match without supporting context must be at least this similar."""
MIN_SUPPORT = 16
"""Characters of context agreeing exactly on one side that count as evidence."""
SIMILAR_CONTEXT = 0.75
"""Context this similar overall (see ``_similarity``, 0..1) counts as strong evidence."""
CLEARER = 0.1
"""How much better (in similarity, less a small penalty for distance from the
expected place) the context around an edited stretch must fit than around any
exact repeat, to say the quote was edited there."""
NEAR = 64
"""A quote (not a short one) with no supporting context is taken only this
close to the expected place."""
WINDOW = 2048
"""How far around the expected place to look first (and, without strong
evidence, at all)."""
REFINE = 64
"""Edges of a fuzzy match move at most this far while being refined."""
MAX_REPEATS = 2000
"""Only this many repeats of a quote, the nearest to the expected place, are weighed."""
NARROW = 2048
"""A diff's stretch for a passage is evidence of where it went only when at
most this much longer than the quote (two texts with little in common give
one wide stretch)."""
MAX_SEEDS = 50
"""At most this many places (the nearest) where the context moved to are tried."""
HOPELESS = 60.0
"""A rough match this unlike the quote (``fuzz.ratio``) is not worth refining."""
UNIQUE_LEN = 32
"""A quote this long found exactly once, where it should be, is taken even if
its context was edited on both sides."""
KEY = 16
"""Length of the pieces of context looked up to find it around an edited quote."""
WIDE_CONTEXT = 256
"""``reanchor_all`` knows the old text: it compares this much context."""
DIFF_SLACK = 64
"""How far a diff's choice among equally good alignments may move an edge."""

Span = tuple[int, int]


def quote_selector(text: str, start: int, end: int, context: int = CONTEXT) -> tuple[str, str, str]:
    """Return ``(exact, prefix, suffix)`` for ``text[start:end]``.

    >>> quote_selector("abc def ghi", 4, 7, context=2)
    ('def', 'c ', ' g')
    """
    return text[start:end], text[max(0, start - context):start], text[end:end + context]


def reanchor(new_text: str, exact: str, prefix: str, suffix: str,
             old_start: int, old_end: int) -> Span | None:
    """Where the highlight ``exact`` (once at ``[old_start, old_end)``) lies in ``new_text``.

    Returns the new half-open span, or ``None`` when it cannot be placed safely
    (an orphan). A fuzzy placement may cover text that differs a little from
    ``exact``; the caller stores the text found there. Without the old text,
    ``old_start`` is the only clue to where the passage went: prefer
    ``reanchor_all`` when the old text is at hand.

    >>> reanchor("The talks were productive.", "talks", "The ", " were", 4, 9)
    (4, 9)
    >>> reanchor("Yes. The talks were productive.", "talks", "The ", " were", 4, 9)
    (9, 14)
    >>> reanchor("A cat and a cat.", "cat", "and a ", ".", 2, 5)
    (12, 15)
    >>> reanchor("Nothing here.", "talks", "The ", " were", 4, 9) is None
    True
    """
    del old_end  # the quote's length is len(exact); old_end adds nothing
    return _place(new_text, exact, prefix, suffix, old_start)


def reanchor_all(old_text: str, new_text: str,
                 highlights: Sequence[tuple[str, int, int, str, str, str]],
                 ) -> dict[str, Span | None]:
    """Re-anchor every highlight ``(id, start, end, exact, prefix, suffix)`` of a briefing.

    A diff of ``old_text`` and ``new_text`` tells where each unchanged passage
    went. A highlight lying in long unchanged passages moves exactly with
    them; one whose surroundings are unchanged is looked for only between
    them; one inside a passage that moved goes with it; the others go through
    the ``reanchor`` strategy, looking first where the diff says they went and
    comparing 256 characters of old context.

    >>> reanchor_all("a cat and a cat.", "Oh, a cat and a cat.",
    ...              [("h1", 12, 15, "cat", "and a ", ".")])
    {'h1': (16, 19)}
    """
    if old_text == new_text:
        return {h[0]: _place(new_text, h[3], h[4], h[5], h[1]) for h in highlights}
    diff = TextDiff(old_text, new_text)
    result: dict[str, Span | None] = {}
    for hid, start, _end, exact, prefix, suffix in highlights:
        if not exact:
            result[hid] = None
            continue
        if not (0 <= start and old_text.startswith(exact, start)):
            # Stale offsets (e.g. an orphan's): the diff cannot say where it went.
            result[hid] = _place(new_text, exact, prefix, suffix, start)
            continue
        end = start + len(exact)
        first = diff.map_inside(start, strong=True)
        last = diff.map_inside(end - 1, strong=True)
        if first is not None and last == first + len(exact) - 1 and new_text.startswith(exact, first):
            # Both edges lie in long unchanged passages and the quote is
            # between them: that is where it went, whatever repeats elsewhere.
            result[hid] = (first, first + len(exact))
            continue
        wide_prefix = old_text[max(0, start - WIDE_CONTEXT):start]
        wide_suffix = old_text[end:end + WIDE_CONTEXT]
        before = 0 if start == 0 else _shift(diff.map_inside(start - 1, strong=True), 1)
        after = len(new_text) if end == len(old_text) else diff.map_inside(end, strong=True)
        if before is not None and after is not None and before <= after:
            # The text on both sides is unchanged: what lies between is what
            # became of the quote.
            result[hid] = _between(new_text, exact, wide_prefix, wide_suffix, before, after)
            continue
        # The text on one side is unchanged: the quote (perhaps edited) should
        # be right next to it.
        seeds = [(before, before + len(exact), (True, False))] if before is not None else []
        seeds += [(after - len(exact), after, (False, True))] if after is not None else []
        found = None
        for a, b, known in seeds:
            found = _edited_here(new_text, exact, wide_prefix[-CONTEXT:], wide_suffix[:CONTEXT], a, b,
                                 known)
            if found is not None:
                break
        if found is not None:
            result[hid] = found
            continue
        lo, hi = diff.bounds(start, end)
        window = (max(0, lo - DIFF_SLACK), min(len(new_text), hi + DIFF_SLACK))
        result[hid] = _place(new_text, exact, wide_prefix, wide_suffix, diff.expected(start), window)
    for hid, start, _end, exact, prefix, suffix in highlights:
        span = result[hid]
        if (span is not None and new_text[span[0]:span[1]] == exact) or not exact:
            continue
        # Not found intact where it was: inside a passage that moved intact (a
        # paragraph taken up, down or far away) it went with it.
        moved = (diff.map_moved(start, start + len(exact))
                 if 0 <= start and old_text.startswith(exact, start) else None)
        if moved is not None:
            result[hid] = (moved, moved + len(exact))
        elif span is None:
            result[hid] = _moved_unique(old_text, new_text, exact, prefix, suffix)
    return result


def _moved_unique(old_text: str, new_text: str, exact: str, prefix: str,
                  suffix: str) -> Span | None:
    """The one occurrence of a quote found once in each text, when nothing placed
    it where it was: its passage moved (cut and pasted, or a paragraph whose
    phrases all recur elsewhere, so that the diff could not follow it).

    A long quote (``UNIQUE_LEN``) is evidence enough; a shorter one (never one
    under ``MIN_FUZZY_LEN``) needs its context there too (``_supported``).
    """
    if len(exact) < MIN_FUZZY_LEN:
        return None
    pos = new_text.find(exact)
    if pos == -1 or new_text.find(exact, pos + 1) != -1:
        return None
    first = old_text.find(exact)
    if first == -1 or old_text.find(exact, first + 1) != -1:
        return None
    if len(exact) < UNIQUE_LEN and not _supported(new_text, pos, pos + len(exact),
                                                  prefix[-CONTEXT:], suffix[:CONTEXT]):
        return None
    return pos, pos + len(exact)


# -- placing one highlight ----------------------------------------------------

def _place(text: str, exact: str, prefix: str, suffix: str, expected: int,
           window: Span | None = None) -> Span | None:
    """The strategy of ``reanchor``, looking first near ``expected``.

    ``prefix``/``suffix`` may be wider than ``CONTEXT``; the near context (its
    ``CONTEXT`` characters next to the quote) decides what "a whole side"
    means. ``window``: where a diff says the quote went if unchanged.
    """
    size = len(exact)
    if size == 0 or size > len(text):
        return None
    near_prefix, near_suffix = prefix[-CONTEXT:], suffix[:CONTEXT]

    def nearby(pos: int) -> bool:
        """Where it should be: near ``expected`` and in the diff's ``window``."""
        if window is not None and not window[0] <= pos <= window[1]:
            return False
        return abs(pos - expected) <= WINDOW

    # 1. By position: still there, and a whole side of its context agrees.
    if expected >= 0 and text.startswith(exact, expected) and _side_intact(
            text, expected, expected + size, near_prefix, near_suffix):
        return expected, expected + size
    # 2. By exact quote: where it should be, one that keeps a whole side of
    # its context (the best kept), or a long one found only once.
    occurrences = _occurrences(text, exact)
    nearest = sorted(occurrences, key=lambda p: abs(p - expected))[:MAX_REPEATS]
    intact = [p for p in nearest
              if nearby(p) and _side_intact(text, p, p + size, near_prefix, near_suffix)]
    if intact:
        pos = max(intact, key=lambda p: (sum(_context(text, p, p + size, near_prefix, near_suffix)),
                                         -abs(p - expected)))
        return pos, pos + size
    if len(occurrences) == 1 and size >= UNIQUE_LEN and nearby(occurrences[0]):
        return occurrences[0], occurrences[0] + size
    # Is the context found intact around *other* text where it should be,
    # fitting more clearly than around any repeat? Then the quote was edited
    # (or deleted) there: it belongs there or nowhere.
    lo, hi = window or (max(0, expected - WINDOW), min(len(text), expected + size + WINDOW))
    bracket = _bracket(text, near_prefix, near_suffix, size, expected, lo, hi)
    if bracket is not None:
        a, b, similar = bracket
        room = len(near_prefix) + len(near_suffix)

        def fit(start: int, similar: float) -> float:
            return similar * room - _far(abs(start - expected))

        if similar >= SIMILAR_CONTEXT and all(
                fit(a, similar) >= CLEARER * room + fit(
                    p, _similarity(text, p, p + size, near_prefix, near_suffix))
                for p in nearest):
            inside = [p for p in nearest if a <= p and p + size <= b]
            if inside:  # the quote, with something inserted next to it
                pos = max(inside, key=lambda p: _similarity(text, p, p + size, prefix, suffix))
                return pos, pos + size
            return _edited_here(text, exact, near_prefix, near_suffix, a, b)
    # Then the best repeat where a diff says the passage went, if that is a
    # narrow stretch (a short quote needs more: the same short word is likely
    # to occur there again)...
    if window is not None:
        inside = [p for p in nearest if window[0] <= p and p + size <= window[1]]
        if inside:
            pos = max(inside, key=lambda p: (_similarity(text, p, p + size, prefix, suffix),
                                             -abs(p - expected)))
            narrow = window[1] - window[0] <= size + NARROW
            if (narrow and (size >= MIN_FUZZY_LEN or len(inside) == 1)) or _supported(
                    text, pos, pos + size, prefix, suffix):
                return pos, pos + size
    # ...or, far from where it should be, one that looks moved there...
    moved = [p for p in nearest if _moved(text, p, p + size, prefix, suffix)]
    if moved:
        pos = max(moved, key=lambda p: (_similarity(text, p, p + size, prefix, suffix),
                                        -abs(p - expected)))
        return pos, pos + size
    # ...or the one whose surroundings are most similar, if that is evidence enough.
    candidates: list[tuple[float, int, int, int]] = []  # (score, -distance, start, end)
    if nearest:
        scored = []
        for pos in nearest:
            distance = abs(pos - expected)
            left, right = _context(text, pos, pos + size, near_prefix, near_suffix)
            similar = _similarity(text, pos, pos + size, prefix, suffix)
            scored.append((_kept(100.0, size, similar, prefix, suffix, distance), -distance, pos,
                           similar, max(left, right) >= MIN_SUPPORT))
        scored.sort(reverse=True)
        score, neg_dist, pos, similar, supported = scored[0]
        distance = -neg_dist
        # Clearly the best by its surroundings (not by being nearer).
        clear = len(scored) > 1 and (score + _far(distance)) - max(
            s[0] + _far(-s[1]) for s in scored[1:]) >= MIN_SUPPORT
        if (distance <= NEAR and size >= MIN_FUZZY_LEN) or (
                nearby(pos) and (similar >= SIMILAR_CONTEXT or supported or clear)):
            candidates.append((score, neg_dist, pos, pos + size))
        elif size < MIN_FUZZY_LEN:
            return None  # an ambiguous short quote: never guess
    # 3. Fuzzy, near the expected place, then (if nothing fits) everywhere.
    if size >= MIN_FUZZY_LEN:
        lo = max(0, expected - WINDOW - size)
        hi = min(len(text), expected + 2 * size + WINDOW)
        # If the quote occurs exactly, a near-copy must fit the context better
        # than every occurrence does (None: it does not occur).
        to_beat = max((_similarity(text, p, p + size, prefix, suffix) for p in nearest),
                      default=None)
        fuzzy = _fuzzy(text, exact, prefix, suffix, expected, lo, hi, to_beat, nearby)
        if not fuzzy:
            fuzzy = _fuzzy_moved(text, exact, prefix, suffix, expected)
        # A near-copy overlapping an exact occurrence is that occurrence, misaligned.
        spans = [(c[2], c[3]) for c in candidates]
        candidates.extend(c for c in fuzzy if not any(c[2] < e and s < c[3] for s, e in spans))
    if not candidates:
        return None  # 4. an orphan
    _, _, start, end = max(candidates)
    return start, end


def _between(text: str, exact: str, prefix: str, suffix: str, start: int, end: int) -> Span | None:
    """The quote in ``text[start:end]``, the stretch a diff says replaced it:
    an exact occurrence (the one whose surroundings fit best), else the edited
    quote if it keeps most of the original, else None."""
    found = []
    pos = text.find(exact, start, end)
    while pos != -1:
        found.append((_similarity(text, pos, pos + len(exact), prefix, suffix), -(pos - start), pos))
        pos = text.find(exact, pos + 1, end)
    if found:
        where = max(found)[2]
        return where, where + len(exact)
    return _edited_here(text, exact, prefix[-CONTEXT:], suffix[:CONTEXT], start, end)


def _bracket(text: str, prefix: str, suffix: str, size: int, expected: int,
             lo: int, hi: int) -> tuple[int, int, float] | None:
    """The stretch in ``text[lo:hi]`` whose surroundings look most like the
    stored context (then: nearest ``expected``): ``(start, end, similarity)``.

    Pieces of ``KEY`` characters of the context (the nearest, and the next
    ones out, in case an edit touched the nearest) are looked up exactly; a
    left and a right one with room for the quote, or an edited version of it,
    between them make a candidate.
    """
    if len(prefix) < KEY or len(suffix) < KEY:
        return None
    lo, hi = max(0, lo - len(prefix)), min(len(text), hi + len(suffix))
    starts = set()
    for skip in range(0, len(prefix) - KEY + 1, KEY):
        key = prefix[len(prefix) - skip - KEY:len(prefix) - skip]
        pos = text.find(key, lo, hi)
        while pos != -1:
            starts.add(pos + KEY + skip)
            pos = text.find(key, pos + 1, hi)
    ends = set()
    for skip in range(0, len(suffix) - KEY + 1, KEY):
        key = suffix[skip:skip + KEY]
        pos = text.find(key, lo, hi)
        while pos != -1:
            ends.add(pos - skip)
            pos = text.find(key, pos + 1, hi)
    room = 2 * size + 4 * CONTEXT  # a word changed, or the quote rewritten
    best: tuple[float, int, int, int] | None = None
    ordered_ends = sorted(ends)
    for a in starts:
        for b in ordered_ends[bisect.bisect_left(ordered_ends, a):]:
            if b > a + room:
                break
            score = (_similarity(text, a, b, prefix, suffix), -abs(a - expected), a, b)
            if best is None or score > best:
                best = score
    return None if best is None else (best[2], best[3], best[0])


def _edited_here(text: str, exact: str, prefix: str, suffix: str, start: int, end: int,
                 edges: tuple[bool, bool] = (True, True)) -> Span | None:
    """The edited quote at ``[start, end)``, a stretch next to context known to
    be right (``edges``: on which sides), if it still keeps most of the quote.

    The match must start (or end) at a known edge, give or take the error
    budget: a near-copy in the middle of a longer stretch is other text that
    happens to look like the quote.
    """
    budget = _budget(exact)
    shifted = _occurrences(text[max(0, start - budget):end + budget], exact)
    if shifted:  # not edited after all, just shifted a little
        pos = min((p + max(0, start - budget) for p in shifted), key=lambda p: abs(p - start))
        return pos, pos + len(exact)
    if len(exact) < MIN_FUZZY_LEN or end <= start:
        return None
    seeds = [(start, end)]
    if end - start > len(exact) + budget:  # more than the quote: find it inside
        align = fuzz.partial_ratio_alignment(exact, text[start:end])
        assert align is not None  # None only below a score_cutoff, and none is given
        seeds += [(start + align.dest_start, start + align.dest_end),
                  (start, start + len(exact)), (end - len(exact), end)]
    best: tuple[float, int, int] | None = None
    for seed in seeds:
        span = _refine(text, exact, prefix, suffix, *seed)
        if span is None or not ((edges[0] and abs(span[0] - start) <= budget)
                                or (edges[1] and abs(span[1] - end) <= budget)):
            continue
        found = text[span[0]:span[1]]
        if _close_enough(exact, found):
            ratio = fuzz.ratio(exact, found)
            if best is None or ratio > best[0]:
                best = (ratio, *span)
    return None if best is None else (best[1], best[2])


def _fuzzy(text: str, exact: str, prefix: str, suffix: str, expected: int, lo: int, hi: int,
           to_beat: float | None, nearby: Callable[[int], bool]) -> list[tuple[float, int, int, int]]:
    """Acceptable approximate matches of ``exact`` in ``text[lo:hi]``, scored.

    Where it should be (``nearby``): if the quote occurs exactly elsewhere,
    only when the surroundings are similar to the stored context, clearly more
    than around any occurrence (``to_beat``, their best similarity); if not,
    when they are similar, or agree exactly over ``MIN_SUPPORT`` characters,
    or the match is very close to the quote. Elsewhere, only if the passage
    looks moved there (``_moved``).
    """
    found = []
    seeds = []
    window = text[lo:hi]
    near_prefix, near_suffix = prefix[-CONTEXT:], suffix[:CONTEXT]
    selector = near_prefix + exact + near_suffix
    # The quote alone finds it when its context changed too; the quote with
    # its context picks the right passage among several similar ones.
    for needle, before, after in ((exact, 0, 0), (selector, len(near_prefix), len(near_suffix))):
        if len(needle) > len(window):
            continue
        align = fuzz.partial_ratio_alignment(needle, window)
        assert align is not None  # None only below a score_cutoff, and none is given
        start = lo + align.dest_start + before
        end = lo + align.dest_end - after
        if end > start:
            seeds.append((start, end))
    for seed in dict.fromkeys(seeds):
        span = _refine(text, exact, near_prefix, near_suffix, *seed)
        if span is None:
            continue
        start, end = span
        found_text = text[start:end]
        if not _close_enough(exact, found_text):
            continue
        ratio = fuzz.ratio(exact, found_text)
        left, right = _context(text, start, end, near_prefix, near_suffix)
        similar = _similarity(text, start, end, prefix, suffix)
        distance = abs(start - expected)
        if not nearby(start):
            if not _moved(text, start, end, prefix, suffix):
                continue
        elif to_beat is not None:
            # The quote is there, unedited, elsewhere: a near-copy of it needs
            # clearly its own surroundings, fitting better than any of those.
            if similar < max(SIMILAR_CONTEXT, to_beat + CLEARER):
                continue
        elif not (similar >= SIMILAR_CONTEXT or max(left, right) >= MIN_SUPPORT
                  or ratio >= ALONE_RATIO):
            continue
        found.append((_kept(ratio, len(exact), similar, prefix, suffix, distance),
                      -distance, start, end))
    return found


def _fuzzy_moved(text: str, exact: str, prefix: str, suffix: str,
                 expected: int) -> list[tuple[float, int, int, int]]:
    """Acceptable approximate matches of ``exact`` anywhere in ``text``, in a
    passage that moved there (``_moved``): found from where a whole side of
    the near context occurs, far cheaper than scanning the whole text."""
    near_prefix, near_suffix = prefix[-CONTEXT:], suffix[:CONTEXT]
    size = len(exact)
    seeds = []
    if len(near_prefix) >= MIN_SUPPORT:
        seeds += [(p + len(near_prefix), p + len(near_prefix) + size)
                  for p in _occurrences(text, near_prefix)[:MAX_REPEATS]]
    if len(near_suffix) >= MIN_SUPPORT:
        seeds += [(p - size, p) for p in _occurrences(text, near_suffix)[:MAX_REPEATS]]
    found = []
    for seed in sorted(dict.fromkeys(seeds), key=lambda se: abs(se[0] - expected))[:MAX_SEEDS]:
        seed = (max(0, seed[0]), min(len(text), seed[1]))
        if fuzz.ratio(exact, text[seed[0]:seed[1]]) < HOPELESS:
            continue  # nothing like the quote next to this piece of context
        span = _refine(text, exact, near_prefix, near_suffix, *seed)
        if span is None:
            continue
        start, end = span
        if _close_enough(exact, text[start:end]) and _moved(text, start, end, prefix, suffix):
            similar = _similarity(text, start, end, prefix, suffix)
            distance = abs(start - expected)
            found.append((_kept(fuzz.ratio(exact, text[start:end]), size, similar, prefix, suffix,
                                distance), -distance, start, end))
    return found


def _budget(exact: str) -> int:
    """How many Levenshtein edits a fuzzy match of ``exact`` may have."""
    return max(MIN_EDITS, math.ceil(EDIT_RATE * len(exact)))


def _close_enough(exact: str, found: str) -> bool:
    """Within the error budget and keeping most of the quote."""
    budget = _budget(exact)
    return (fuzz.ratio(exact, found) >= MIN_RATIO
            and Levenshtein.distance(exact, found, score_cutoff=budget) <= budget)


def _refine(text: str, exact: str, prefix: str, suffix: str,
            start: int, end: int) -> tuple[int, int] | None:
    """Move the edges of a rough match to where it best matches ``exact``.

    Edges stay on word boundaries where the quote's own edges were on one, so
    a match never starts or ends in the middle of a word it did not cut before.
    """
    n = len(text)
    reach = min(REFINE, max(4, len(exact) // 4))
    starts = _edge_positions(text, range(max(0, start - reach), min(n, start + reach) + 1),
                             exact, prefix, suffix, is_start=True)
    ends = _edge_positions(text, range(max(0, end - reach), min(n, end + reach) + 1),
                           exact, prefix, suffix, is_start=False)
    if not starts or not ends:
        return None

    # Context agreement on the left depends on the start only, on the right
    # on the end only: computed once per position, not per pair.
    left = {s: _context(text, s, s, prefix, "")[0] for s in starts}
    right = {e: _context(text, e, e, "", suffix)[1] for e in ends}

    def quality(s: int, e: int) -> tuple[float, int, int]:
        if e <= s:
            return (-1.0, 0, 0)
        return (fuzz.ratio(exact, text[s:e]), left[s] + right[e], -abs(s - start) - abs(e - end))

    if len(starts) * len(ends) <= 2500:
        best = max(((s, e) for s in starts for e in ends), key=lambda se: quality(*se))
    else:  # long, unaligned quotes: a few rounds of coordinate ascent
        s = min(starts, key=lambda p: abs(p - start))
        e = min(ends, key=lambda p: abs(p - end))
        for _ in range(3):
            s = max(starts, key=lambda p: quality(p, e))
            e = max(ends, key=lambda p: quality(s, p))
        best = (s, e)
    return best if best[1] > best[0] else None


def _edge_positions(text: str, positions: range, exact: str, prefix: str, suffix: str,
                    *, is_start: bool) -> list[int]:
    """The positions in ``positions`` that may be a start (or end) of the match."""
    n = len(text)
    if is_start:
        edge, outside = exact[0], prefix[-1:]
    else:
        edge, outside = exact[-1], suffix[:1]
    on_boundary = not outside or not (_is_word(outside) and _is_word(edge))
    allowed = []
    for pos in positions:
        inner = text[pos] if is_start and pos < n else text[pos - 1] if not is_start and pos > 0 else ""
        if not inner or inner.isspace() != edge.isspace():
            continue  # a quote that does not start (end) with a space never gains one
        if on_boundary:
            other = text[pos - 1] if is_start and pos > 0 else text[pos] if not is_start and pos < n else ""
            if other and _is_word(other) and _is_word(inner):
                continue
        allowed.append(pos)
    return allowed


# -- context ------------------------------------------------------------------

def _context(text: str, start: int, end: int, prefix: str, suffix: str) -> tuple[int, int]:
    """How many characters of ``prefix`` (its end) and ``suffix`` (its start) agree
    exactly with the text just before ``start`` and just after ``end``."""
    left = 0
    limit = min(len(prefix), start)
    while left < limit and text[start - left - 1] == prefix[-left - 1]:
        left += 1
    right = 0
    limit = min(len(suffix), len(text) - end)
    while right < limit and text[end + right] == suffix[right]:
        right += 1
    return left, right


def _side_intact(text: str, start: int, end: int, prefix: str, suffix: str) -> bool:
    """Whether one whole side of the context agrees exactly around ``[start, end)``.

    An empty side counts only where it is still the edge of the text.
    """
    left, right = _context(text, start, end, prefix, suffix)
    left_ok = left == len(prefix) and (bool(prefix) or start == 0)
    right_ok = right == len(suffix) and (bool(suffix) or end == len(text))
    return left_ok or right_ok


def _moved(text: str, start: int, end: int, prefix: str, suffix: str) -> bool:
    """Whether a place far from where the quote should be keeps enough of its
    context to say the passage moved there: a whole side of all the context
    given, and the near context similar overall (a phrase repeated with the
    same words on one side is common enough; on both sides, it is not)."""
    return (_side_intact(text, start, end, prefix, suffix)
            and _similarity(text, start, end, prefix[-CONTEXT:], suffix[:CONTEXT]) >= SIMILAR_CONTEXT)


def _supported(text: str, start: int, end: int, prefix: str, suffix: str) -> bool:
    """Whether the context agrees exactly over ``MIN_SUPPORT`` characters on a
    side, or is similar overall."""
    left, right = _context(text, start, end, prefix, suffix)
    return max(left, right) >= MIN_SUPPORT or _similarity(text, start, end, prefix, suffix) >= SIMILAR_CONTEXT


def _similarity(text: str, start: int, end: int, prefix: str, suffix: str) -> float:
    """How similar (0..1) the text around ``[start, end)`` is to the stored context.

    Tolerant of small edits next to the quote, yet sharp about where the quote
    starts and ends: each side is compared over windows of 8, 16, 32...
    characters out from the quote, so the nearest context weighs most and a
    repeat a few words away (whose wider surroundings are the same) scores lower.
    """
    total = 0.0
    weight = 0
    for side, before in ((prefix, True), (suffix, False)):
        width = 8
        while side:
            w = min(width, len(side))
            if before:
                ours, theirs = side[-w:], text[max(0, start - w):start]
            else:
                ours, theirs = side[:w], text[end:end + w]
            total += fuzz.ratio(ours, theirs)
            weight += 1
            if w == len(side):
                break
            width *= 2
    return total / (100.0 * weight) if weight else 0.0


def _kept(ratio: float, size: int, similar: float, prefix: str, suffix: str, distance: int) -> float:
    """How many characters of quote+context a candidate keeps, less a small
    penalty for being far from the expected place: compares candidates."""
    return ratio / 100.0 * size + similar * (len(prefix) + len(suffix)) - _far(distance)


def _far(distance: int) -> float:
    """The penalty for ``distance`` characters from the expected place: small
    (about 17 characters of context for 100 KB) so context always speaks first,
    but enough to prefer the nearer of two repeats with equal surroundings."""
    return math.log2(1 + distance)


def _occurrences(text: str, exact: str) -> list[int]:
    """Every start of ``exact`` in ``text`` (overlapping ones too)."""
    found = []
    pos = text.find(exact)
    while pos != -1:
        found.append(pos)
        pos = text.find(exact, pos + 1)
    return found


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _shift(pos: int | None, delta: int) -> int | None:
    return None if pos is None else pos + delta
