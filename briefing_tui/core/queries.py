"""The read side: highlights joined with their briefing, speaker, stance and topics.

Every view that shows highlights (the reader's marks and sidebar, exports, ``list``, and
the cross-briefing views to come) reads them here, in one shape: an
:class:`AnnotatedHighlight`. A query is a :class:`HighlightQuery` (filters, order, page);
whatever it matches, :func:`annotated_highlights` runs a bounded number of SQL
statements: one for the highlights with their briefing, speaker and stance, one for their
topics, and one more for the briefings' layouts when paragraph numbers are asked for.
Never one per highlight or per briefing.

>>> rows = annotated_highlights(store, HighlightQuery(briefing_ids=(bid,)))  # doctest: +SKIP
>>> rows[0].speaker.name, rows[0].stance.name, rows[0].briefing.title        # doctest: +SKIP
('Dmitry Peskov', 'opposes', 'Kremlin signals no quick truce')

Briefings and their highlight counts: :func:`briefings` (one grouped statement).
Speaker × stance counts over the library or any filter: :func:`matrix` (one grouped
statement, and one for the label set).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal, NamedTuple, Protocol

from briefing_tui.core.document import Document
from briefing_tui.core.errors import StoreError
from briefing_tui.core.models import ANCHORED, ORPHANED, BriefingInfo, Highlight, Speaker, Stance

__all__ = [
    "AnnotatedHighlight",
    "BriefingRef",
    "HighlightQuery",
    "Matrix",
    "MatrixRow",
    "ReadSource",
    "SpeakerSummary",
    "annotated_highlights",
    "briefing_total",
    "briefings",
    "group_by_briefing",
    "highlight_versions",
    "iter_pages",
    "matrix",
    "neighbour_highlight",
    "speaker_matches",
    "speaker_summaries",
    "stance_by_date",
    "tally",
]

Order = Literal["position", "date"]


class ReadSource(Protocol):
    """What the read side needs of a store: its connection under its lock."""

    def reading(self) -> AbstractContextManager[sqlite3.Connection]:
        """The connection, held for the duration of a read."""
        ...


@dataclass(frozen=True)
class BriefingRef:
    """The briefing a highlight belongs to, as much as a list of highlights shows."""

    id: str
    title: str
    published: str = ""


class AnnotatedHighlight(NamedTuple):
    """A highlight with everything said about it: briefing, speaker, stance, topics.

    ``paragraph`` is the 1-based paragraph number of an anchored highlight when the
    query asked for paragraphs (``HighlightQuery(paragraphs=True)``), else None.
    (A named tuple: a view of 10k highlights builds 10k of them, and a tuple is made
    several times faster than a frozen dataclass.)
    """

    highlight: Highlight
    briefing: BriefingRef
    speaker: Speaker | None = None
    stance: Stance | None = None
    paragraph: int | None = None

    @property
    def id(self) -> str:
        """The highlight's id."""
        return self.highlight.id

    @property
    def start(self) -> int:
        """Where the highlight starts in the reading text."""
        return self.highlight.start

    @property
    def end(self) -> int:
        """Where the highlight ends (exclusive)."""
        return self.highlight.end

    @property
    def topics(self) -> tuple[str, ...]:
        """The highlight's topic names, sorted."""
        return self.highlight.topics

    @property
    def orphaned(self) -> bool:
        """True when the highlight's text was lost in a re-import."""
        return self.highlight.status == ORPHANED

    @property
    def changed(self) -> bool:
        """True when a re-import placed it on text other than its quote as marked."""
        return self.highlight.changed


@dataclass(frozen=True)
class HighlightQuery:
    """Which highlights, in which order, which page. Every filter left None matches all.

    ``speaker_id=""`` / ``stance_id=""`` ask for highlights without one. Dates compare
    the briefings' ``published`` text (ISO dates sort as text); both ends are inclusive.
    ``order="position"`` keeps the briefings in the order of ``briefing_ids`` (else by
    title) and each briefing's highlights by start, end, id; ``order="date"`` puts the
    briefings oldest first (undated last) and keeps positions inside each. Highlights of
    briefings deleted from the library are never matched.
    """

    briefing_ids: Sequence[str] | None = None
    speaker_id: str | None = None
    stance_id: str | None = None
    topic: str | None = None
    published_from: str | None = None
    published_to: str | None = None
    status: str | None = None
    order: Order = "position"
    limit: int | None = None
    offset: int = 0
    paragraphs: bool = False
    # Briefings whose source holds this text (case-insensitive for ASCII letters).
    source: str | None = None
    # Only these highlights (one JSON parameter, whatever their number): what a view
    # re-reads after a change, instead of all of them.
    ids: Sequence[str] | None = None
    # Only highlights over some of the text ``[from, to)`` (they start before ``to`` and
    # end after ``from``): what the reader's first screen shows of a long list.
    span: tuple[int, int] | None = None


