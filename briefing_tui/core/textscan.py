"""Sentence, quotation and word scanning of reading text (shared by both formats).

A segment is a block, a table cell or a heading of the reading text,
``(start, end, mode)``: scanned as prose (:data:`SEG_PROSE`, split at sentence
boundaries), as one sentence (:data:`SEG_ONE`), or as code (:data:`SEG_CODE`:
one sentence, no quotations). The scanners append ``[start, end)`` offsets to
the caller's arrays. Word starts (:func:`next_word_start`, :func:`prev_word_start`)
serve the reader's word motions.
"""

from __future__ import annotations

import re
from array import array

SEG_PROSE, SEG_ONE, SEG_CODE = 0, 1, 2  # how a segment is scanned

_BOUNDARY = re.compile(r"([.!?…]+)([\"”’»)\]'›]*)(?=\s)")
_SKIP = re.compile(r"[\s│]*")  # between sentences: whitespace and quote bars
_WORDCHAR = re.compile(r"\w")
_WORD = re.compile(r"\w+")
# Ellipses opening a sentence ("... Then", "… … Then") are not part of it.
_LEADING_ELLIPSIS = re.compile(r"(?:(?:\.{3,}|…+)\s+)+(?=\S)")
_OPENERS = frozenset("\"“‘«„‚‹([{'*_")
_CONTINUES = frozenset(",;:-–—")
_DOTTED = re.compile(r"(?:[A-Z]\.)+[A-Z]")  # U.S, D.C, P.M (final dot excluded)
# Never end a sentence after these (they precede a name or an example).
_NEVER_END = frozenset(
    [
        "mr", "mrs", "ms", "messrs", "dr", "gen", "sen", "sens", "rep", "reps", "gov", "lt",
        "col", "sgt", "capt", "cpt", "prof", "adm", "maj", "cmdr", "brig", "cpl", "pvt", "hon",
        "rev", "st", "pres", "amb", "supt", "insp", "fr", "mt", "e.g", "i.e", "cf", "vs", "viz",
        "incl", "esp", "approx"
    ]
)
# ...nor before a number after these (Jan. 20, No. 5, p. 12).
_BEFORE_NUMBER = frozenset(
    [
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "no", "nos", "art", "fig", "vol", "p", "pp", "para", "sec", "ch", "ca", "tel"
    ]
)
# After a dotted acronym (U.S., D.C., P.M.) a capital usually starts a name
# ("U.S. Army"); only these words start a new sentence there.
_STARTERS = frozenset(
    [
        "A", "An", "And", "As", "At", "But", "By", "For", "From", "He", "Her", "Here", "His",
        "How", "However", "I", "If", "In", "It", "Its", "Many", "My", "No", "Now", "On", "One",
        "Our", "She", "So", "Some", "That", "The", "Their", "Then", "There", "These", "They",
        "This", "Those", "Today", "We", "What", "When", "Where", "While", "Who", "Why", "With",
        "Yes", "Yesterday", "You"
    ]
)


def _ends_sentence(text: str, m: re.Match[str], cur: int, end: int) -> bool:
    """Whether the candidate boundary ``m`` ends the sentence begun at ``cur``."""
    skip = _SKIP.match(text, m.end(), end)
    assert skip is not None  # the pattern matches the empty string: never None
    n = skip.end()
    if n >= end:
        return True
    c = text[n]
    while c in _OPENERS and n + 1 < end:
        n += 1
        c = text[n]
    if c.islower() or c in _CONTINUES:  # "results,” he said", "etc. and", "... that"
        return False
    if m.group(1) != ".":
        return True
    p = m.start()
    j, lo = p, max(cur, p - 24)
    while j > lo and not text[j - 1].isspace() and text[j - 1] not in _OPENERS:
        j -= 1
    word = text[j:p]
    if not word:
        return True
    lw = word.lower()
    if lw in _NEVER_END or (len(word) == 1 and word.isupper()):  # Mr. Smith, J. Smith
        return False
    if c.isdigit():
        return lw not in _BEFORE_NUMBER
    if _DOTTED.fullmatch(word) or lw in ("a.m", "p.m"):
        w = _WORD.match(text, n)
        return w is None or w.group() in _STARTERS
    return True


