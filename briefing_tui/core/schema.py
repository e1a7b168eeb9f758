"""The SQLite schema of the briefings database and its migrations.

``MIGRATIONS[i]`` upgrades a database from schema version ``i`` to ``i + 1``
(``PRAGMA user_version``); :class:`briefing_tui.core.store.Store` runs the
missing ones in one transaction when it opens a database. Append new
migrations, never edit one that has shipped. Also here: how rows are keyed
(:func:`new_id`) and stamped (:func:`now_iso`).
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported by the store only when a migration runs (start-up time)
    from sqlite_utils import Database

__all__ = ["DEFAULT_STANCES", "HIGHLIGHTS_VIEW", "INDEX_NEW_TEXT", "MIGRATIONS", "READING_HEAD", "SEARCH_TOKENIZE",
           "Migration", "new_id", "now_iso"]

# How many characters of a briefing's reading text are stored again at the front of its
# `briefing_texts` row: the reader draws its first screen from them (see migration 3).
# More than a screen of 300 x 100 cells shows; a bigger one reads the whole text first.
READING_HEAD = 32_768


def new_id() -> str:
    """A new row id (a random UUID as text).

    >>> len(new_id()), new_id() != new_id()
    (36, True)
    """
    return str(uuid.uuid4())


def now_iso() -> str:
    """The current UTC time as stored in ``created``/``updated`` columns.

    >>> stamp = now_iso()
    >>> len(stamp), stamp[10], stamp.endswith("+00:00")  # 2025-03-20T12:00:00.000+00:00
    (29, 'T', True)
    """
    return datetime.now(UTC).isoformat(timespec="milliseconds")


# The stance label set a new database starts with: (hotkey, name, colour, description).
DEFAULT_STANCES = (
    (1, "supports", "#2e9e44", "agrees with or backs the position"),
    (2, "opposes", "#d64545", "rejects or argues against the position"),
    (3, "conditional", "#e0a020", "agrees only under conditions"),
    (4, "neutral", "#6b7fa3", "states or reports without taking a side"),
)


Migration = Callable[["Database"], None]

_SCHEMA_1 = """
CREATE TABLE briefings (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    published TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    path TEXT NOT NULL DEFAULT '',
    fmt TEXT NOT NULL DEFAULT 'markdown',
    source_text TEXT NOT NULL DEFAULT '',
    reading_text TEXT NOT NULL DEFAULT '',
    doc_blob BLOB,
    content_hash TEXT NOT NULL DEFAULT '',
    revision INTEGER NOT NULL DEFAULT 1,
    imported TEXT NOT NULL DEFAULT '',
    updated TEXT NOT NULL DEFAULT ''
);
CREATE INDEX briefings_content_hash ON briefings(content_hash);
CREATE INDEX briefings_path ON briefings(path);
CREATE TABLE revisions (
    id TEXT PRIMARY KEY,
    briefing_id TEXT NOT NULL REFERENCES briefings(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    content_hash TEXT NOT NULL DEFAULT '',
    source_text TEXT NOT NULL DEFAULT '',
    imported TEXT NOT NULL DEFAULT '',
    UNIQUE (briefing_id, revision)
);
CREATE TABLE speakers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL CHECK (name <> ''),
    name_key TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL DEFAULT '',
    affiliation TEXT NOT NULL DEFAULT '',
    aliases TEXT NOT NULL DEFAULT '[]',
    created TEXT NOT NULL DEFAULT '',
    updated TEXT NOT NULL DEFAULT ''
);
CREATE TABLE stances (
    id TEXT PRIMARY KEY,
    key INTEGER NOT NULL UNIQUE CHECK (key BETWEEN 1 AND 9),
    name TEXT NOT NULL,
    color TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);
