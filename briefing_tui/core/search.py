"""Full-text search across briefings: reading texts, highlight quotes and notes (SQLite FTS5).

The indexes (``briefing_texts_fts``, ``highlights_fts``) are made by migration 9 and kept in
step by triggers (:mod:`briefing_tui.core.schema`), but for a new briefing text, which its
inserter indexes in a statement of its own (migration 15). :func:`search` ranks by bm25 and says
where each hit is: ``start``/``end`` are character offsets in the briefing's reading text
(for a note, the highlight's span), so the reader can open there.

>>> from briefing_tui.core.importer import import_paths
>>> from briefing_tui.core.store import Store
>>> from briefing_tui.paths import samples_dir
>>> store = Store(tmp_path / "search.db")
>>> _ = import_paths(store, [samples_dir() / "kremlin-signals-no-quick-truce.md"])
>>> hit = search(store, '"instant results"')[0]
>>> text = store.get_briefing(hit.briefing_id).document.text
>>> text[hit.start:hit.end]
'instant results'
>>> store.close()

Finding the exact place: FTS5 ranks whole briefings cheaply, but its ``snippet()`` and
``highlight()`` tokenize the whole text (about 1 ms per 100 KB: 20 hits of that size cost
40 ms). So the text is scanned with a regular expression for the first letters of each
phrase, and only the paragraph around a candidate is checked by FTS5 itself, in a small
in-memory index with the same tokenizer: the place found is exactly what FTS5 matched. If
no candidate paragraph matches (a word FTS5 folds differently), FTS5 marks the whole text.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefing_tui.core.schema import SEARCH_TOKENIZE

if TYPE_CHECKING:
    from briefing_tui.core.store import Store

__all__ = ["DEFAULT_LIMIT", "SearchHit", "fts_query", "search"]

DEFAULT_LIMIT = 20
SNIPPET_CHARS = 160  # a snippet's length (before its ellipses)
SNIPPET_BEFORE = 50  # characters of context before the match
WINDOW = 600  # a candidate window reaches this far each side (to a line break if nearer)
MAX_WINDOWS = 8  # windows FTS5 checks per briefing (then it marks the whole text, if none)
MAX_CANDIDATES = 400  # candidate words looked at for a better window than the first found

_WORD = re.compile(r"[^\W_]+")
_TERM = re.compile(r'"([^"]*)"?|(\S+)')
_SPACE = re.compile(r"\s+")
# Pairs of marker characters for FTS5's highlight(); the first pair the text lacks is used.
_MARKERS = (("\x02", "\x03"), ("\ue000", "\ue001"), ("\ufdd0", "\ufdd1"))


@dataclass(frozen=True)
class SearchHit:
    """One place a query matched. Text fields are raw data: make them safe to show
    (:mod:`briefing_tui.core.safetext`); ``marks`` are the matched spans of ``snippet``."""

    briefing_id: str
    title: str
    date: str  # the briefing's published date (ISO 8601), or ""
    start: int  # the match in the reading text, [start, end)
    end: int
    snippet: str
    marks: tuple[tuple[int, int], ...]
    kind: str  # "text", "quote" or "note"
    highlight_id: str | None = None
    rank: float = 0.0  # bm25 (lower is better)


@dataclass(frozen=True)
class _Phrase:
    text: str
    prefix: bool

    def fts(self) -> str:
        return '"' + self.text.replace('"', '""') + '"' + (" *" if self.prefix else "")


def _parse(query: str) -> list[_Phrase | None]:
    """Phrases in order, None standing for an OR between them."""
    out: list[_Phrase | None] = []
    for match in _TERM.finditer(query):
        quoted, bare = match.group(1), match.group(2)
        if bare == "OR":
            if out and out[-1] is not None:
                out.append(None)
            continue
        text = quoted if quoted is not None else bare
        prefix = quoted is None and text.endswith("*")
        words = _WORD.findall(text)
        if not words:  # punctuation or symbols only: no token FTS5 would index
            continue
        out.append(_Phrase(" ".join(words) if quoted is None else text.strip(), prefix))
    while out and out[-1] is None:
        out.pop()
    return out


def fts_query(query: str) -> str:
    """The FTS5 expression for what a user typed: each word or ``"quoted phrase"`` becomes
    a quoted FTS5 string (so ``-``, ``:``, ``*``, ``(``, ``NEAR``, ``AND`` ... are text),
    all of them required; ``OR`` between two terms means either; a word ending in ``*``
    matches as a prefix. Empty when nothing searchable was typed.

    >>> fts_query('peskov "instant results" occup* a:b')
    '"peskov" "instant results" "occup" * "a b"'
    >>> fts_query('truce OR ceasefire NOT -( "')
    '"truce" OR "ceasefire" "NOT"'
    """
    return " ".join("OR" if p is None else p.fts() for p in _parse(query))


def search(store: Store, query: str, limit: int = DEFAULT_LIMIT) -> list[SearchHit]:
    """The best ``limit`` places matching ``query`` (see :func:`fts_query`) in the reading
    texts, highlight quotes and notes of the briefings not deleted, best first (bm25)."""
    parsed = _parse(query)
    expression = " ".join("OR" if p is None else p.fts() for p in parsed)
    if not expression or limit <= 0:
        return []
    with store.reading() as conn:
        hits = list(_text_hits(conn, expression, parsed, limit))
        hits.extend(_highlight_hits(conn, expression, limit))
    hits.sort(key=lambda hit: hit.rank)
    return hits[:limit]


# --------------------------------------------------------------------------- reading texts


def _text_hits(conn: sqlite3.Connection, expression: str, parsed: list[_Phrase | None],
               limit: int) -> Iterator[SearchHit]:
    # Ranked on short columns only: the texts are read for the hits kept, not sorted.
    rows = conn.execute(
        "SELECT f.rowid, b.id, b.title, b.published, f.rank FROM briefing_texts_fts f"
        " JOIN briefing_texts t ON t.rowid = f.rowid JOIN briefings b ON b.id = t.briefing_id"
        " WHERE briefing_texts_fts MATCH ? AND b.deleted_at IS NULL ORDER BY f.rank LIMIT ?",
        (expression, limit)).fetchall()
    if not rows:
        return
    phrases = [p for p in parsed if p is not None]
    any_phrase = " OR ".join(p.fts() for p in phrases)
    wanted = 1 if any(p is None for p in parsed) else len(phrases)
    with closing(_window_index()) as windows:
        for rowid, briefing_id, title, published, rank in rows:
            text = conn.execute("SELECT reading_text FROM briefing_texts WHERE rowid = ?",
                                (rowid,)).fetchone()[0]
            spans = (_find_in_windows(windows, text, phrases, any_phrase, wanted)
                     or _find_in_whole(conn, rowid, text, any_phrase))
            start, end = spans[0] if spans else (0, 0)
            snippet, marks = _snippet(text, start, spans)
            yield SearchHit(briefing_id, title, published, start, end, snippet, marks,
                            "text", None, rank)


def _window_index() -> sqlite3.Connection:
    """A private in-memory FTS5 table with the indexes' tokenizer, to check windows in."""
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE VIRTUAL TABLE w USING fts5(x, tokenize='{SEARCH_TOKENIZE}')")
    return conn


def _candidates(phrases: list[_Phrase]) -> re.Pattern[str]:
    """Where a phrase may start: a word beginning with the first letters of its first word
    (three, fewer if shorter: stemming changes only word ends), ignoring case."""
    stems = sorted({_WORD.findall(p.text)[0][:3] for p in phrases if _WORD.search(p.text)})
    return re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, stems)) + ")", re.IGNORECASE)