def find_sentences(text: str, segs: list[tuple[int, int, int]],
                   out_s: array, out_e: array) -> None:
    """Append each sentence of ``segs`` to ``out_s``/``out_e``, in order."""
    for s, e, mode in segs:
        skip = _SKIP.match(text, s, e)
        assert skip is not None  # matches the empty string: never None
        cur = skip.end()
        if mode != SEG_CODE:
            cur = after_ellipsis(text, cur, e)
        if cur >= e:
            continue
        if mode == SEG_PROSE:
            for m in _BOUNDARY.finditer(text, cur, e):
                b = m.end()
                if _ends_sentence(text, m, cur, e) and _WORDCHAR.search(text, cur, b):
                    out_s.append(cur)
                    out_e.append(b)
                    skip = _SKIP.match(text, b, e)
                    assert skip is not None  # matches the empty string
                    cur = after_ellipsis(text, skip.end(), e)
            if cur >= e:
                continue
        while text[e - 1].isspace():
            e -= 1
        out_s.append(cur)
        out_e.append(e)


def after_ellipsis(text: str, cur: int, end: int) -> int:
    """``cur``, or past the ellipsis (and the space after it) that ``cur`` starts with.

    >>> after_ellipsis("... Then", 0, 8), after_ellipsis("…then", 0, 5)
    (4, 0)
    >>> after_ellipsis("... ... # Head", 0, 14)  # all of them: trimming again changes nothing
    8
    """
    m = _LEADING_ELLIPSIS.match(text, cur, end)
    return m.end() if m else cur


_QUOTE_MARKS = re.compile("[\"“”„«»‘’‚‹›]")
_CLOSES = {"”": "“„", "»": "«", "’": "‘‚", "›": "‹"}


def find_quotations(text: str, segs: list[tuple[int, int, int]],
                    out_s: array, out_e: array) -> None:
    """Append each quotation of ``segs`` (marks included, nested ones too) to
    ``out_s``/``out_e``, segment by segment; code segments have none."""
    for s, e, mode in segs:
        if mode == SEG_CODE:
            continue
        stack: list[tuple[str, int]] = []
        found: list[tuple[int, int]] = []
        for m in _QUOTE_MARKS.finditer(text, s, e):
            i = m.start()
            ch = text[i]
            prev = text[i - 1] if i > s else " "
            nxt = text[i + 1] if i + 1 < e else " "
            if (ch == "’" or ch == "‘") and prev.isalnum() and nxt.isalnum():
                continue  # an apostrophe: Trump’s
            after_word = not prev.isspace() and prev not in _OPENERS
            if ch == '"':
                opens = not after_word and not nxt.isspace()
                closes = after_word and not nxt.isalnum()
                k = _last(stack, '"')
                if k >= 0 and (closes or not opens):
                    found.append((stack[k][1], i + 1))
                    del stack[k:]
                elif opens or not closes:
                    stack.append((ch, i))
            elif ch in _CLOSES:
                k = _last(stack, _CLOSES[ch])
                if k >= 0 and (after_word or ch != "’"):
                    found.append((stack[k][1], i + 1))
                    del stack[k:]
            elif ch == "“" or ch == "‘":
                # closes German „…“ / ‚…‘ when it follows a word
                k = _last(stack, "„" if ch == "“" else "‚")
                if k >= 0 and after_word:
                    found.append((stack[k][1], i + 1))
                    del stack[k:]
                elif not (ch == "‘" and after_word):
                    stack.append((ch, i))
            else:  # „ « ‚ ‹
                stack.append((ch, i))
        if found:
            found.sort()
            for qs, qe in found:
                out_s.append(qs)
                out_e.append(qe)


def _last(stack: list[tuple[str, int]], marks: str) -> int:
    """Index of the innermost open mark among ``marks``, or -1."""
    for k in range(len(stack) - 1, -1, -1):
        if stack[k][0] in marks:
            return k
    return -1


# A word starts at a word character that follows neither a word character nor an
# apostrophe inside a word: "don't", "об'єднує", "обʼєднує" are one word each.
_APOSTROPHES = "'’ʼ"
WORD_START = re.compile(rf"(?<!\w)(?<!\w[{_APOSTROPHES}])\w")