_HL_COLUMNS = ("h.id", "h.briefing_id", 'h."start"', 'h."end"', "h.exact", "h.prefix",
               "h.suffix", "h.speaker_id", "h.stance_id", "h.note", "h.status", "h.created",
               "h.updated", "h.previous_exact", "h.reviewed", "h.created_by", "h.updated_by")
_JOINED = (", ".join(_HL_COLUMNS)
           + ", b.title, b.published, s.name, s.role, s.affiliation, s.aliases,"
             " st.key, st.name, st.color, st.description")
_FROM = (" FROM highlights h JOIN briefings b ON b.id = h.briefing_id"
         " LEFT JOIN speakers s ON s.id = h.speaker_id"
         " LEFT JOIN stances st ON st.id = h.stance_id")
_POSITION = 'h."start", h."end", h.id'


@dataclass(frozen=True)
class _Sql:
    """The pieces of a highlight query's SQL and their parameters."""

    join: str
    where: str
    params: list[Any]
    order: str
    page: str
    page_params: list[Any]

    def select(self, columns: str) -> tuple[str, list[Any]]:
        """The ordered, paged SELECT of ``columns``."""
        return (f"SELECT {columns}{_FROM}{self.join}{self.where}{self.order}{self.page}",
                self.params + self.page_params)

    def ids(self) -> tuple[str, list[Any]]:
        """The ids it selects; without a page, neither ordered nor joined to what the
        filters do not need (the topics query runs it as a subquery)."""
        if self.page:
            return self.select("h.id")
        # b for the date filters, the ids for the briefing filter; never speakers/stances.
        sql = ("SELECT h.id FROM highlights h JOIN briefings b ON b.id = h.briefing_id"
               f"{self.join}{self.where}")
        return sql, self.params