CREATE TABLE topics (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (name <> ''),
    created TEXT NOT NULL DEFAULT ''
);
CREATE TABLE highlights (
    id TEXT PRIMARY KEY,
    briefing_id TEXT NOT NULL REFERENCES briefings(id) ON DELETE CASCADE,
    "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    exact TEXT NOT NULL,
    prefix TEXT NOT NULL DEFAULT '',
    suffix TEXT NOT NULL DEFAULT '',
    speaker_id TEXT REFERENCES speakers(id) ON DELETE SET NULL,
    stance_id TEXT REFERENCES stances(id) ON DELETE SET NULL,
    note TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'anchored' CHECK (status IN ('anchored', 'orphaned')),
    created TEXT NOT NULL DEFAULT '',
    updated TEXT NOT NULL DEFAULT '',
    CHECK (0 <= "start" AND "start" < "end")
);
CREATE INDEX highlights_briefing_start ON highlights(briefing_id, "start");
CREATE INDEX highlights_briefing_status ON highlights(briefing_id, status);
CREATE INDEX highlights_speaker ON highlights(speaker_id);
CREATE INDEX highlights_stance ON highlights(stance_id);
CREATE TABLE highlight_topics (
    id TEXT PRIMARY KEY,
    highlight_id TEXT NOT NULL REFERENCES highlights(id) ON DELETE CASCADE,
    topic_id TEXT NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    UNIQUE (highlight_id, topic_id)
);
CREATE INDEX highlight_topics_topic ON highlight_topics(topic_id);
CREATE TABLE undo_steps (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE,
    briefing_id TEXT REFERENCES briefings(id) ON DELETE CASCADE,
    description TEXT NOT NULL,
    changes TEXT NOT NULL,
    undone INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL DEFAULT ''
);
CREATE INDEX undo_steps_scope ON undo_steps(briefing_id, undone, seq);
CREATE INDEX undo_steps_undone ON undo_steps(undone, seq);
"""


def _migration_1(db: Database) -> None:
    """Create every table and the default stance set."""
    db.executescript(_SCHEMA_1)  # sqlite-utils splits it inside our open transaction
    for key, name, color, description in DEFAULT_STANCES:
        db.execute(
            "INSERT INTO stances (id, key, name, color, description) VALUES (?, ?, ?, ?, ?)",
            (new_id(), key, name, color, description),
        )


def _migration_2(db: Database) -> None:
    """Remember each briefing's file encoding (``import --encoding``).

    The changed-file check re-reads the file with it. Rows stored before this migration
    get UTF-8 (what an import without ``--encoding`` reads); one imported with another
    codec keeps warning on open until it is imported again with ``--encoding``.
    """
    db.execute("ALTER TABLE briefings ADD COLUMN encoding TEXT NOT NULL DEFAULT 'utf-8'")


_TEXTS_TABLE = """
CREATE TABLE briefing_texts (
    briefing_id TEXT PRIMARY KEY REFERENCES briefings(id) ON DELETE CASCADE,
    reading_head TEXT NOT NULL DEFAULT '',
    doc_blob BLOB,
    reading_text TEXT NOT NULL DEFAULT '',
    source_text TEXT NOT NULL DEFAULT ''
)
"""


def _migration_3(db: Database) -> None:
    """Move the briefings' long texts into ``briefing_texts``, behind their layout.

    SQLite stores a row's columns in order and reaches a column that follows a long
    text by walking that text's overflow pages. With the texts in ``briefings``, reading
    a 5 MB briefing's ``content_hash`` took 3 ms (12 ms at 20 MB) and every library
    listing walked every text. Now ``briefings`` holds the short columns only, and a
    ``briefing_texts`` row starts with what opening the reader needs: the first
    ``READING_HEAD`` characters of the reading text and the layout (``doc_blob``);
    the whole reading text and the source follow.
    """
    db.execute(_TEXTS_TABLE)
    db.execute(
        "INSERT INTO briefing_texts (briefing_id, reading_head, doc_blob, reading_text,"
        " source_text) SELECT id, substr(reading_text, 1, ?), doc_blob, reading_text,"
        " source_text FROM briefings", (READING_HEAD,))
    if sqlite3.sqlite_version_info >= (3, 35, 0):
        for column in ("source_text", "reading_text", "doc_blob"):
            db.execute(f"ALTER TABLE briefings DROP COLUMN {column}")
    else:  # no DROP COLUMN before SQLite 3.35: the columns stay, empty and unread
        db.execute("UPDATE briefings SET source_text = '', reading_text = '', doc_blob = NULL")


def _migration_4(db: Database) -> None:
    """Remember the quote of a highlight that re-anchoring put on changed text.

    ``highlights.previous_exact`` is the quote the analyst marked when a fuzzy
    re-anchoring placed the highlight on text that differs from it ("73" became
    "74"): the highlight is *changed* until accepted or re-attached (then NULL).
    """
    db.execute("ALTER TABLE highlights ADD COLUMN previous_exact TEXT")


def _migration_5(db: Database) -> None:
    """Undo steps belong to the instance (session) that made them.

    Undo replays only the steps of the running instance (``undo_steps.session``, see
    :mod:`briefing_tui.core.undo`). Steps stored before have no session: nobody made
    them in a running instance, so nobody can undo them, and they are deleted here.
    The ``(undone, seq)`` index served undo across all instances; no query uses it now.
    """
    db.execute("ALTER TABLE undo_steps ADD COLUMN session TEXT NOT NULL DEFAULT ''")
    db.execute("DELETE FROM undo_steps")
    db.execute("DROP INDEX IF EXISTS undo_steps_undone")
    db.execute("CREATE INDEX undo_steps_session ON undo_steps(session, briefing_id, undone, seq)")


def _migration_6(db: Database) -> None:
    """Note drafts: the text of a note being written, kept until it is saved or cancelled.

    One row per highlight; a crash (or a dialog closed some other way) cannot lose it.
    """
    db.execute(
        "CREATE TABLE note_drafts ("
        " highlight_id TEXT PRIMARY KEY REFERENCES highlights(id) ON DELETE CASCADE,"
        " note TEXT NOT NULL, updated TEXT NOT NULL DEFAULT '')")


def _migration_7(db: Database) -> None:
    """Reading positions: where the cursor was when a briefing was last left.

    One row per briefing that has been read; the reader reopens it there (clamped to the
    text, which a re-import may have shortened). Not undoable: moving is not an edit.
    """
    db.execute(
        "CREATE TABLE reading_positions ("
        " briefing_id TEXT PRIMARY KEY REFERENCES briefings(id) ON DELETE CASCADE,"
        " last_offset INTEGER NOT NULL CHECK (last_offset >= 0),"
        " updated TEXT NOT NULL DEFAULT '')")


def _migration_8(db: Database) -> None:
    """Deleting a briefing from the library hides it (``briefings.deleted_at``, the UTC time
    it was deleted; NULL while it is live) instead of dropping its row: undo brings it back
    with its highlights, and the undo log never holds copies of its texts. Hidden
    briefings are purged for good some days later (``Store.purge_deleted``).

    Idempotent: a database that has the column already is left as it is.
    """
    columns = {row[1] for row in db.execute("PRAGMA table_info(briefings)").fetchall()}
    if "deleted_at" not in columns:
        db.execute("ALTER TABLE briefings ADD COLUMN deleted_at TEXT")
    db.execute("CREATE INDEX IF NOT EXISTS briefings_deleted ON briefings(deleted_at)")


# The full-text search indexes' tokenizer (migration 9): Porter stemming over unicode61,
# which folds case and, with ``remove_diacritics 2``, accents in every script
# ("Kyïv" finds "Kyiv", "окупації" finds "окупаціі"). Python's sqlite3 has FTS5 built in.
SEARCH_TOKENIZE = "porter unicode61 remove_diacritics 2"


def _migration_9(db: Database) -> None:
    """Full-text search (:mod:`briefing_tui.core.search`): two FTS5 indexes, built here from
    the rows there are and kept in step by sqlite-utils' triggers from then on.

    ``briefing_texts_fts`` indexes each briefing's reading text, ``highlights_fts`` each
    highlight's quote and note; both read their text from the table they index
    (``content=``, keyed by its rowid: rows are updated in place, never re-inserted), so
    no text is stored twice. Import, re-import (an UPDATE of ``briefing_texts``), note edits,
    undo and purges all go through the triggers. Deleted briefings (``deleted_at``) stay
    indexed, so that undo needs no re-indexing; searches leave them out.

    The rowids the indexes refer to are those of tables without an INTEGER PRIMARY KEY,
    which SQLite documents VACUUM as free to renumber (it keeps them in practice, and the app
    never runs VACUUM); ``INSERT INTO briefing_texts_fts(briefing_texts_fts) VALUES
    ('rebuild')`` (and the same for ``highlights_fts``) remakes an index from its table.

    Idempotent: indexes made as here already are left as they are (``replace=True``).
    """
    for table, columns in (("briefing_texts", ["reading_text"]), ("highlights", ["exact", "note"])):
        db.table(table).enable_fts(columns, fts_version="FTS5", create_triggers=True,
                                   tokenize=SEARCH_TOKENIZE, replace=True)


def _migration_10(db: Database) -> None:
    """What a briefing's file looked like when it was last found unchanged: its path, size
    and modification time (nanoseconds). Opening the briefing again compares them with the
    file's ``stat`` and reads (hashes) the file only when they differ, so an unchanged
    50 MB file costs a ``stat``, not a second of hashing. One row per briefing, deleted
    with it; not undoable (nothing the analyst did).
    """
    db.execute(
        "CREATE TABLE IF NOT EXISTS source_stats ("
        " briefing_id TEXT PRIMARY KEY REFERENCES briefings(id) ON DELETE CASCADE,"
        " path TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,"
        " content_hash TEXT NOT NULL)")


def _migration_11(db: Database) -> None:
    """An index holding each highlight's speaker and stance (and briefing): the speaker ×
    stance matrix groups 200,000 highlights by reading this index in order (26–28 ms
    measured) instead of sorting them all (~320 ms)."""
    db.execute("CREATE INDEX IF NOT EXISTS highlights_speaker_stance"
               " ON highlights(speaker_id, stance_id, briefing_id)")


def _migration_12(db: Database) -> None:
    """Suggestions under review (:mod:`briefing_tui.core.review`).

    ``highlights.reviewed`` is 0 for a highlight that ``suggest --apply`` made from a
    proposal and nobody has confirmed in the app yet (1 otherwise: every highlight an
    analyst made). ``proposal_rejections`` holds the proposals an analyst rejected, so
    that they are not proposed again for that briefing: keyed by the quote's text and the
    speaker's name (folded), not by offsets, so a rejection survives a re-import that
    moves the text. A UUID ``id`` per row, so that databases can be merged. Idempotent.
    """
    columns = {row[1] for row in db.execute("PRAGMA table_info(highlights)").fetchall()}
    if "reviewed" not in columns:
        db.execute("ALTER TABLE highlights ADD COLUMN reviewed INTEGER NOT NULL DEFAULT 1")
    db.execute(
        "CREATE TABLE IF NOT EXISTS proposal_rejections ("
        " id TEXT PRIMARY KEY,"
        " briefing_id TEXT NOT NULL REFERENCES briefings(id) ON DELETE CASCADE,"
        " quote TEXT NOT NULL, speaker TEXT NOT NULL, quote_key TEXT NOT NULL,"
        " speaker_key TEXT NOT NULL, created_at TEXT NOT NULL DEFAULT '',"
        " UNIQUE (briefing_id, quote_key, speaker_key))")


def _migration_13(db: Database) -> None:
    """Several analysts (#15): who made and who last changed each highlight, and what
    merging another analyst's database needs to remember.

    ``highlights.created_by`` / ``updated_by``: analyst names. Rows stored before get the
    analyst of the store doing the upgrade (:func:`briefing_tui.core.analyst.current_analyst`,
    which the store sets to its own analyst while it migrates): before this schema one
    database was one analyst's. ``database_info`` holds this file's random id (the
    ``id`` key), which names it to the databases it is merged into. ``merges``: each
    database merged in (keyed by its id and path, see :mod:`briefing_tui.core.merge`) and
    when; ``merge_bases``: per highlight, the digest of the version both sides agreed on at
    the last merge with that source (three-way detection of changes on both sides);
    ``conflicts``: highlights changed on both sides, the other side's version kept as JSON
    until the analyst picks one.
    """
    from briefing_tui.core.analyst import current_analyst

    columns = {row[1] for row in db.execute("PRAGMA table_info(highlights)").fetchall()}
    for column in ("created_by", "updated_by"):
        if column not in columns:
            db.execute(f"ALTER TABLE highlights ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
    db.execute("UPDATE highlights SET created_by = ? WHERE created_by = ''", (current_analyst(),))
    db.execute("UPDATE highlights SET updated_by = created_by WHERE updated_by = ''")
    db.execute("CREATE TABLE IF NOT EXISTS database_info ("
               " key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("INSERT OR IGNORE INTO database_info (key, value) VALUES ('id', ?)", (new_id(),))
    db.execute("CREATE TABLE IF NOT EXISTS merges ("
               " source TEXT PRIMARY KEY, database_id TEXT NOT NULL, path TEXT NOT NULL,"
               " merged_at TEXT NOT NULL)")
    db.execute("CREATE TABLE IF NOT EXISTS merge_bases ("
               " source TEXT NOT NULL, highlight_id TEXT NOT NULL, digest TEXT NOT NULL,"
               " PRIMARY KEY (source, highlight_id))")
    db.execute("CREATE TABLE IF NOT EXISTS conflicts ("
               " id TEXT PRIMARY KEY,"
               " highlight_id TEXT NOT NULL REFERENCES highlights(id) ON DELETE CASCADE,"
               " source TEXT NOT NULL, source_path TEXT NOT NULL DEFAULT '',"
               " theirs TEXT NOT NULL, theirs_digest TEXT NOT NULL, found TEXT NOT NULL,"
               " UNIQUE (highlight_id, source))")


# The view Datasette (``briefing-tui serve``) and other SQLite tools read: one row per
# highlight of a live briefing, every column named for people. Topics are joined by ", "
# in name order; ``highlight_rowid`` is the row the full-text index ``highlights_fts``
# refers to (Datasette's search box on the view: ``fts_pk``). (Rebuilt by a later
# migration when a column joins it: DROP, then CREATE.)
HIGHLIGHTS_VIEW = """
CREATE VIEW highlights_view AS
SELECT
    h.id AS highlight_id,
    b.title AS briefing_title,
    b.published AS briefing_date,
    sp.name AS speaker,
    st.name AS stance,
    (SELECT group_concat(name, ', ') FROM (
        SELECT t.name AS name FROM highlight_topics ht JOIN topics t ON t.id = ht.topic_id
        WHERE ht.highlight_id = h.id ORDER BY t.name)) AS topics,
    h.exact AS quote,
    h.note AS note,
    h.status AS status,
    h."start" AS start_offset,
    h."end" AS end_offset,
    b.source AS briefing_source,
    b.id AS briefing_id,
    h.speaker_id AS speaker_id,
    h.created AS created,
    h.created_by AS analyst,
    h.updated_by AS changed_by,
    CASE WHEN h.reviewed THEN 'yes' ELSE 'no: suggested' END AS reviewed,
    h.rowid AS highlight_rowid
FROM highlights h
JOIN briefings b ON b.id = h.briefing_id
LEFT JOIN speakers sp ON sp.id = h.speaker_id
LEFT JOIN stances st ON st.id = h.stance_id
WHERE b.deleted_at IS NULL
"""


def _migration_14(db: Database) -> None:
    """``highlights_view``: each highlight with its briefing's title and date, speaker,
    stance, topics, quote and note, for Datasette and any SQLite browser (a view: nothing
    is stored twice, nothing to keep in step). A later migration that drops or renames a
    column the view reads drops the view first and makes it again."""
    db.execute("DROP VIEW IF EXISTS highlights_view")
    db.execute(HIGHLIGHTS_VIEW)


# Indexes a new ``briefing_texts`` row (its key given) for search: see migration 15.
INDEX_NEW_TEXT = ("INSERT INTO briefing_texts_fts (rowid, reading_text)"
                  " SELECT rowid, reading_text FROM briefing_texts WHERE briefing_id = ?")


def _migration_15(db: Database) -> None:
    """Each briefing's source text in a table of its own, ``briefing_sources`` (one row
    per briefing, deleted with it), out of ``briefing_texts``; and a new ``briefing_texts``
    row is indexed for search by a statement of its own, no longer by a trigger.

    Importing a 50 MB file wrote one ``briefing_texts`` row holding the source, the reading
    text and the layout, and SQLite held a copy of each value and a record made of them all
    at once, with the search index of the reading text built by the insert trigger
    meanwhile: most of the import's peak memory. Written in a statement of its own, the
    source costs its own copy and record only, freed before the reading text's row is
    built; and the index is built after that row's statement has freed its copies.
    Nothing reads the source but re-import (the revision it keeps) and merging.

    So whatever inserts a ``briefing_texts`` row indexes it too (``Store.add_briefing``,
    the merge): ``INSERT INTO briefing_texts_fts (rowid, reading_text) SELECT rowid,
    reading_text FROM briefing_texts WHERE briefing_id = ?``. Updates and deletes are
    still indexed by their triggers (migration 9).

    Idempotent: rows already moved are left as they are.
    """
    db.execute("DROP TRIGGER IF EXISTS briefing_texts_ai")
    db.execute(
        "CREATE TABLE IF NOT EXISTS briefing_sources ("
        " briefing_id TEXT PRIMARY KEY REFERENCES briefings(id) ON DELETE CASCADE,"
        " source_text TEXT NOT NULL DEFAULT '')")
    columns = {row[1] for row in db.execute("PRAGMA table_info(briefing_texts)").fetchall()}
    if "source_text" not in columns:
        return
    db.execute("INSERT OR IGNORE INTO briefing_sources (briefing_id, source_text)"
               " SELECT briefing_id, source_text FROM briefing_texts")
    if sqlite3.sqlite_version_info >= (3, 35, 0):
        # Rewrites each row in place (same rowid, no trigger fires): the search index,
        # which refers to the rows by rowid and reads reading_text only, stays right.
        db.execute("ALTER TABLE briefing_texts DROP COLUMN source_text")
    else:  # no DROP COLUMN before SQLite 3.35: the column stays, empty and unread
        db.execute("UPDATE briefing_texts SET source_text = ''")


# Index i holds the migration to schema version i + 1. Append, never edit.
MIGRATIONS: tuple[Migration, ...] = (_migration_1, _migration_2, _migration_3, _migration_4,
                                     _migration_5, _migration_6, _migration_7, _migration_8,
                                     _migration_9, _migration_10, _migration_11, _migration_12,
                                     _migration_13, _migration_14, _migration_15)