def _find_in_windows(windows: sqlite3.Connection, text: str, phrases: list[_Phrase],
                     any_phrase: str, wanted: int) -> list[tuple[int, int]]:
    """The matched spans of the first window that FTS5 matches, or of a later one that
    holds ``wanted`` distinct matches (all the phrases of an AND query) if one of the next
    few does; [] when no window matches."""
    pattern = _candidates(phrases)
    stems = len({_WORD.findall(p.text)[0][:3].casefold() for p in phrases})
    best: list[tuple[int, int]] = []
    best_count = tried = 0
    after = -1
    for seen, candidate in enumerate(pattern.finditer(text)):
        position = candidate.start()
        if position < after:
            continue
        if tried >= MAX_WINDOWS or (best and seen >= MAX_CANDIDATES):
            break
        start = text.rfind("\n", max(0, position - WINDOW), position) + 1 or max(
            0, position - WINDOW)
        end = text.find("\n", position, position + WINDOW)
        end = end if end >= 0 else min(len(text), position + WINDOW)
        after = end
        window = text[start:end]
        if best and len({m.group().casefold() for m in pattern.finditer(window)}) < stems:
            continue  # cannot hold more phrases than the window found: not worth checking
        tried += 1
        spans = _marked(windows, window, any_phrase, start)
        if not spans:
            continue
        count = len({text[a:b].casefold() for a, b in spans})
        if count > best_count:
            best, best_count = spans, count
        if best_count >= wanted:
            break
    return best