def next_word_start(text: str, offset: int) -> int | None:
    """Start of the first word starting after ``offset``, or None.

    >>> text = "don't об'єднує it"
    >>> next_word_start(text, 0), next_word_start(text, 6)
    (6, 15)
    """
    match = WORD_START.search(text, offset + 1)
    return match.start() if match else None


def prev_word_start(text: str, offset: int) -> int | None:
    """Start of the last word starting before ``offset`` (from inside a word, its own
    start), or None. Looks back through growing windows, so the cost follows the
    distance to the word, not the length of the text.

    >>> prev_word_start("we don't know", 11), prev_word_start("we don't know", 6)
    (9, 3)
    """
    window = 256
    while True:
        low = max(0, offset - window)
        found = None
        for match in WORD_START.finditer(text, low, offset):
            found = match.start()
        if found is not None or low == 0:
            return found
        window *= 4


def find_all(text: str, query: str) -> array:
    """Start of every match of ``query`` in ``text``, ignoring case, overlapping ones
    included, in order; each match is ``len(query)`` characters long.

    >>> list(find_all("Peskov met PESKOV; peskovpeskov", "peskov"))
    [0, 11, 19, 25]
    >>> list(find_all("aaa", "aa")), list(find_all("İstanbul talks", "TALKS"))
    ([0, 1], [9])
    """
    starts = array("q")
    if not query:
        return starts
    folded, needle = text.lower(), query.lower()
    if len(folded) == len(text) and len(needle) == len(query):
        found = folded.find(needle)
        while found >= 0:
            starts.append(found)
            found = folded.find(needle, found + 1)
        return starts
    # Lower-casing changed some lengths ("İ" becomes two characters): offsets into the
    # folded text would not be offsets into the text. A case-blind pattern matches each
    # character with one character, so its matches are len(query) long too.
    pattern = re.compile(f"(?=({re.escape(query)}))", re.IGNORECASE)
    starts.extend(match.start() for match in pattern.finditer(text))
    return starts


def find_all_chunked(text: str, query: str, chunk: int = 1 << 20) -> array:
    """:func:`find_all`, a ``chunk`` of the text at a time (each overlapping the next by
    ``len(query) - 1``): the same matches. For a worker thread: lower-casing 50 MB in one
    call holds the interpreter for a third of a second, and the UI's frame waits for it;
    a chunk holds it for a few milliseconds.

    >>> list(find_all_chunked("Peskov met PESKOV; peskovpeskov", "peskov", chunk=7))
    [0, 11, 19, 25]
    """
    starts = array("q")
    if not query:
        return starts
    overlap = len(query) - 1
    for low in range(0, len(text), chunk):
        high = low + chunk
        starts.extend(low + found for found in find_all(text[low:high + overlap], query)
                      if low + found < high)
    return starts


def find_near(text: str, query: str, cursor: int, *, forward: bool = True) -> int | None:
    """The match of ``query`` (ignoring case, as :func:`find_all`) that ``n`` (``forward``)
    or ``N`` would jump to from ``cursor``: the first starting after it, else the first
    of all; backwards the last starting before it, else the last of all. None without
    one. Looks only as far as it must (a match near the cursor costs microseconds in
    50 MB), so the reader can jump before it has counted every match.

    >>> text = "Peskov met PESKOV; peskovpeskov"
    >>> find_near(text, "peskov", 0), find_near(text, "peskov", 25), find_near(text, "x", 3)
    (11, 0, None)
    >>> find_near(text, "peskov", 11, forward=False), find_near(text, "peskov", 0, forward=False)
    (0, 25)
    """
    if not query or not text:
        return None
    pattern = re.compile(f"(?=({re.escape(query)}))", re.IGNORECASE)
    if forward:
        found = pattern.search(text, cursor + 1) or pattern.search(text, 0, cursor + len(query))
        return found.start() if found else None
    end = len(text)
    for stop, floor in ((cursor, 0), (end, cursor)):
        # Matches starting before ``stop``: look back in growing windows, the nearest first.
        window = 1 << 16
        low = stop
        while low > floor:
            low = max(floor, low - window)
            last = None
            for last in pattern.finditer(text, low, min(end, stop - 1 + len(query))):
                pass
            if last is not None and last.start() < stop:
                return last.start()
            window *= 4
    return None