def _sql(query: HighlightQuery) -> _Sql:
    """The JOIN (for the given briefings), WHERE, ORDER BY and LIMIT of ``query``."""
    join = ""
    clauses: list[str] = ["b.deleted_at IS NULL"]  # deleted from the library: hidden
    params: list[Any] = []
    order_briefings = "b.title COLLATE NOCASE, b.title, b.id"
    if query.briefing_ids is not None:
        # One JSON parameter, whatever the number of ids (no limit on SQL variables);
        # json_each's key keeps the caller's order.
        # With ``ids``: "+" keeps the briefing's index out, so each highlight is found
        # by its id (a page of a 20k-highlight briefing scanned: 15 ms, by id: 0.1 ms).
        column = "+h.briefing_id" if query.ids is not None else "h.briefing_id"
        join = f" JOIN json_each(?) ids ON ids.value = {column}"
        params.append(json.dumps(list(dict.fromkeys(query.briefing_ids))))
        order_briefings = "ids.key"
    for column, value in (("h.speaker_id", query.speaker_id), ("h.stance_id", query.stance_id)):
        if value == "":
            clauses.append(f"{column} IS NULL")
        elif value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if query.topic is not None:
        clauses.append("EXISTS (SELECT 1 FROM highlight_topics ht JOIN topics t"
                       " ON t.id = ht.topic_id WHERE ht.highlight_id = h.id AND t.name = ?)")
        params.append(query.topic)
    if query.published_from is not None:
        clauses.append("b.published <> '' AND b.published >= ?")
        params.append(query.published_from)
    if query.published_to is not None:
        # "2025-03-20T10:00" is still on the 20th: compare the date's length only.
        clauses.append("b.published <> '' AND substr(b.published, 1, length(?)) <= ?")
        params += [query.published_to, query.published_to]
    if query.source is not None:
        clauses.append("instr(lower(b.source), lower(?)) > 0")
        params.append(query.source)
    if query.status is not None:
        clauses.append("h.status = ?")
        params.append(query.status)
    if query.ids is not None:
        clauses.append("h.id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(dict.fromkeys(query.ids))))
    if query.span is not None:
        clauses.append('h."start" < ? AND h."end" > ?')
        params += [query.span[1], query.span[0]]
    if query.order == "date":
        order_briefings = "b.published = '', b.published, b.title COLLATE NOCASE, b.title, b.id"
    elif query.order != "position":
        raise ValueError(f"unknown order {query.order!r} (position or date)")
    page, page_params = "", []
    if query.limit is not None or query.offset:
        page = " LIMIT ? OFFSET ?"
        page_params = [-1 if query.limit is None else query.limit, query.offset]
    return _Sql(join, " WHERE " + " AND ".join(clauses), params,
                f" ORDER BY {order_briefings}, h.briefing_id, {_POSITION}", page, page_params)


def annotated_highlights(store: ReadSource,
                         query: HighlightQuery | None = None) -> list[AnnotatedHighlight]:
    """The highlights ``query`` matches (all of them when None), annotated.

    Two statements (three with ``paragraphs``), whatever the number of highlights or
    briefings.
    """
    query = query or HighlightQuery()
    sql = _sql(query)
    with store.reading() as conn:
        rows = conn.execute(*sql.select(_JOINED)).fetchall()
        topics: dict[str, list[str]] = {}
        if rows:
            selected, params = sql.ids()
            for hid, name in conn.execute(
                "SELECT ht.highlight_id, t.name FROM highlight_topics ht"
                f" JOIN topics t ON t.id = ht.topic_id WHERE ht.highlight_id IN ({selected})",
                params,
            ):
                topics.setdefault(hid, []).append(name)
        result = _build(rows, topics)
        if query.paragraphs and result:
            result = _with_paragraphs(conn, result)
    return result


def _build(rows: list[tuple[Any, ...]],
           topics: dict[str, list[str]]) -> list[AnnotatedHighlight]:
    # One object per briefing, speaker and stance, shared by their highlights (10k rows).
    refs: dict[str, BriefingRef] = {}
    speakers: dict[str, Speaker] = {}
    stances: dict[str, Stance] = {}
    none: tuple[str, ...] = ()
    out = []
    for row in rows:
        (hid, bid, start, end, exact, prefix, suffix, speaker_id, stance_id, note, status,
         created, updated, previous_exact, reviewed, created_by, updated_by, title, published,
         s_name, s_role, s_aff, s_aliases, st_key, st_name, st_color, st_desc) = row
        names = topics.get(hid)
        highlight = Highlight(hid, bid, start, end, exact, prefix, suffix, speaker_id,
                              stance_id, note, tuple(sorted(names)) if names else none,
                              status, created, updated, previous_exact, bool(reviewed),
                              created_by, updated_by)
        ref = refs.get(bid)
        if ref is None:
            ref = refs[bid] = BriefingRef(bid, title, published)
        speaker = None
        if speaker_id is not None and s_name is not None:
            speaker = speakers.get(speaker_id)
            if speaker is None:
                speaker = speakers[speaker_id] = Speaker(
                    speaker_id, s_name, s_role, s_aff, tuple(json.loads(s_aliases)))
        stance = None
        if stance_id is not None and st_name is not None:
            stance = stances.get(stance_id)
            if stance is None:
                stance = stances[stance_id] = Stance(stance_id, st_key, st_name, st_color,
                                                     st_desc)
        out.append(AnnotatedHighlight(highlight, ref, speaker, stance))
    return out


def _with_paragraphs(conn: sqlite3.Connection,
                     items: list[AnnotatedHighlight]) -> list[AnnotatedHighlight]:
    """``items`` with the paragraph numbers of the anchored ones: one statement reads the
    layouts of their briefings, one briefing at a time (a text is dropped once used)."""
    by_briefing: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        if not item.orphaned:
            by_briefing.setdefault(item.briefing.id, []).append(index)
    if not by_briefing:
        return items
    numbers: dict[int, int] = {}
    cursor = conn.execute(
        "SELECT b.id, b.title, b.fmt, t.reading_text, t.doc_blob FROM briefings b"
        " JOIN briefing_texts t ON t.briefing_id = b.id"
        " WHERE b.id IN (SELECT value FROM json_each(?))", (json.dumps(list(by_briefing)),))
    for bid, title, fmt, text, blob in cursor:
        try:
            document = (Document.from_blob(text, blob, fmt) if blob is not None
                        else Document(text=text, fmt=fmt))
        except ValueError:
            raise StoreError(
                f"the stored layout of {title!r} is damaged; import its file again") from None
        for index in by_briefing[bid]:
            numbers[index] = document.paragraph_number(items[index].start)
    return [item if index not in numbers else item._replace(paragraph=numbers[index])
            for index, item in enumerate(items)]


class Versions(NamedTuple):
    """What tells whether a view of one briefing's highlights is still current: each
    highlight's ``updated`` stamp (every write to it, its topics included, and every undo
    or redo of one changes it), and the speakers and stances those highlights show."""

    stamps: dict[str, str]
    speakers: dict[str, Speaker]
    stances: dict[str, Stance]


def highlight_versions(store: ReadSource, briefing_id: str,
                       speaker_ids: Iterable[str] = ()) -> Versions:
    """The :class:`Versions` of a briefing's highlights, with the speakers ``speaker_ids``
    (those a view shows) and every stance: three narrow statements (no topics, one row
    per highlight of two short columns); a view compares them with what it shows and
    re-reads only the highlights that differ (``HighlightQuery(ids=...)``)."""
    with store.reading() as conn:
        stamps = dict(conn.execute(
            "SELECT h.id, h.updated FROM highlights h JOIN briefings b ON b.id = h.briefing_id"
            " WHERE h.briefing_id = ? AND b.deleted_at IS NULL", (briefing_id,)))
        speakers = {row[0]: Speaker(row[0], row[1], row[2], row[3], tuple(json.loads(row[4])))
                    for row in conn.execute(
                        "SELECT id, name, role, affiliation, aliases FROM speakers WHERE id IN"
                        " (SELECT value FROM json_each(?))", (json.dumps(list(speaker_ids)),))}
        stances = {row[0]: Stance(*row) for row in conn.execute(
            "SELECT id, key, name, color, description FROM stances")}
    return Versions(stamps, speakers, stances)


class HighlightCounts(NamedTuple):
    """How many highlights a briefing has: anchored (``changed`` of them on other text
    than their quote as marked) and orphaned."""

    anchored: int
    orphaned: int
    changed: int


def highlight_counts(store: ReadSource, briefing_id: str) -> HighlightCounts:
    """The :class:`HighlightCounts` of a briefing: one statement over its index."""
    with store.reading() as conn:
        anchored, orphaned, changed = conn.execute(
            "SELECT count(*) FILTER (WHERE status = ?), count(*) FILTER (WHERE status = ?),"
            " count(*) FILTER (WHERE status = ? AND previous_exact IS NOT NULL)"
            " FROM highlights WHERE briefing_id = ?",
            (ANCHORED, ORPHANED, ANCHORED, briefing_id)).fetchone()
    return HighlightCounts(anchored, orphaned, changed)


def neighbour_highlight(store: ReadSource, briefing_id: str, cursor: int, *,
                        after: bool) -> str | None:
    """The id of the anchored highlight that ``]`` (``after``) or ``[`` reaches from
    ``cursor``, in the read model's order: the first starting after it, or the first of
    those starting last before it. One statement over the (briefing, start) index: what a
    view holding only some of a briefing's highlights asks the store."""
    if after:
        where, order = '"start" > ?', '"start", "end", id'
    else:
        where, order = '"start" < ?', '"start" DESC, "end", id'
    with store.reading() as conn:
        row = conn.execute(
            f"SELECT id FROM highlights WHERE briefing_id = ? AND status = ? AND {where}"
            f" ORDER BY {order} LIMIT 1", (briefing_id, ANCHORED, cursor)).fetchone()
    return row[0] if row is not None else None


def group_by_briefing(items: Iterable[AnnotatedHighlight]) -> dict[str, list[AnnotatedHighlight]]:
    """``items`` by briefing id, each list in the order given."""
    groups: dict[str, list[AnnotatedHighlight]] = {}
    for item in items:
        groups.setdefault(item.briefing.id, []).append(item)
    return groups


# --------------------------------------------------------------------------- briefings

_INFO_COLUMNS = ("id", "title", "source", "published", "url", "path", "fmt", "content_hash",
                 "revision", "imported", "encoding")  # deleted_at: None, only live ones are read
_FIELDS = tuple(f.name for f in fields(BriefingInfo))
BriefingOrder = Literal["title", "date"]


def _by_date(info: BriefingInfo) -> tuple[Any, ...]:
    # Oldest first, undated last: the order a report reads in.
    return (info.published == "", info.published, info.title.casefold(), info.title, info.id)


def briefings(store: ReadSource, briefing_ids: Sequence[str] | None = None, *,
              order: BriefingOrder = "title", counts: bool | int = True,
              limit: int | None = None) -> list[BriefingInfo]:
    """Briefings with their highlight, orphan and changed counts, in one grouped statement
    (``counts=False``: without them, all 0, reading no highlight: a library of 2,000
    briefings shows its titles before 200,000 highlights are counted; ``counts=N``: with
    them only if there are at most N briefings, so ``len(result) > N`` says they are 0).

    Briefings deleted from the library (``deleted_at`` set) are not read: for every view,
    export and list they are gone. With ``briefing_ids``: those briefings in that order (duplicates dropped; an unknown
    id raises StoreError); else every briefing, by ``order`` ("title" or "date"). ``limit``:
    only the first that many by title (a big library's first screen: 80 of 2,000 briefings
    read in 0.5 ms, all of them in 11 ms), with ``briefing_ids`` None and order "title".
    """
    if limit is not None and (briefing_ids is not None or order != "title"):
        raise ValueError("limit reads the first briefings by title only")
    ids = list(dict.fromkeys(briefing_ids)) if briefing_ids is not None else None
    where, params = " WHERE b.deleted_at IS NULL", []  # deleted from the library: hidden
    if ids is not None:
        where += " AND b.id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(ids))
    with store.reading() as conn:
        if counts is not True and counts is not False:
            many = conn.execute(f"SELECT COUNT(*) FROM briefings b{where}", params).fetchone()[0]
            counts = many <= counts
        infos = _briefing_infos(conn, where, params, counted=bool(counts), limit=limit)
    if ids is None:
        return sorted(infos, key=_by_date) if order == "date" else infos
    found = {info.id: info for info in infos}
    missing = [bid for bid in ids if bid not in found]
    if missing:
        raise StoreError(f"no briefing {missing[0]}")
    return [found[bid] for bid in ids]


def briefing_total(store: ReadSource) -> int:
    """How many briefings the library holds (deleted ones not counted)."""
    with store.reading() as conn:
        return int(conn.execute(
            "SELECT COUNT(*) FROM briefings WHERE deleted_at IS NULL").fetchone()[0])


def _briefing_infos(conn: sqlite3.Connection, where: str, params: list[Any], *,
                    counted: bool, limit: int | None = None) -> list[BriefingInfo]:
    # In BriefingInfo's field order: id .. imported, the three counts, encoding.
    head = ", ".join(f"b.{c}" for c in _INFO_COLUMNS[:-1])
    tail = f"b.{_INFO_COLUMNS[-1]}"
    sql = (
        f"SELECT {head}, 0 AS highlight_count, 0 AS orphan_count, 0 AS changed_count, {tail}"
        f" FROM briefings b{where} ORDER BY b.title COLLATE NOCASE, b.title, b.id"
    ) if not counted else (
        f"SELECT {head},"
        " COALESCE(c.n, 0) AS highlight_count, COALESCE(c.o, 0) AS orphan_count,"
        f" COALESCE(ch.c, 0) AS changed_count, {tail} FROM briefings b LEFT JOIN ("
        # The counts read the (briefing_id, status) index alone; the changed ones, which
        # need previous_exact, one pass over the table (+: not that index, which would
        # look each highlight up: 200,000 lookups where the pass reads pages in order).
        "  SELECT briefing_id, COUNT(*) AS n, SUM(status = 'orphaned') AS o"
        "  FROM highlights GROUP BY briefing_id) c ON c.briefing_id = b.id LEFT JOIN ("
        "  SELECT briefing_id, COUNT(*) AS c FROM highlights"
        "  WHERE previous_exact IS NOT NULL AND +status = 'anchored' GROUP BY +briefing_id"
        " ) ch ON ch.briefing_id = b.id" + where
        + " ORDER BY b.title COLLATE NOCASE, b.title, b.id"
    )
    if limit is not None and counted:
        # The first briefings by title, then their counts: three lookups of the
        # (briefing_id, status) index each, not one pass over every highlight (80 of 2,000
        # briefings counted as fast as a library of 80).
        sql = (
            f"SELECT {head},"
            " (SELECT COUNT(*) FROM highlights h WHERE h.briefing_id = b.id)"
            " AS highlight_count,"
            " (SELECT COUNT(*) FROM highlights h WHERE h.briefing_id = b.id"
            "  AND h.status = 'orphaned') AS orphan_count,"
            " (SELECT COUNT(*) FROM highlights h WHERE h.briefing_id = b.id"
            "  AND h.status = 'anchored' AND h.previous_exact IS NOT NULL) AS changed_count,"
            f" {tail} FROM (SELECT * FROM briefings b{where}"
            " ORDER BY b.title COLLATE NOCASE, b.title, b.id LIMIT ?) b"
            " ORDER BY b.title COLLATE NOCASE, b.title, b.id")
        params = [*params, limit]
    elif limit is not None:
        sql += " LIMIT ?"
        params = [*params, limit]
    cursor = conn.execute(sql, params)
    names = tuple(d[0] for d in cursor.description)
    if names == _FIELDS[:len(names)]:
        # The dataclass's own field order: positional (2,000 rows: 3 ms less than keywords).
        return [BriefingInfo(*row) for row in cursor]
    return [BriefingInfo(**dict(zip(names, row, strict=True))) for row in cursor]


def iter_pages(store: ReadSource, query: HighlightQuery,
               page_size: int = 1000) -> Iterator[list[AnnotatedHighlight]]:
    """``query``'s highlights a page at a time (for views that show thousands)."""
    offset = query.offset
    while True:
        page = annotated_highlights(store, replace(query, limit=page_size, offset=offset))
        if not page:
            return
        yield page
        if len(page) < page_size:
            return
        offset += page_size


def stance_by_date(store: ReadSource,
                   query: HighlightQuery) -> list[tuple[str, str | None, int]]:
    """How many of ``query``'s highlights each (briefing date, stance id) pair has, in one
    grouped statement (its order and page are ignored): what a stance over time is drawn
    from without reading the highlights themselves."""
    sql = _sql(query)
    with store.reading() as conn:
        rows = conn.execute(
            f"SELECT b.published, h.stance_id, COUNT(*) FROM highlights h JOIN briefings b"
            f" ON b.id = h.briefing_id{sql.join}{sql.where} GROUP BY b.published, h.stance_id",
            sql.params).fetchall()
    return [(published, stance, count) for published, stance, count in rows]


# --------------------------------------------------------------------------- speakers


@dataclass(frozen=True)
class SpeakerSummary:
    """A speaker with what the library holds of them: statements (highlights), briefings,
    the first and last date of those briefings ("" when none is dated), and the number of
    statements per stance id (``""`` counts those without a stance)."""

    speaker: Speaker
    statements: int = 0
    briefings: int = 0
    first: str = ""
    last: str = ""
    stances: dict[str, int] = field(default_factory=dict)

    def count(self, stance_id: str | None) -> int:
        """Statements with stance ``stance_id`` (None: without a stance)."""
        return self.stances.get(stance_id or "", 0)


def speaker_matches(speaker: Speaker, text_filter: str) -> bool:
    """Whether ``speaker``'s name, role, affiliation or an alias contains ``text_filter``
    (case-insensitively; an empty filter matches every speaker).

    >>> speaker_matches(Speaker("s1", "Dmitry Peskov", aliases=("Peskov",)), "PESK")
    True
    """
    needle = text_filter.strip().casefold()
    return not needle or any(needle in text.casefold() for text in (
        speaker.name, speaker.role, speaker.affiliation, *speaker.aliases))


def speaker_summaries(store: ReadSource, text_filter: str = "") -> list[SpeakerSummary]:
    """Every speaker (by name, case-insensitively) with their counts; ``text_filter``
    keeps those whose name, role, affiliation or an alias contains it.

    One grouped statement over the highlights whatever the number of speakers (the
    stance label set, at most nine rows, is read first to name its columns).
    Highlights of briefings deleted from the library do not count.
    """
    with store.reading() as conn:
        stance_ids = [row[0] for row in conn.execute("SELECT id FROM stances ORDER BY key")]
        sums = "".join(f", SUM(h.stance_id IS ?) AS s{i}" for i in range(len(stance_ids)))
        picked = "".join(f", c.s{i}" for i in range(len(stance_ids)))
        sql = (
            "SELECT s.id, s.name, s.role, s.affiliation, s.aliases, c.n, c.nb, c.first,"
            f" c.last, c.none{picked} FROM speakers s LEFT JOIN ("
            " SELECT h.speaker_id, COUNT(*) AS n, COUNT(DISTINCT h.briefing_id) AS nb,"
            " MIN(NULLIF(b.published, '')) AS first, MAX(NULLIF(b.published, '')) AS last,"
            f" SUM(h.stance_id IS NULL) AS none{sums}"
            " FROM highlights h JOIN briefings b ON b.id = h.briefing_id"
            " WHERE h.speaker_id IS NOT NULL AND b.deleted_at IS NULL"
            " GROUP BY h.speaker_id) c ON c.speaker_id = s.id"
            " ORDER BY s.name_key, s.id"
        )
        rows = conn.execute(sql, stance_ids).fetchall()
    out = []
    for row in rows:
        sid, name, role, affiliation, aliases, n, nb, first, last, none = row[:10]
        speaker = Speaker(sid, name, role, affiliation, tuple(json.loads(aliases)))
        if not speaker_matches(speaker, text_filter):
            continue
        stances = {stance_id: count for stance_id, count
                   in zip(stance_ids, row[10:], strict=True) if count}
        if none:
            stances[""] = none
        out.append(SpeakerSummary(speaker, n or 0, nb or 0, first or "", last or "", stances))
    return out


# --------------------------------------------------------------------------- matrix

MatrixSort = Literal["total", "name"]


@dataclass(frozen=True)
class MatrixRow:
    """One speaker's counts (``speaker`` None: highlights without a speaker), a count per
    column of its :class:`Matrix`, and their total."""

    speaker: Speaker | None
    counts: tuple[int, ...]
    total: int


@dataclass(frozen=True)
class Matrix:
    """Speaker × stance counts. ``columns`` are the stance label set by hotkey, then None
    ("no stance") when some counted highlight has none; each row's ``counts`` follow them.
    The query it counts is kept, so a cell's highlights are ``cell_query(row, column)``."""

    query: HighlightQuery
    columns: tuple[Stance | None, ...]
    rows: tuple[MatrixRow, ...]

    @property
    def total(self) -> int:
        """Every highlight counted."""
        return sum(row.total for row in self.rows)

    def column_totals(self) -> tuple[int, ...]:
        """The count of each column over all rows."""
        return tuple(sum(row.counts[i] for row in self.rows) for i in range(len(self.columns)))

    def cell_query(self, row: int, column: int) -> HighlightQuery:
        """The highlights counted in one cell (``column`` = len(columns): the row's total),
        oldest briefing first."""
        speaker = self.rows[row].speaker
        stance_id: str | None = None
        if column < len(self.columns):
            stance = self.columns[column]
            stance_id = "" if stance is None else stance.id
        return replace(self.query, speaker_id="" if speaker is None else speaker.id,
                       stance_id=stance_id, order="date", limit=None, offset=0)


def matrix(store: ReadSource, query: HighlightQuery | None = None, *,
           sort: MatrixSort = "total") -> Matrix:
    """Speaker × stance counts of the highlights ``query`` matches (its speaker, stance,
    order and page are ignored): one grouped statement, whatever the number of highlights.

    Rows by total, most first (``sort="total"``), or by name; highlights without a speaker
    make the last row. A stance id no longer in the label set counts as no stance.
    """
    query = replace(query or HighlightQuery(), speaker_id=None, stance_id=None,
                    limit=None, offset=0, paragraphs=False)
    where, params = _matrix_where(query)
    # No join per highlight: the briefings (and the topic's highlights) that count are
    # sets built once, that each highlight is looked up in; the speakers are joined to
    # the grouped rows. With an index on (speaker_id, stance_id) the grouping needs no
    # sort (26 ms for 200,000 highlights; without it SQLite sorts them, ~300 ms).
    counted = (
        "SELECT g.speaker_id, s.name, s.role, s.affiliation, s.aliases, g.stance_id, g.n"
        " FROM (SELECT h.speaker_id, h.stance_id, COUNT(*) AS n FROM highlights h"
        f"{where} GROUP BY h.speaker_id, h.stance_id) g"
        " LEFT JOIN speakers s ON s.id = g.speaker_id")
    with store.reading() as conn:
        rows = conn.execute(counted, params).fetchall()
        stances = [Stance(*row) for row in conn.execute(
            "SELECT id, key, name, color, description FROM stances ORDER BY key, name, id")]
    cells = []
    for speaker_id, name, role, affiliation, aliases, stance_id, n in rows:
        speaker = None if speaker_id is None or name is None else Speaker(
            speaker_id, name, role, affiliation, tuple(json.loads(aliases or "[]")))
        cells.append((speaker, stance_id, n))
    return _grid(query, stances, cells, sort)


def _matrix_where(query: HighlightQuery) -> tuple[str, list[Any]]:
    """The WHERE of :func:`matrix`: the briefings' conditions as one subquery, the
    highlights' (topic, status) on the highlight."""
    briefing: list[str] = []
    params: list[Any] = []
    if query.briefing_ids is not None:
        briefing.append("b.id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(dict.fromkeys(query.briefing_ids))))
    if query.published_from is not None:
        briefing.append("b.published <> '' AND b.published >= ?")
        params.append(query.published_from)
    if query.published_to is not None:
        briefing.append("b.published <> '' AND substr(b.published, 1, length(?)) <= ?")
        params += [query.published_to, query.published_to]
    if query.source is not None:
        briefing.append("instr(lower(b.source), lower(?)) > 0")
        params.append(query.source)
    if briefing:
        clauses = ["h.briefing_id IN (SELECT b.id FROM briefings b WHERE b.deleted_at IS NULL"
                   " AND " + " AND ".join(briefing) + ")"]
    else:  # deleted from the library: hidden (usually none, so a tiny set)
        clauses = ["h.briefing_id NOT IN (SELECT id FROM briefings WHERE deleted_at IS NOT NULL)"]
    if query.topic is not None:
        clauses.append("h.id IN (SELECT ht.highlight_id FROM highlight_topics ht JOIN topics t"
                       " ON t.id = ht.topic_id WHERE t.name = ?)")
        params.append(query.topic)
    if query.status is not None:
        clauses.append("h.status = ?")
        params.append(query.status)
    if query.ids is not None:
        clauses.append("h.id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(dict.fromkeys(query.ids))))
    return " WHERE " + " AND ".join(clauses), params


def tally(items: Iterable[AnnotatedHighlight], stances: Sequence[Stance],
          query: HighlightQuery | None = None, *, sort: MatrixSort = "total") -> Matrix:
    """The :func:`matrix` of highlights already read (an export's), counted in Python:
    no statement. ``stances`` is the label set; ``query`` what ``items`` matched."""
    cells: dict[tuple[str | None, str | None], list[Any]] = {}
    for item in items:
        key = (item.speaker.id if item.speaker else None, item.highlight.stance_id)
        cell = cells.get(key)
        if cell is None:
            cells[key] = [item.speaker, item.highlight.stance_id, 1]
        else:
            cell[2] += 1
    return _grid(query or HighlightQuery(), sorted(stances, key=lambda s: (s.key, s.name, s.id)),
                 [(sp, st, n) for sp, st, n in cells.values()], sort)


def _grid(query: HighlightQuery, stances: Sequence[Stance],
          cells: Iterable[tuple[Speaker | None, str | None, int]], sort: MatrixSort) -> Matrix:
    """The matrix of (speaker, stance id, count) cells, rows sorted by ``sort``."""
    index = {stance.id: i for i, stance in enumerate(stances)}
    none = len(stances)
    speakers: dict[str | None, Speaker | None] = {}
    counts: dict[str | None, list[int]] = {}
    for speaker, stance_id, n in cells:
        key = None if speaker is None else speaker.id
        if key not in counts:
            speakers[key] = speaker
            counts[key] = [0] * (none + 1)
        counts[key][index.get(stance_id, none) if stance_id is not None else none] += n
    with_none = any(c[none] for c in counts.values())
    width = none + 1 if with_none else none
    built = [MatrixRow(speakers[k], tuple(c[:width]), sum(c)) for k, c in counts.items()]
    named = [r for r in built if r.speaker is not None]
    if sort == "total":
        named.sort(key=lambda r: (-r.total, r.speaker.name.casefold(), r.speaker.id))  # type: ignore[union-attr]
    elif sort == "name":
        named.sort(key=lambda r: (r.speaker.name.casefold(), r.speaker.id))  # type: ignore[union-attr]
    else:
        raise ValueError(f"unknown sort {sort!r} (total or name)")
    rest = [r for r in built if r.speaker is None]
    columns: tuple[Stance | None, ...] = (*stances, None) if with_none else tuple(stances)
    return Matrix(query, columns, tuple(named + rest))