def _marked(conn: sqlite3.Connection, window: str, expression: str,
            offset: int) -> list[tuple[int, int]]:
    """The spans FTS5 matches ``expression`` at in ``window`` (shifted by ``offset``)."""
    conn.execute("DELETE FROM w")
    conn.execute("INSERT INTO w (x) VALUES (?)", (window,))
    opening, closing_ = _markers(window)
    row = conn.execute("SELECT highlight(w, 0, ?, ?) FROM w WHERE w MATCH ?",
                       (opening, closing_, expression)).fetchone()
    return [] if row is None else _spans(row[0], opening, closing_, offset)


def _find_in_whole(conn: sqlite3.Connection, rowid: int, text: str,
                   any_phrase: str) -> list[tuple[int, int]]:
    """FTS5's own marks over the whole text (the slow way, for what the windows missed)."""
    opening, closing_ = _markers(text)
    row = conn.execute(
        "SELECT highlight(briefing_texts_fts, 0, ?, ?) FROM briefing_texts_fts"
        " WHERE briefing_texts_fts MATCH ? AND rowid = ?",
        (opening, closing_, any_phrase, rowid)).fetchone()
    return [] if row is None else _spans(row[0], opening, closing_, 0)


def _markers(text: str) -> tuple[str, str]:
    for pair in _MARKERS:
        if pair[0] not in text and pair[1] not in text:
            return pair
    return _MARKERS[0]  # a text holding them all: marks may be off, never an error


def _spans(marked: str, opening: str, closing_: str, offset: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    position = offset
    start = None
    for piece in re.split(f"({re.escape(opening)}|{re.escape(closing_)})", marked):
        if piece == opening:
            start = position
        elif piece == closing_:
            if start is not None and position > start:
                spans.append((start, position))
            start = None
        else:
            position += len(piece)
    return spans


def _snippet(text: str, start: int, spans: list[tuple[int, int]],
             ) -> tuple[str, tuple[tuple[int, int], ...]]:
    """About ``SNIPPET_CHARS`` characters of ``text`` around ``start`` on one line, cut at
    words, with the spans inside it as marks (offsets in the snippet)."""
    low = max(0, start - SNIPPET_BEFORE)
    if low > 0:
        space = text.find(" ", low, start)
        low = space + 1 if space >= 0 else low
    high = min(len(text), low + SNIPPET_CHARS)
    if high < len(text):
        space = text.rfind(" ", max(start + 1, low + SNIPPET_CHARS // 2), high)
        high = space if space > start else high
    pieces: list[tuple[str, bool]] = []
    position = low
    for a, b in spans:
        a, b = max(a, low), min(b, high)
        if a >= b or a < position:
            continue
        pieces.extend(((text[position:a], False), (text[a:b], True)))
        position = b
    pieces.append((text[position:high], False))
    out = "…" if low > 0 else ""
    marks: list[tuple[int, int]] = []
    for piece, marked in pieces:
        piece = _SPACE.sub(" ", piece)
        if not out.strip() and not marked:
            piece = piece.lstrip()
        if marked:
            marks.append((len(out), len(out) + len(piece)))
        out += piece
    out = out.rstrip() + ("…" if high < len(text) else "")
    return out, tuple(marks)


# --------------------------------------------------------------------------- highlights


def _highlight_hits(conn: sqlite3.Connection, expression: str,
                    limit: int) -> Iterator[SearchHit]:
    opening, closing_ = _MARKERS[1]
    rows = conn.execute(
        'SELECT h.id, h.briefing_id, b.title, b.published, h."start", h."end", h.status,'
        " highlight(highlights_fts, 0, ?, ?), highlight(highlights_fts, 1, ?, ?), f.rank"
        " FROM highlights_fts f JOIN highlights h ON h.rowid = f.rowid"
        " JOIN briefings b ON b.id = h.briefing_id"
        " WHERE highlights_fts MATCH ? AND b.deleted_at IS NULL ORDER BY f.rank LIMIT ?",
        (opening, closing_, opening, closing_, expression, limit)).fetchall()
    for hid, briefing_id, title, published, start, end, status, quote, note, rank in rows:
        note_spans = _spans(note, opening, closing_, 0)
        if note_spans:
            plain = note.replace(opening, "").replace(closing_, "")
            snippet, marks = _snippet(plain, note_spans[0][0], note_spans)
            yield SearchHit(briefing_id, title, published, start, end, snippet, marks,
                            "note", hid, rank)
            continue
        quote_spans = _spans(quote, opening, closing_, 0)
        plain = quote.replace(opening, "").replace(closing_, "")
        first = quote_spans[0] if quote_spans else (0, len(plain))
        snippet, marks = _snippet(plain, first[0], quote_spans)
        if status == "anchored":  # the match itself, inside the quote's place in the text
            start, end = start + first[0], start + first[1]
        yield SearchHit(briefing_id, title, published, start, end, snippet, marks,
                        "quote", hid, rank)
