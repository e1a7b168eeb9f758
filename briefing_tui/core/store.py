"""SQLite store (sqlite-utils over a connection we configure): the only writer.

Every public mutating method is one short committed transaction
(``BEGIN IMMEDIATE`` ... ``COMMIT``). Highlight and speaker changes record one undo
step in the same transaction (table ``undo_steps``: a JSON list of row
snapshots ``{table, key, before, after}``) that belongs to this ``Store``
object: ``undo()``/``redo()`` replay its own steps only, never those of a second
instance on the same file. Errors a user can cause raise ``StoreError`` with a
one-line message.

>>> from briefing_tui.core.importer import import_paths
>>> from briefing_tui.paths import samples_dir
>>> store = Store(tmp_path / "briefings.db")
>>> [result] = import_paths(store, [samples_dir() / "kremlin-signals-no-quick-truce.md"])
>>> h = store.create_highlight(result.briefing_id, 10, 42)
>>> store.set_stance(h.id, store.stance_by_key(2).id).stance_id == store.stance_by_key(2).id
True
>>> store.undo(result.briefing_id)
'set stance'
>>> store.close()


How the file is opened (refusals, read-only, migrations), the transactions and the
threads: :mod:`briefing_tui.core.dbfile`. The tables and their migrations are in
:mod:`briefing_tui.core.schema`, the undo log's recording and replay in
:mod:`briefing_tui.core.undo`; this module holds the queries.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NoReturn, cast

from briefing_tui.core import queries
from briefing_tui.core.analyst import acting_as, current_analyst
from briefing_tui.core.dbfile import BUSY_TIMEOUT_S, SQLITE_MAGIC, DatabaseFile
from briefing_tui.core.document import Document
from briefing_tui.core.errors import StoreError
from briefing_tui.core.memory import release_freed_memory
from briefing_tui.core.models import (
    ANCHORED,
    ORPHANED,
    Briefing,
    BriefingInfo,
    Highlight,
    Speaker,
    Stance,
)
from briefing_tui.core.safetext import safe_line
from briefing_tui.core.schema import (
    DEFAULT_STANCES,
    INDEX_NEW_TEXT,
    MIGRATIONS,
    READING_HEAD,
    Migration,
    new_id,
    now_iso,
)
from briefing_tui.core.titles import shorten
from briefing_tui.core.undo import (
    LIBRARY,
    Tx,
    UndoConflict,
    has_step,
    replay,
    touched_highlights,
)

__all__ = [
    "BUSY_TIMEOUT_S",
    "DEFAULT_STANCES",
    "LIBRARY",
    "MIGRATIONS",
    "SQLITE_MAGIC",
    "TEXT_CACHE_SIZE",
    "Migration",
    "Store",
    "StoreError",
    "UndoConflict",
    "id_prefixes",
    "normalize_topic",
    "rejection_key",
]

DRAFT_WAIT_MS = 50  # how long saving a note draft waits for the write lock
TEXT_CACHE_SIZE = 8  # reading texts kept in memory (a 5 MB briefing costs ~5-20 MB)
# An ambiguous reference lists this many candidates, each title cut to this length.
AMBIGUOUS_SHOWN = 5
AMBIGUOUS_TITLE = 60


# --------------------------------------------------------------------------- helpers


def normalize_topic(name: str) -> str:
    """Canonical topic name: stripped, lower case, no leading ``#``, spaces as ``-``.

    The one folding of a topic, whatever the script: the topics picker shows what it
    makes of the typed text (``+ Create #root-causes``) before anything is saved, and
    the store saves exactly that, so the status line, the sidebar and the exports show
    one string. Controls become visible placeholders (typed text is hostile too).

    >>> normalize_topic("  #Root Causes "), normalize_topic("Мирні  Переговори")
    ('root-causes', 'мирні-переговори')
    """
    name = name.strip().lstrip("#").strip().lower()
    return safe_line("-".join(name.split()))


def _norm_path(path: str | None) -> str:
    """Absolute resolved path, so the same file is found however it was named."""
    if not path:
        return ""
    return str(Path(path).expanduser().resolve())


def _clean_aliases(name: str, aliases: Iterable[str]) -> list[str]:
    """Stripped, non-empty, unique (case-insensitively) aliases other than the name."""
    seen = {name.casefold()}
    out: list[str] = []
    for alias in aliases:
        alias = " ".join(alias.split())
        if alias and alias.casefold() not in seen:
            seen.add(alias.casefold())
            out.append(alias)
    return out


_HL_COLS = ("id", "briefing_id", "start", "end", "exact", "prefix", "suffix", "speaker_id",
            "stance_id", "note", "status", "created", "updated", "previous_exact", "reviewed",
            "created_by", "updated_by")
_HL_SELECT = ", ".join(f'"{c}"' for c in _HL_COLS)
_HL_SELECT_12 = ", ".join(f'"{c}"' for c in _HL_COLS[:-2])  # before schema 13 (tests)
# Highlight's fields are _HL_COLS with topics after note: highlights() builds them
# positionally (tests check the order).
_INFO_COLS = ("id", "title", "source", "published", "url", "path", "fmt", "content_hash",
              "revision", "imported", "encoding", "deleted_at")
_INFO_SELECT = ", ".join(f"b.{c}" for c in _INFO_COLS)

def _quote_selector(text: str, start: int, end: int) -> tuple[str, str, str]:
    """:func:`briefing_tui.core.anchoring.quote_selector`, imported on first use.

    The anchoring module imports rapidfuzz, which opening the app does not need.
    """
    from briefing_tui.core.anchoring import quote_selector

    return quote_selector(text, start, end)


# --------------------------------------------------------------------------- the store

class Store(DatabaseFile):
    """The briefings database. ``Store(path)`` opens (creating and migrating) it; the
    methods below are its queries, each write one committed transaction."""

    def __init__(self, path: str | Path, *, readonly: bool | None = None,
                 analyst: str | None = None) -> None:
        """Open the database at ``path`` (see :class:`DatabaseFile`).

        ``analyst`` is who this instance's highlight changes are recorded as (``created_by``,
        ``updated_by``); default :func:`briefing_tui.core.analyst.current_analyst`.
        """
        self._texts: OrderedDict[str, tuple[int, str]] = OrderedDict()
        # The highlights the last undo or redo changed (None: more than highlights, e.g.
        # a speaker's edit), so that a view re-reads only those (see undo.touched_highlights).
        self.last_replayed: frozenset[str] | None = frozenset()
        with acting_as(analyst or ""):
            self.analyst = current_analyst()
            super().__init__(path, readonly=readonly)
        # False only under a test's older schema (a subclass with fewer MIGRATIONS).
        self._tracks_analyst = len(self.MIGRATIONS) >= 13
        self._hl_select = _HL_SELECT if self._tracks_analyst else _HL_SELECT_12
        # The source texts have a table of their own and a new text is indexed by its
        # own statement (migration 15) but under a test's older schema.
        names = {r[0] for r in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE name IN"
            " ('briefing_sources', 'briefing_texts_fts', 'briefing_texts_ai')")}
        self._sources_apart = "briefing_sources" in names
        self._index_new_texts = ("briefing_texts_fts" in names
                                 and "briefing_texts_ai" not in names)

    def _by(self, *, created: bool = False) -> dict[str, str]:
        """The analyst columns a highlight write sets: ``updated_by`` (and ``created_by``)."""
        if not self._tracks_analyst:
            return {}
        return ({"created_by": self.analyst} if created else {}) | {"updated_by": self.analyst}

    # ----------------------------------------------------------------- briefings

    def add_briefing(self, *, title: str, source: str, published: str, url: str, path: str,
                     fmt: str, source_text: str | bytes, document: Document,
                     content_hash: str, encoding: str = "utf-8") -> BriefingInfo:
        """Store a new briefing (revision 1) with its parsed document; not undoable.

        ``source_text`` may be given as UTF-8 (the importer keeps a big file's text so);
        ``path`` is stored resolved (absolute), as ``find_briefing`` compares it;
        ``encoding`` is the codec its file was read with (the changed-file check uses it).
        """
        now = now_iso()
        row: dict[str, Any] = {
            "id": new_id(), "title": title, "source": source, "published": published,
            "url": url, "path": _norm_path(path), "fmt": fmt,
            "content_hash": content_hash, "revision": 1, "imported": now, "updated": now,
            "encoding": encoding,
        }
        with self._write() as _tx:
            self._insert("briefings", row)
            source = {"briefing_id": row["id"], "source_text": source_text}
            del source_text
            if self._sources_apart:
                # The source first, in a statement of its own (see migration 15): SQLite's
                # copy of it and the record it makes of it are freed before the reading
                # text's row (and its search index) is built.
                self._insert_handing_over("briefing_sources", source)
            # (``source`` is empty now unless the source goes into this row too.)
            texts = {"briefing_id": row["id"], **source, **_texts_row(document)}
            source.clear()
            if isinstance(texts["reading_text"], bytes):
                # The document's UTF-8 is taken too (its text is read from the store after).
                texts["reading_text"] = document.take_utf8(
                    lambda: self._reading_text(row["id"]))
            self._insert_handing_over("briefing_texts", texts)
            if self._index_new_texts:
                # Indexed for search after the row's statement has freed its copies.
                self.conn.execute(INDEX_NEW_TEXT, (row["id"],))
        if document.text_loaded:  # (a big import's text is not decoded for the cache)
            self._cache_text(row["id"], 1, document.text)
        return self.briefing_info(row["id"])

    def _insert_handing_over(self, table: str, texts: dict[str, Any]) -> None:
        """Insert a row of texts, emptying ``texts``. Texts given as UTF-8 are stored as
        text straight from it (no 4-bytes-a-character string): each such value (and the
        layout blob with them) is handed to SQLite by a function that gives up the last
        Python reference to it (SQLite copies a value it is given), so the copies SQLite
        makes are the only ones while it builds the row. Without UTF-8, a plain insert."""
        if not any(isinstance(texts.get(c), bytes) for c in _UTF8_COLUMNS):
            row = dict(texts)
            texts.clear()
            self._insert(table, row)
            return
        box = {c: texts.pop(c) for c in (*_UTF8_COLUMNS, "doc_blob")
               if isinstance(texts.get(c), bytes)}
        self.conn.create_function("briefing_tui_handover", 1, box.pop)
        marks = {c: "?" for c in texts}
        for c in box:
            value = f"briefing_tui_handover('{c}')"
            marks[c] = f"CAST({value} AS TEXT)" if c in _UTF8_COLUMNS else value
        values = tuple(texts.values())
        texts.clear()
        if sum(len(value) for value in box.values()) > HANDOVER_TRIM_BYTES:
            # What building the row left freed in the heaps (the layout blob's making,
            # a big file's parse) goes back before SQLite's copies come on top.
            release_freed_memory()
        # The row's pages are written through a small page cache (the usual one, 32 MB,
        # would hold that much of them until the commit): spilled to the WAL as they come.
        cache = self.conn.execute("PRAGMA cache_size").fetchone()[0]
        self.conn.execute(f"PRAGMA cache_size = {HANDOVER_CACHE_KIB}")
        try:
            self.conn.execute(f"INSERT INTO {table} ({', '.join(marks)})"
                              f" VALUES ({', '.join(marks.values())})", values)
        finally:
            self.conn.execute(f"PRAGMA cache_size = {int(cache)}")

    def update_briefing_text(self, briefing_id: str, *, source_text: str | bytes,
                             document: Document,
                             content_hash: str, path: str | None = None,
                             placements: dict[str, tuple[int, int] | None] | None = None,
                             title: str | None = None, source: str | None = None,
                             published: str | None = None, url: str | None = None,
                             encoding: str = "utf-8") -> BriefingInfo:
        """Make a new revision of a briefing and re-place its highlights, in one transaction.

        The old source text is kept in ``revisions``. ``placements`` maps a
        highlight id to its new ``(start, end)`` (anchored; exact/prefix/suffix
        become the text found there) or to ``None`` (orphaned; position and
        quote kept). One placed on text other than its quote is *changed*: the
        quote as marked stays in ``previous_exact`` until ``accept_change`` (or
        a re-attach). An anchored highlight not in ``placements`` stays only if
        the new text still holds its quote at its position, else it is
        orphaned: never silently moved. The briefing's undo history is dropped
        (its steps refer to the old text). ``encoding`` is the codec the new text's
        file was read with. Not undoable.
        """
        text = document.text
        placements = placements or {}
        with self._write() as _tx:
            old = self._row(
                f"SELECT b.revision, b.content_hash, {self._source_column} AS source_text,"
                " b.imported FROM briefings b"
                " JOIN briefing_texts t ON t.briefing_id = b.id WHERE b.id = ?",
                (briefing_id,),
            )
            if old is None:
                raise StoreError(f"no briefing {briefing_id}")
            self._insert("revisions", {
                "id": new_id(), "briefing_id": briefing_id, "revision": old["revision"],
                "content_hash": old["content_hash"], "source_text": old["source_text"],
                "imported": old["imported"],
            })
            now = now_iso()
            changes: dict[str, Any] = {
                "content_hash": content_hash, "revision": old["revision"] + 1,
                "imported": now, "updated": now, "fmt": document.fmt, "encoding": encoding,
            }
            for key, value in (("title", title), ("source", source),
                               ("published", published), ("url", url)):
                if value is not None:
                    changes[key] = value
            if path is not None:
                changes["path"] = _norm_path(path)
            sets = ", ".join(f"{c} = ?" for c in changes)
            self.conn.execute(f"UPDATE briefings SET {sets} WHERE id = ?",
                              (*changes.values(), briefing_id))
            texts = _texts_row(document)
            if self._sources_apart:
                self.conn.execute(
                    "INSERT INTO briefing_sources (briefing_id, source_text)"
                    f" VALUES (?, {_mark('source_text', source_text)}) ON CONFLICT (briefing_id)"
                    " DO UPDATE SET source_text = excluded.source_text",
                    (briefing_id, source_text))
            else:
                texts["source_text"] = source_text
            del source_text
            sets = ", ".join(f"{c} = {_mark(c, v)}" for c, v in texts.items())
            self.conn.execute(f"UPDATE briefing_texts SET {sets} WHERE briefing_id = ?",
                              (*texts.values(), briefing_id))
            self._place_highlights(briefing_id, text, placements, now)
            self.conn.execute("DELETE FROM undo_steps WHERE briefing_id = ?", (briefing_id,))
        self._cache_text(briefing_id, old["revision"] + 1, text)
        return self.briefing_info(briefing_id)

    def _place_highlights(self, briefing_id: str, text: str,
                          placements: dict[str, tuple[int, int] | None], now: str) -> None:
        rows = self._rows(
            'SELECT id, "start", "end", exact, status, previous_exact FROM highlights'
            " WHERE briefing_id = ?", (briefing_id,),
        )
        known = {row["id"]: row for row in rows}
        for hid, place in placements.items():
            if hid not in known:
                raise StoreError(f"highlight {hid} is not in briefing {briefing_id}")
            if place is None:
                self.conn.execute(
                    "UPDATE highlights SET status = ?, updated = ? WHERE id = ?",
                    (ORPHANED, now, hid),
                )
                continue
            start, end = place
            _check_span(start, end, len(text))
            exact, prefix, suffix = _quote_selector(text, start, end)
            # Placed on other text than the quote (a fuzzy match): changed. The
            # quote as marked (or as last accepted) is kept until accepted.
            marked = known[hid]["previous_exact"] or known[hid]["exact"]
            previous = None if exact == marked else marked
            self.conn.execute(
                'UPDATE highlights SET "start" = ?, "end" = ?, exact = ?, prefix = ?, suffix = ?,'
                " status = ?, previous_exact = ?, updated = ? WHERE id = ?",
                (start, end, exact, prefix, suffix, ANCHORED, previous, now, hid),
            )
        for row in rows:
            if (row["id"] not in placements and row["status"] == ANCHORED
                    and text[row["start"]:row["end"]] != row["exact"]):
                self.conn.execute(
                    "UPDATE highlights SET status = ?, updated = ? WHERE id = ?",
                    (ORPHANED, now, row["id"]),
                )

    def find_briefing(self, *, content_hash: str | None = None, path: str | None = None,
                      include_deleted: bool = False) -> BriefingInfo | None:
        """The first briefing matching every criterion given (path compared resolved);
        one deleted from the library only with ``include_deleted`` (its ``deleted_at`` set)."""
        where, params = [] if include_deleted else ["deleted_at IS NULL"], []
        if content_hash is not None:
            where.append("content_hash = ?")
            params.append(content_hash)
        if path is not None:
            where.append("path = ?")
            params.append(_norm_path(path))
        if not params:
            return None
        with self._lock:
            row = self._row(
                f"SELECT id FROM briefings WHERE {' AND '.join(where)}"
                " ORDER BY deleted_at IS NOT NULL, imported, id",
                params,
            )
            return self.briefing_info(row["id"]) if row else None

    def list_briefings(self) -> list[BriefingInfo]:
        """Every briefing with its highlight, orphan and changed counts, ordered by title
        (:func:`briefing_tui.core.queries.briefings`, the read side)."""
        return queries.briefings(self)

    def delete_briefing(self, briefing_id: str) -> BriefingInfo:
        """Delete a briefing from the library; undoable ("delete briefing", the library's step).

        The row is hidden (``deleted_at``), not dropped: every list, view, export and
        reference lookup leaves it out, and undo brings it back with its highlights.
        :meth:`purge_deleted` drops it for good later. Returns it as it was.
        """
        with self._write("delete briefing") as tx:
            info = self.briefing_info(briefing_id)
            if info.deleted_at is not None:
                raise StoreError(f"{info.title!r} is already deleted")
            before = self._briefing_row(briefing_id, "deleted_at", "updated")
            now = now_iso()
            after = {**before, "deleted_at": now, "updated": now}
            self.conn.execute("UPDATE briefings SET deleted_at = ?, updated = ? WHERE id = ?",
                              (now, now, briefing_id))
            tx.change("briefings", briefing_id, before, after)
        return info

    def restore_briefing(self, briefing_id: str) -> BriefingInfo:
        """Bring a deleted briefing back (importing its file again does); not undoable."""
        with self._write() as _tx:
            self.conn.execute("UPDATE briefings SET deleted_at = NULL, updated = ? WHERE id = ?"
                              " AND deleted_at IS NOT NULL", (now_iso(), briefing_id))
        return self.briefing_info(briefing_id)

    def deleted_briefings(self) -> list[BriefingInfo]:
        """The briefings deleted from the library and not purged yet, newest deletion first."""
        with self._lock:
            ids = [r[0] for r in self.conn.execute(
                "SELECT id FROM briefings WHERE deleted_at IS NOT NULL"
                " ORDER BY deleted_at DESC, id")]
            return [self.briefing_info(i) for i in ids]

    def purge_deleted(self, before: str) -> int:
        """Drop for good the briefings deleted before ``before`` (a ``now_iso()`` stamp):
        their texts, revisions, highlights and undo steps go with them. Returns how many."""
        with self._lock:  # a read first: most starts have nothing to purge, and need no lock
            if self.conn.execute("SELECT 1 FROM briefings WHERE deleted_at IS NOT NULL"
                                 " AND deleted_at < ? LIMIT 1", (before,)).fetchone() is None:
                return 0
            with self._write() as _tx:
                cursor = self.conn.execute(
                    "DELETE FROM briefings WHERE deleted_at IS NOT NULL AND deleted_at < ?",
                    (before,))
                return cursor.rowcount

    def set_briefing_metadata(self, briefing_id: str, *, title: str | None = None,
                              source: str | None = None, published: str | None = None,
                              url: str | None = None) -> BriefingInfo:
        """Change a briefing's title, source, published date or URL (each stripped; a
        title cannot be blank); undoable ("edit briefing", the library's step).

        Importing its file again after the file changed takes the file's metadata.
        """
        given = {"title": title, "source": source, "published": published, "url": url}
        fields = {key: " ".join(value.split()) for key, value in given.items()
                  if value is not None}
        if "title" in fields and not fields["title"]:
            raise StoreError("a briefing needs a title")
        with self._write("edit briefing") as tx:
            if self.briefing_info(briefing_id).deleted_at is not None:
                raise StoreError(f"no briefing {briefing_id}")
            before = self._briefing_row(briefing_id, *fields, "updated")
            if all(before[key] == value for key, value in fields.items()):
                return self.briefing_info(briefing_id)
            after = {**before, **fields, "updated": now_iso()}
            sets = ", ".join(f"{key} = ?" for key in after if key != "id")
            self.conn.execute(f"UPDATE briefings SET {sets} WHERE id = ?",
                              (*(v for k, v in after.items() if k != "id"), briefing_id))
            tx.change("briefings", briefing_id, before, after)
        return self.briefing_info(briefing_id)

    def _briefing_row(self, briefing_id: str, *columns: str) -> dict[str, Any]:
        """Some columns of a briefing's row (with its id): an undo snapshot without texts."""
        names = ", ".join(dict.fromkeys(("id", *columns)))
        row = self._row(f"SELECT {names} FROM briefings WHERE id = ?", (briefing_id,))
        if row is None:
            raise StoreError(f"no briefing {briefing_id}")
        return row

    def briefing_info(self, briefing_id: str) -> BriefingInfo:
        """One briefing without its texts (also one deleted from the library: see its
        ``deleted_at``); StoreError if there is none."""
        return BriefingInfo(**self._info_row(briefing_id))

    def _info_row(self, briefing_id: str, texts: str = "",
                  params: dict[str, Any] | None = None) -> dict[str, Any]:
        """The BriefingInfo fields of a briefing, plus the ``texts`` columns (of
        ``briefing_texts t``) if given."""
        join = " JOIN briefing_texts t ON t.briefing_id = b.id" if texts else ""
        sql = (
            f"SELECT {_INFO_SELECT},"
            " (SELECT COUNT(*) FROM highlights h WHERE h.briefing_id = b.id) AS highlight_count,"
            " (SELECT COUNT(*) FROM highlights h WHERE h.briefing_id = b.id"
            "   AND h.status = 'orphaned') AS orphan_count,"
            " (SELECT COUNT(*) FROM highlights h WHERE h.briefing_id = b.id"
            "   AND h.status = 'anchored' AND h.previous_exact IS NOT NULL) AS changed_count"
            f"{texts} FROM briefings b{join} WHERE b.id = :id"
        )
        with self._lock:
            row = self._row(sql, {**(params or {}), "id": briefing_id})
        if row is None:
            raise StoreError(f"no briefing {briefing_id}")
        return row

    def get_briefing(self, briefing_id: str, *, with_source: bool = True,
                     text_head: int = 0) -> Briefing:
        """A briefing with its source text and document (rebuilt from the stored blob).

        ``with_source=False`` leaves ``source_text`` empty: the reader does not need the
        source, which is as large as the reading text again (memory at 5 MB and more);
        :meth:`source_text` reads it on its own. With ``text_head`` the document holds
        at most that many characters of its text (and no more than the stored head,
        ``READING_HEAD``) until something asks for the whole (see
        :meth:`Document.from_blob_head`): the reader's first screen of a 5 MB briefing
        reads neither the whole text nor the pages it spans.
        """
        cached = self._texts.get(briefing_id)
        head = text_head > 0 and cached is None
        text_column = "substr(t.reading_head, 1, :head)" if head else "t.reading_text"
        columns = (f", {text_column} AS reading_text, t.doc_blob"
                   + (f", {self._source_column} AS source_text" if with_source else ""))
        row = self._info_row(briefing_id, columns, {"head": text_head})
        text, blob = row.pop("reading_text"), row.pop("doc_blob")
        source_text = row.pop("source_text", "")
        info = BriefingInfo(**row)
        try:
            if head and blob is not None:
                document = Document.from_blob_head(
                    text, blob, info.fmt, lambda: self._revision_text(info))
            else:
                if head:  # no stored layout (never written by this version): read it all
                    text = self._revision_text(info)
                self._cache_text(briefing_id, info.revision, text)
                document = _doc_from_blob(text, blob, info.fmt)
        except ValueError:
            raise StoreError(
                f"the stored layout of {info.title!r} is damaged; import its file again"
            ) from None
        return Briefing(**vars(info), source_text=source_text, document=document)

    def _revision_text(self, info: BriefingInfo) -> str:
        """The reading text of ``info``'s revision (StoreError if it was re-imported since)."""
        with self._lock:
            row = self.conn.execute(
                "SELECT t.reading_text FROM briefing_texts t JOIN briefings b"
                " ON b.id = t.briefing_id WHERE b.id = ? AND b.revision = ?",
                (info.id, info.revision)).fetchone()
        if row is None:
            raise StoreError(f"{info.title!r} was re-imported while it opened; open it again")
        self._cache_text(info.id, info.revision, row[0])
        return row[0]

    def source_text(self, briefing_id: str) -> str:
        """The briefing's source text as imported (Markdown or plain text)."""
        with self._lock:
            row = self.conn.execute(
                f"SELECT {self._source_column} FROM briefings b JOIN briefing_texts t"
                " ON t.briefing_id = b.id WHERE b.id = ?", (briefing_id,)).fetchone()
        if row is None:
            raise StoreError(f"no briefing {briefing_id}")
        return row[0]

    @property
    def _source_column(self) -> str:
        """The SQL of briefing ``b``'s source text (``briefing_texts t`` joined)."""
        if self._sources_apart:
            return ("coalesce((SELECT s.source_text FROM briefing_sources s"
                    " WHERE s.briefing_id = b.id), '')")
        return "t.source_text"

    def resolve_briefing(self, ref: str) -> BriefingInfo:
        """Find a briefing by id, id prefix (>= 6 chars), path, or unique title fragment.

        A title equal to ``ref`` (ignoring case) wins over fragments. A ``ref`` matching
        several briefings raises a StoreError listing them by an id prefix each (unique
        among all the briefings, so that it resolves to that one) and their titles.
        Briefings deleted from the library are not found.
        """
        ref = ref.strip()
        if not ref:
            raise StoreError("no briefing matches ''")
        with self._lock:
            row = self._row("SELECT id FROM briefings WHERE id = ? AND deleted_at IS NULL",
                            (ref,))
            if row:
                return self.briefing_info(row["id"])
            if len(ref) >= 6:
                ids = [r["id"] for r in self._rows(
                    "SELECT id FROM briefings WHERE id LIKE ? ESCAPE '\\'"
                    " AND deleted_at IS NULL", (_like_escape(ref.lower()) + "%",))]
                if len(ids) == 1:
                    return self.briefing_info(ids[0])
                if ids:
                    self._ambiguous(ref, [self.briefing_info(i) for i in ids])
            row = self._row("SELECT id FROM briefings WHERE path = ? AND path <> ''"
                            " AND deleted_at IS NULL", (_norm_path(ref),))
            if row:
                return self.briefing_info(row["id"])
            infos = queries.briefings(self)
        needle = ref.casefold()
        exact = [i for i in infos if i.title.casefold() == needle]
        if len(exact) == 1:
            return exact[0]
        found = exact or [i for i in infos if needle in i.title.casefold()]
        if len(found) == 1:
            return found[0]
        if not found:
            raise StoreError(f"no briefing matches {ref!r}")
        self._ambiguous(ref, found)

    def _ambiguous(self, ref: str, infos: list[BriefingInfo]) -> NoReturn:
        """Refuse an ambiguous reference, naming the candidates so the user can choose."""
        with self._lock:
            every = [r["id"] for r in self._rows("SELECT id FROM briefings")]
        prefixes = id_prefixes([i.id for i in infos], every)
        shown = [f"{prefixes[i.id]} “{safe_line(shorten(i.title, AMBIGUOUS_TITLE))}”"
                 for i in infos[:AMBIGUOUS_SHOWN]]
        more = f", and {len(infos) - AMBIGUOUS_SHOWN} more" if len(infos) > AMBIGUOUS_SHOWN else ""
        raise StoreError(f"{ref!r} matches {len(infos)} briefings; name one by its id: "
                         + ", ".join(shown) + more)

    # ----------------------------------------------------------------- reading-text cache

    def _cache_text(self, briefing_id: str, revision: int, text: str) -> None:
        with self._lock:
            self._texts[briefing_id] = (revision, text)
            self._texts.move_to_end(briefing_id)
            while len(self._texts) > TEXT_CACHE_SIZE:
                self._texts.popitem(last=False)

    def _reading_text(self, briefing_id: str) -> str:
        """The briefing's reading text, from the cache unless its revision moved on.

        Checking the revision (a primary-key lookup) keeps the cache right even
        when another instance re-imported the briefing.
        """
        row = self.conn.execute("SELECT revision FROM briefings WHERE id = ?",
                                (briefing_id,)).fetchone()
        if row is None:
            raise StoreError(f"no briefing {briefing_id}")
        cached = self._texts.get(briefing_id)
        if cached is not None and cached[0] == row[0]:
            self._texts.move_to_end(briefing_id)
            return cached[1]
        text = self.conn.execute(
            "SELECT reading_text FROM briefing_texts WHERE briefing_id = ?",
            (briefing_id,)).fetchone()[0]
        self._cache_text(briefing_id, row[0], text)
        return text

    # ----------------------------------------------------------------- highlights

    def highlights(self, briefing_id: str) -> list[Highlight]:
        """A briefing's highlights: anchored first, then by start and end; with topics.

        Two queries in all (highlights, then their topics), whatever the count.
        """
        with self._lock:
            rows = self.conn.execute(
                f"SELECT {self._hl_select} FROM highlights WHERE briefing_id = ?"
                " ORDER BY status = 'orphaned', \"start\", \"end\", created, id",
                (briefing_id,),
            ).fetchall()
            topics: dict[str, list[str]] = {}
            for hid, name in self.conn.execute(
                "SELECT ht.highlight_id, t.name FROM highlights h"
                " JOIN highlight_topics ht ON ht.highlight_id = h.id"
                " JOIN topics t ON t.id = ht.topic_id WHERE h.briefing_id = ?",
                (briefing_id,),
            ):
                topics.setdefault(hid, []).append(name)
        # Positional construction: this list can hold tens of thousands of rows.
        none: tuple[str, ...] = ()
        # mypy cannot count arguments around a star of unknown length (it reports
        # "too many"); the SELECT's columns are Highlight's fields in order.
        make = cast(Callable[..., Highlight], Highlight)
        return [make(*row[:10], tuple(sorted(topics[row[0]])) if row[0] in topics else none,
                     *row[10:]) for row in rows]

    def _update_highlight(self, highlight_id: str, changes: dict[str, Any]) -> None:
        """Inside a write: set some columns of one highlight (names from this module only)."""
        sets = ", ".join(f'"{c}" = ?' for c in changes)
        self.conn.execute(f"UPDATE highlights SET {sets} WHERE id = ?",
                          (*changes.values(), highlight_id))

    def highlight(self, highlight_id: str) -> Highlight:
        """One highlight with its topics; StoreError if there is none."""
        with self._lock:
            row = self._hl_row(highlight_id)
            names = sorted(r[0] for r in self.conn.execute(
                "SELECT t.name FROM highlight_topics ht JOIN topics t ON t.id = ht.topic_id"
                " WHERE ht.highlight_id = ?", (highlight_id,)))
        return Highlight(**row, topics=tuple(names))

    def _hl_row(self, highlight_id: str) -> dict[str, Any]:
        row = self._row(f"SELECT {self._hl_select} FROM highlights WHERE id = ?", (highlight_id,))
        if row is None:
            raise StoreError(f"no highlight {highlight_id}")
        return row

    def create_highlight(self, briefing_id: str, start: int, end: int) -> Highlight:
        """Mark ``[start, end)`` of the briefing's reading text; undoable ("create highlight")."""
        with self._write("create highlight") as tx:
            text = self._reading_text(briefing_id)
            _check_span(start, end, len(text))
            exact, prefix, suffix = _quote_selector(text, start, end)
            now = now_iso()
            row: dict[str, Any] = {
                "id": new_id(), "briefing_id": briefing_id, "start": start, "end": end,
                "exact": exact, "prefix": prefix, "suffix": suffix, "speaker_id": None,
                "stance_id": None, "note": "", "status": ANCHORED, "created": now,
                "updated": now, **self._by(created=True)}
            self._insert("highlights", row)
            tx.briefing_id = briefing_id
            tx.change("highlights", row["id"], None, row)
        return Highlight(**row)

    def _set_fields(self, highlight_id: str, description: str, **fields: Any) -> Highlight:
        """Update columns of one highlight as one undoable step. An edit confirms a
        suggested highlight (``reviewed``): the analyst has looked at it."""
        fields["reviewed"] = 1
        with self._write(description) as tx:
            before = self._hl_row(highlight_id)
            tx.briefing_id = before["briefing_id"]
            if all(before[k] == v for k, v in fields.items()):
                return self.highlight(highlight_id)
            changes = {**fields, "updated": now_iso(), **self._by()}
            after = {**before, **changes}
            sets = ", ".join(f'"{c}" = ?' for c in changes)
            self.conn.execute(f'UPDATE highlights SET {sets} WHERE id = ?',
                              (*changes.values(), highlight_id))
            tx.change("highlights", highlight_id, before, after)
            return self.highlight(highlight_id)

    def set_stance(self, highlight_id: str, stance_id: str | None) -> Highlight:
        """Set (or with ``None`` clear) the highlight's stance; undoable ("set stance")."""
        if stance_id is not None:
            self.stance(stance_id)
        return self._set_fields(highlight_id, "set stance", stance_id=stance_id)

    def set_speaker(self, highlight_id: str, speaker_id: str | None) -> Highlight:
        """Set (or with ``None`` clear) the highlight's speaker; undoable ("set speaker")."""
        if speaker_id is not None:
            self.speaker(speaker_id)
        return self._set_fields(highlight_id, "set speaker", speaker_id=speaker_id)

    def set_new_speaker(self, highlight_id: str, name: str, role: str = "") -> Highlight:
        """Make the speaker ``name`` the highlight's, creating it (with ``role``) if no
        speaker has that name: one undoable step ("set speaker"), so ``u`` takes back both."""
        name = " ".join(name.split())
        if not name:
            raise StoreError("a speaker needs a name")
        with self._write("set speaker") as tx:
            before = self._hl_row(highlight_id)
            tx.briefing_id = before["briefing_id"]
            speaker = self._create_speaker(tx, name, role)
            if before["speaker_id"] == speaker.id:
                return self.highlight(highlight_id)
            changes = {"speaker_id": speaker.id, "updated": now_iso(), "reviewed": 1,
                       **self._by()}
            after = {**before, **changes}
            self._update_highlight(highlight_id, changes)
            tx.change("highlights", highlight_id, before, after)
            return self.highlight(highlight_id)

    def set_note(self, highlight_id: str, note: str) -> Highlight:
        """Replace the highlight's note; undoable ("set note"). Its draft is discarded."""
        with self._lock:
            highlight = self._set_fields(highlight_id, "set note", note=note)
            self.discard_note_draft(highlight_id)
            return highlight

    def reattach_highlight(self, highlight_id: str, start: int, end: int) -> Highlight:
        """Place a (usually orphaned) highlight on ``[start, end)``; undoable ("reattach")."""
        with self._lock:
            briefing_id = self._hl_row(highlight_id)["briefing_id"]
            text = self._reading_text(briefing_id)
            _check_span(start, end, len(text))
            exact, prefix, suffix = _quote_selector(text, start, end)
            return self._set_fields(highlight_id, "reattach highlight", start=start, end=end,
                                    exact=exact, prefix=prefix, suffix=suffix, status=ANCHORED,
                                    previous_exact=None)

    def accept_change(self, highlight_id: str) -> Highlight:
        """Accept the changed text a highlight was re-anchored on: forget the quote as
        marked (``previous_exact``); undoable ("accept change")."""
        return self._set_fields(highlight_id, "accept change", previous_exact=None)

    def set_topics(self, highlight_id: str, topics: Iterable[str]) -> Highlight:
        """Replace the highlight's topics (normalised; missing ones are created); undoable."""
        names = sorted({n for n in map(normalize_topic, topics) if n})
        with self._write("set topics") as tx:
            before = self._hl_row(highlight_id)
            tx.briefing_id = before["briefing_id"]
            links = self._rows(
                "SELECT ht.id, ht.highlight_id, ht.topic_id, t.name FROM highlight_topics ht"
                " JOIN topics t ON t.id = ht.topic_id WHERE ht.highlight_id = ?",
                (highlight_id,),
            )
            linked = {link["name"] for link in links}
            if linked == set(names):
                return self.highlight(highlight_id)
            marks = ", ".join("?" for _ in names)
            ids = {r["name"]: r["id"] for r in self._rows(
                f"SELECT id, name FROM topics WHERE name IN ({marks})", names)}
            now = now_iso()
            for name in names:
                if name not in ids:
                    topic = {"id": new_id(), "name": name, "created": now}
                    self._insert("topics", topic)
                    tx.change("topics", topic["id"], None, topic)
                    ids[name] = topic["id"]
            for link in links:
                if link["name"] not in names:
                    del link["name"]
                    self.conn.execute("DELETE FROM highlight_topics WHERE id = ?", (link["id"],))
                    tx.change("highlight_topics", link["id"], link, None)
            for name in names:
                if name not in linked:
                    link = {"id": new_id(), "highlight_id": highlight_id, "topic_id": ids[name]}
                    self._insert("highlight_topics", link)
                    tx.change("highlight_topics", link["id"], None, link)
            changes = {"updated": now, "reviewed": 1, **self._by()}
            after = {**before, **changes}
            self._update_highlight(highlight_id, changes)
            tx.change("highlights", highlight_id, before, after)
            return self.highlight(highlight_id)

    def delete_highlight(self, highlight_id: str) -> None:
        """Delete a highlight and its topic links (topics themselves stay); undoable."""
        with self._write("delete highlight") as tx:
            before = self._hl_row(highlight_id)
            tx.briefing_id = before["briefing_id"]
            for link in self._rows(
                "SELECT id, highlight_id, topic_id FROM highlight_topics WHERE highlight_id = ?",
                (highlight_id,),
            ):
                self.conn.execute("DELETE FROM highlight_topics WHERE id = ?", (link["id"],))
                tx.change("highlight_topics", link["id"], link, None)
            self.conn.execute("DELETE FROM highlights WHERE id = ?", (highlight_id,))
            tx.change("highlights", highlight_id, before, None)

    # ----------------------------------------------------------------- suggestions (core.review)

    def create_attributed_highlights(
            self, briefing_id: str, items: Sequence[tuple[int, int, str | None, str, str]], *,
            reviewed: bool = True, description: str = "accept suggestion") -> list[Highlight]:
        """Highlight each ``(start, end, speaker_id, name, role)`` with its speaker: the
        registry's ``speaker_id`` while it exists, else the speaker called ``name`` (made
        with ``role`` if new). One undoable step, so one ``u`` takes back the highlights
        and the speakers made for them. ``reviewed=False`` marks them as suggestions
        nobody has confirmed yet (``suggest --apply``)."""
        made: list[str] = []
        with self._write(description) as tx:
            tx.briefing_id = briefing_id
            text = self._reading_text(briefing_id)
            for start, end, speaker_id, name, role in items:
                _check_span(start, end, len(text))
                if speaker_id is None or self._row(
                        "SELECT 1 FROM speakers WHERE id = ?", (speaker_id,)) is None:
                    name = " ".join(name.split())
                    if not name:
                        raise StoreError("a speaker needs a name")
                    speaker_id = self._create_speaker(tx, name, role).id
                exact, prefix, suffix = _quote_selector(text, start, end)
                now = now_iso()
                row: dict[str, Any] = {
                    "id": new_id(), "briefing_id": briefing_id, "start": start, "end": end,
                    "exact": exact, "prefix": prefix, "suffix": suffix,
                    "speaker_id": speaker_id, "stance_id": None, "note": "",
                    "status": ANCHORED, "created": now, "updated": now,
                    "reviewed": int(reviewed)}
                self._insert("highlights", row)
                tx.change("highlights", row["id"], None, row)
                made.append(row["id"])
        return [self.highlight(hid) for hid in made]

    def mark_reviewed(self, highlight_id: str) -> Highlight:
        """Confirm a suggested highlight (see ``Highlight.reviewed``); undoable."""
        return self._set_fields(highlight_id, "confirm suggestion", reviewed=1)

    def reject_proposal(self, briefing_id: str, quote: str, speaker: str) -> None:
        """Remember that the analyst rejected ``speaker`` as the speaker of ``quote`` in
        this briefing (see :func:`rejection_key`). Not an undo step: ``u`` in the review
        queue takes back the last accept, as the analyst expects."""
        quote_key, speaker_key = rejection_key(quote, speaker)
        with self._write():
            self._briefing_row(briefing_id, "id")
            self.conn.execute(
                "INSERT OR IGNORE INTO proposal_rejections (id, briefing_id, quote, speaker,"
                " quote_key, speaker_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (new_id(), briefing_id, quote, speaker, quote_key, speaker_key, now_iso()))

    def proposal_rejections(self, briefing_id: str) -> set[tuple[str, str]]:
        """The :func:`rejection_key` of each proposal rejected in this briefing."""
        with self._lock:
            return {(row[0], row[1]) for row in self.conn.execute(
                "SELECT quote_key, speaker_key FROM proposal_rejections WHERE briefing_id = ?",
                (briefing_id,))}

    # ----------------------------------------------------------------- speakers, stances, topics

    def speakers(self) -> list[Speaker]:
        """Every speaker, by name (case-insensitively)."""
        with self._lock:
            rows = self._rows("SELECT id, name, role, affiliation, aliases FROM speakers"
                              " ORDER BY name_key, id")
        return [_speaker(row) for row in rows]

    def speaker(self, speaker_id: str) -> Speaker:
        """One speaker; StoreError if there is none."""
        with self._lock:
            row = self._row("SELECT id, name, role, affiliation, aliases FROM speakers"
                            " WHERE id = ?", (speaker_id,))
        if row is None:
            raise StoreError(f"no speaker {speaker_id}")
        return _speaker(row)

    def find_speaker(self, name: str) -> Speaker | None:
        """The speaker whose name, else whose alias, equals ``name`` ignoring case."""
        key = " ".join(name.split()).casefold()
        if not key:
            return None
        speakers = self.speakers()
        for speaker in speakers:
            if speaker.name.casefold() == key:
                return speaker
        for speaker in speakers:
            if any(alias.casefold() == key for alias in speaker.aliases):
                return speaker
        return None

    def create_speaker(self, name: str, role: str = "", affiliation: str = "",
                       aliases: Sequence[str] = (), *, undo_scope: str | None = None) -> Speaker:
        """A new speaker, or the existing one with that name (ignoring case).

        Creating one is an undoable step ("create speaker") of ``undo_scope``: the
        briefing whose reader it was made in (its ``u`` undoes it), None for the library.
        """
        name = " ".join(name.split())
        if not name:
            raise StoreError("a speaker needs a name")
        with self._write("create speaker") as tx:
            tx.briefing_id = undo_scope
            return self._create_speaker(tx, name, role, affiliation, aliases)

    def _create_speaker(self, tx: Tx, name: str, role: str = "", affiliation: str = "",
                        aliases: Sequence[str] = ()) -> Speaker:
        """Inside a write: the speaker called ``name`` (made, and noted in ``tx``, if new)."""
        row = self._row("SELECT id FROM speakers WHERE name_key = ?", (name.casefold(),))
        if row is not None:
            return self.speaker(row["id"])
        now = now_iso()
        created = {
            "id": new_id(), "name": name, "name_key": name.casefold(), "role": role.strip(),
            "affiliation": affiliation.strip(),
            "aliases": json.dumps(_clean_aliases(name, aliases), ensure_ascii=False),
            "created": now, "updated": now,
        }
        self._insert("speakers", created)
        tx.change("speakers", created["id"], None, created)
        return self.speaker(created["id"])

    def update_speaker(self, speaker_id: str, *, name: str | None = None, role: str | None = None,
                       affiliation: str | None = None, aliases: Sequence[str] | None = None,
                       undo_scope: str | None = None) -> Speaker:
        """Change a speaker's fields; a name taken by another speaker is refused.

        An undoable step ("edit speaker") of ``undo_scope`` (see :meth:`create_speaker`).
        """
        with self._write("edit speaker") as tx:
            tx.briefing_id = undo_scope
            before = self._speaker_row(speaker_id)
            current = _speaker(before)
            new_name = current.name if name is None else " ".join(name.split())
            if not new_name:
                raise StoreError("a speaker needs a name")
            clash = self._row("SELECT name FROM speakers WHERE name_key = ? AND id <> ?",
                              (new_name.casefold(), speaker_id))
            if clash:
                raise StoreError(f"another speaker is already called {clash['name']!r}")
            fields = {
                "name": new_name, "name_key": new_name.casefold(),
                "role": current.role if role is None else role.strip(),
                "affiliation": current.affiliation if affiliation is None else affiliation.strip(),
                "aliases": json.dumps(_clean_aliases(
                    new_name, current.aliases if aliases is None else aliases),
                    ensure_ascii=False),
            }
            if all(before[key] == value for key, value in fields.items()):
                return current
            after = {**before, **fields, "updated": now_iso()}
            self.conn.execute(
                "UPDATE speakers SET name = ?, name_key = ?, role = ?, affiliation = ?,"
                " aliases = ?, updated = ? WHERE id = ?",
                (after["name"], after["name_key"], after["role"], after["affiliation"],
                 after["aliases"], after["updated"], speaker_id),
            )
            tx.change("speakers", speaker_id, before, after)
            return self.speaker(speaker_id)

    def merge_speakers(self, keep_id: str, other_id: str, *,
                       undo_scope: str | None = None) -> Speaker:
        """Merge speaker ``other_id`` into ``keep_id`` (the same person): every highlight
        of the other becomes the kept one's, the other's name and aliases join the kept
        one's aliases, and the other is deleted. One undoable step ("merge speakers") of
        ``undo_scope`` (see :meth:`create_speaker`): undo brings the other speaker back
        with its highlights."""
        if keep_id == other_id:
            raise StoreError("a speaker cannot be merged with itself")
        with self._write("merge speakers") as tx:
            tx.briefing_id = undo_scope
            keep_before = self._speaker_row(keep_id)
            other_before = self._speaker_row(other_id)
            kept, other = _speaker(keep_before), _speaker(other_before)
            now = now_iso()
            moved = self._rows(f"SELECT {self._hl_select} FROM highlights WHERE speaker_id = ?",
                               (other_id,))
            changes = {"speaker_id": keep_id, "updated": now, **self._by()}
            for before in moved:
                self._update_highlight(before["id"], changes)
                tx.change("highlights", before["id"], before, {**before, **changes})
            self.conn.execute("DELETE FROM speakers WHERE id = ?", (other_id,))
            tx.change("speakers", other_id, other_before, None)
            aliases = json.dumps(_clean_aliases(
                kept.name, (*kept.aliases, other.name, *other.aliases)), ensure_ascii=False)
            keep_after = {**keep_before, "aliases": aliases, "updated": now}
            self.conn.execute("UPDATE speakers SET aliases = ?, updated = ? WHERE id = ?",
                              (aliases, now, keep_id))
            tx.change("speakers", keep_id, keep_before, keep_after)
            return self.speaker(keep_id)

    def _speaker_row(self, speaker_id: str) -> dict[str, Any]:
        row = self._row("SELECT * FROM speakers WHERE id = ?", (speaker_id,))
        if row is None:
            raise StoreError(f"no speaker {speaker_id}")
        return row

    def stances(self) -> list[Stance]:
        """The stance label set, by hotkey."""
        with self._lock:
            rows = self._rows("SELECT id, key, name, color, description FROM stances ORDER BY key")
        return [Stance(**row) for row in rows]

    def stance(self, stance_id: str) -> Stance:
        """One stance label; StoreError if there is none."""
        with self._lock:
            row = self._row("SELECT id, key, name, color, description FROM stances WHERE id = ?",
                            (stance_id,))
        if row is None:
            raise StoreError(f"no stance {stance_id}")
        return Stance(**row)

    def stance_by_key(self, key: int) -> Stance | None:
        """The stance on hotkey ``key`` (1-9), or None."""
        with self._lock:
            row = self._row("SELECT id, key, name, color, description FROM stances WHERE key = ?",
                            (key,))
        return Stance(**row) if row else None

    def topics(self) -> list[str]:
        """Every topic name, sorted."""
        with self._lock:
            return [r[0] for r in self.conn.execute("SELECT name FROM topics ORDER BY name")]

    # ----------------------------------------------------------------- undo

    def undo(self, briefing_id: str | None = None) -> str | None:
        """Revert this instance's newest step (of ``briefing_id`` if given: that
        briefing's reader's; :data:`LIBRARY`: the library's); return its description, or
        None when there is none.

        Only steps made through this ``Store`` object (its ``session``) are undone,
        never another instance's. Raises :class:`UndoConflict` (and drops the step)
        when another instance changed a highlight, speaker or briefing of that step since.
        """
        return self._replay(briefing_id, redo=False)

    def redo(self, briefing_id: str | None = None) -> str | None:
        """Re-apply the step this instance undid last (of ``briefing_id`` if given); return
        its description. Conflicts as in :meth:`undo`."""
        return self._replay(briefing_id, redo=True)

    def _replay(self, briefing_id: str | None, *, redo: bool) -> str | None:
        self.last_replayed = frozenset()
        with self._write() as _tx:
            step = replay(self.conn, self.session, briefing_id, redo=redo)
        if step is None:
            return None
        description, conflict, changes = step
        if conflict is None:
            self.last_replayed = touched_highlights(changes)
        if conflict is not None:  # raised after the commit: the dropped step stays dropped
            what = {"speakers": "that speaker", "briefings": "that briefing"}.get(
                conflict, "that highlight")
            raise UndoConflict(f"cannot {'redo' if redo else 'undo'} {description}: another"
                               f" instance changed {what} since")
        return description

    def can_undo(self, briefing_id: str | None = None) -> bool:
        """Whether ``undo(briefing_id)`` has a step of this instance to try."""
        with self._lock:
            return has_step(self.conn, self.session, briefing_id, undone=False)

    def can_redo(self, briefing_id: str | None = None) -> bool:
        """Whether ``redo(briefing_id)`` has a step of this instance to try."""
        with self._lock:
            return has_step(self.conn, self.session, briefing_id, undone=True)

    def close(self) -> None:
        """Close the connection (idempotent), first deleting this instance's undo steps:
        no other instance may replay them. Best effort: a locked database keeps them."""
        with self._lock:
            if self._conn is not None and not self.readonly:
                try:
                    if has_step(self.conn, self.session, None, undone=False) or has_step(
                            self.conn, self.session, None, undone=True):
                        with self._write() as _tx:
                            self.conn.execute("DELETE FROM undo_steps WHERE session = ?",
                                              (self.session,))
                except (StoreError, sqlite3.Error):
                    pass
            super().close()

    # ----------------------------------------------------------------- note drafts

    def note_draft(self, highlight_id: str) -> str | None:
        """The unsaved note being written for a highlight (kept by :meth:`save_note_draft`
        until the note is saved or the draft discarded), or None."""
        with self._lock:
            row = self.conn.execute("SELECT note FROM note_drafts WHERE highlight_id = ?",
                                    (highlight_id,)).fetchone()
        return row[0] if row else None

    def save_note_draft(self, highlight_id: str, text: str) -> None:
        """Keep ``text`` as the highlight's note draft (a crash cannot lose it); not undoable.

        Called on every edit of a note, so it waits at most ``DRAFT_WAIT_MS`` for the
        write lock (another program holding it for seconds must not freeze typing):
        then it raises StoreError and the next edit tries again.
        """
        self._upsert_impatiently(
            "INSERT INTO note_drafts (highlight_id, note, updated) VALUES (?, ?, ?)"
            " ON CONFLICT(highlight_id) DO UPDATE SET note = excluded.note,"
            " updated = excluded.updated", (highlight_id, text, now_iso()))

    def _upsert_impatiently(self, sql: str, params: tuple[Any, ...]) -> None:
        """Run one statement in its own transaction, waiting at most ``DRAFT_WAIT_MS``
        for the write lock (StoreError after that): for writes made while the user
        types or moves, which must never freeze the screen."""
        with self._lock:
            conn = self.conn
            patience = conn.execute("PRAGMA busy_timeout").fetchone()[0]
            conn.execute(f"PRAGMA busy_timeout = {DRAFT_WAIT_MS}")
            try:
                with self._write() as _tx:
                    conn.execute(sql, params)
            finally:
                conn.execute(f"PRAGMA busy_timeout = {int(patience)}")

    # ----------------------------------------------------------------- reading positions

    def reading_position(self, briefing_id: str) -> int:
        """Where the cursor was when the briefing was last left (0 if never saved).
        Not clamped: the caller clamps it to the text it shows."""
        with self._lock:
            row = self.conn.execute(
                "SELECT last_offset FROM reading_positions WHERE briefing_id = ?",
                (briefing_id,)).fetchone()
        return int(row[0]) if row else 0

    def save_reading_position(self, briefing_id: str, offset: int) -> None:
        """Remember the cursor offset of a briefing (not undoable). Waits at most
        ``DRAFT_WAIT_MS`` for the write lock, as :meth:`save_note_draft`: StoreError then
        (the caller tries again later). A briefing deleted meanwhile is left alone.

        >>> with Store(tmp_path / "positions.db") as store:
        ...     store.save_reading_position("no-such-briefing", 12)
        ...     store.reading_position("no-such-briefing")
        0
        """
        self._upsert_impatiently(
            "INSERT INTO reading_positions (briefing_id, last_offset, updated)"
            " SELECT id, ?, ? FROM briefings WHERE id = ?"
            " ON CONFLICT(briefing_id) DO UPDATE SET last_offset = excluded.last_offset,"
            " updated = excluded.updated", (max(0, offset), now_iso(), briefing_id))

    def source_stat(self, briefing_id: str) -> tuple[str, int, int, str] | None:
        """``(path, size, mtime_ns, content_hash)`` of the briefing's file when it was last
        found to hold the stored text, or None (see :class:`core.sources.SourceWatch`)."""
        with self._lock:
            row = self.conn.execute(
                "SELECT path, size, mtime_ns, content_hash FROM source_stats"
                " WHERE briefing_id = ?", (briefing_id,)).fetchone()
        return (row[0], int(row[1]), int(row[2]), row[3]) if row else None

    def save_source_stat(self, briefing_id: str, path: str, size: int, mtime_ns: int,
                         content_hash: str) -> None:
        """Remember that the file at ``path`` with that size and time held the text of
        ``content_hash`` (not undoable; gives up after ``DRAFT_WAIT_MS`` on a busy lock)."""
        self._upsert_impatiently(
            "INSERT INTO source_stats (briefing_id, path, size, mtime_ns, content_hash)"
            " SELECT id, ?, ?, ?, ? FROM briefings WHERE id = ?"
            " ON CONFLICT(briefing_id) DO UPDATE SET path = excluded.path,"
            " size = excluded.size, mtime_ns = excluded.mtime_ns,"
            " content_hash = excluded.content_hash",
            (path, size, mtime_ns, content_hash, briefing_id))

    def discard_note_draft(self, highlight_id: str) -> None:
        """Forget the highlight's note draft (the note was saved, or editing cancelled)."""
        with self._write() as _tx:
            self.conn.execute("DELETE FROM note_drafts WHERE highlight_id = ?", (highlight_id,))

    def checkpoint(self) -> tuple[int, int]:
        """Copy the WAL into the database file now (PASSIVE: never waits for anyone).

        SQLite does this by itself every ~1000 pages, inside some commit: that
        commit then takes ~10 ms instead of ~0.15 ms. Calling this when the UI
        is idle keeps those pauses away from key presses. Returns the WAL's
        frames and how many were copied; ``(0, 0)`` when read-only.
        """
        with self._lock:
            if self.readonly:
                return (0, 0)
            _busy, log, copied = self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            return (log, copied)

    def data_version(self) -> int:
        """``PRAGMA data_version``: changes when another connection commits."""
        with self._lock:
            return self.conn.execute("PRAGMA data_version").fetchone()[0]


# --------------------------------------------------------------------------- module helpers


def rejection_key(quote: str, speaker: str) -> tuple[str, str]:
    """How a rejected proposal is recognised again: its quote and its speaker's name,
    whitespace-collapsed and case-folded (a re-import that moves or re-wraps the text
    keeps the key).

    >>> rejection_key("  We are\\n ready. ", "Dmitry  PESKOV")
    ('we are ready.', 'dmitry peskov')
    """
    return " ".join(quote.split()).casefold(), " ".join(speaker.split()).casefold()


def _check_span(start: int, end: int, length: int) -> None:
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= length):
        raise StoreError(f"span {start}-{end} is not inside the text (0-{length}, start < end)")


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def id_prefixes(ids: Sequence[str], among: Iterable[str], minimum: int = 8) -> dict[str, str]:
    """The shortest prefix (at least ``minimum`` characters) of each of ``ids`` that no
    other id of ``among`` starts with: what the user types to name that one.

    >>> id_prefixes(["abcdef0123", "abcdef0199"], ["abcdef0123", "abcdef0199", "ffff"], 6)
    {'abcdef0123': 'abcdef012', 'abcdef0199': 'abcdef019'}
    """
    ordered = sorted(set(among) | set(ids))
    out: dict[str, str] = {}
    for briefing_id in ids:
        i = ordered.index(briefing_id)
        shared = 0
        for other in ordered[max(0, i - 1):i] + ordered[i + 1:i + 2]:
            shared = max(shared, len(os.path.commonprefix([briefing_id, other])))
        out[briefing_id] = briefing_id[:max(minimum, shared + 1)]
    return out


def _speaker(row: dict[str, Any]) -> Speaker:
    return Speaker(id=row["id"], name=row["name"], role=row["role"],
                   affiliation=row["affiliation"], aliases=tuple(json.loads(row["aliases"])))


# The page cache (PRAGMA cache_size: negative, in KiB) while a big row is inserted.
HANDOVER_CACHE_KIB = -2000
# Handing over more than this (bytes) gives freed memory back to the system first.
HANDOVER_TRIM_BYTES = 1 << 20
# The columns whose text may be given as UTF-8 (stored with ``CAST(? AS TEXT)``).
_UTF8_COLUMNS = ("reading_text", "source_text")


def _mark(column: str, value: Any) -> str:
    return "CAST(? AS TEXT)" if column in _UTF8_COLUMNS and isinstance(value, bytes) else "?"


def _texts_row(document: Document) -> dict[str, Any]:
    """A ``briefing_texts`` row's columns (but its key and the source) for this document.

    The reading text is given as UTF-8 when the document holds it so and has not decoded
    it (a big Markdown import: see ``parse_markdown``)."""
    utf8 = document.text_utf8
    text = document.text if utf8 is None or document.text_loaded else utf8
    return {"reading_head": document.head(READING_HEAD), "doc_blob": document.to_blob(),
            "reading_text": text}


def _doc_from_blob(text: str, blob: bytes | None, fmt: str) -> Document:
    if blob is not None:
        return Document.from_blob(text, blob, fmt)
    return Document(text=text, fmt=fmt)
