"""Merge another analyst's database into this one (``briefing-tui merge OTHER.db``), and
the conflicts a merge finds (``briefing-tui conflicts``).

The other file is opened read-only (a ``file:...?mode=ro`` URI) and never changed; it must
be a briefing-tui database of this very schema (a newer one is refused, an older one must be
opened once with this version first). Everything is written in ONE transaction of the
target: a merge killed half-way leaves it as it was. Nothing is written when nothing
differs, so merging the same file again changes no byte.

How rows meet:

- briefings by UUID, else content hash, else path + title. When both hold the briefing in
  different revisions, the newer text (later ``imported``) wins: if it is the other's, this
  side's text becomes it (the old one kept in ``revisions``) and this side's highlights are
  re-anchored; if it is ours, the other's highlights are re-anchored onto it
  (:func:`briefing_tui.core.anchoring.reanchor_all`; what cannot be placed is kept orphaned);
- speakers by UUID, else folded name or alias (:func:`briefing_tui.core.speakers.fold`): a
  speaker called "Vitkoff" there meets "Steve Witkoff" here when one has the other's name
  as an alias; the other's names join ours as aliases;
- stances by UUID, else name; topics by UUID, else name; other tables of both schemas
  that have an ``id`` (a ``rejections`` table) by ``id``, rows missing here are added;
- highlights by UUID. For each source (the other file's database id and path), the merge
  remembers the digest of each highlight as both sides had it after the last merge
  (``merge_bases``): one changed only there is updated here, one changed only here stays,
  and one changed on both sides since (or, before any merge base, different on the two
  sides: nothing tells which side changed it) is a **conflict**: ours stays, theirs is
  kept in ``conflicts`` until :func:`resolve_conflict` picks one. A highlight deleted here
  after a merge is not brought back.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from briefing_tui.core.dbfile import BUSY_TIMEOUT_S, SQLITE_MAGIC
from briefing_tui.core.errors import StoreError
from briefing_tui.core.models import ANCHORED, ORPHANED
from briefing_tui.core.schema import INDEX_NEW_TEXT, MIGRATIONS, new_id, now_iso
from briefing_tui.core.speakers import fold

if TYPE_CHECKING:
    from briefing_tui.core.store import Store

__all__ = ["Conflict", "MergeReport", "conflicts", "database_id", "merge", "open_other",
           "resolve_conflict"]

# Tables merged by their own rules (the rest, with an ``id`` column, are merged by id).
_OWN_RULES = {"briefings", "briefing_texts", "briefing_sources", "revisions", "speakers", "stances", "topics",
              "highlights", "highlight_topics", "undo_steps", "note_drafts",
              "reading_positions", "source_stats", "database_info", "merges", "merge_bases",
              "conflicts"}
# What a highlight's digest covers: what an analyst changes (not who, not when).
_DIGEST_FIELDS = ("start", "end", "exact", "prefix", "suffix", "speaker_id", "stance_id",
                  "note", "status", "previous_exact")
# Stage names a test's hook may stop a merge at (kill -9 half-way).
STAGES = ("briefings", "highlights")


class _DryRun(Exception):
    """Raised inside the transaction of a dry run: everything is rolled back."""


@dataclass
class MergeReport:
    """What a merge did (or, dry, would do)."""

    added: dict[str, int] = field(default_factory=dict)  # table -> rows added
    updated_highlights: int = 0
    reanchored_briefings: int = 0  # briefings here that took the other side's newer text
    orphaned: int = 0  # highlights here that could not be placed on that newer text
    conflicts: int = 0  # new conflicts found
    open_conflicts: int = 0  # conflicts with that source still open after the merge
    speaker_aliases: int = 0  # speakers here that got the other side's names as aliases
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        """Whether the merge changed (or would change) anything visible."""
        return bool(sum(self.added.values()) or self.updated_highlights or self.conflicts
                    or self.reanchored_briefings or self.speaker_aliases)

    def lines(self) -> list[str]:
        """The report for people, one fact a line (no data text: nothing to escape)."""
        verb = "would add" if self.dry_run else "added"
        added = ", ".join(f"{n} {table}" for table, n in self.added.items() if n) or "nothing"
        updated = "would update" if self.dry_run else "updated"
        speakers = f"{self.speaker_aliases} speakers (aliases)"
        out = [f"{verb}: {added}", f"{updated}: {self.updated_highlights} highlights, {speakers}"]
        if self.reanchored_briefings:
            out.append(f"newer text taken for {self.reanchored_briefings} briefings"
                       f" ({self.orphaned} highlights orphaned)")
        out.append(f"conflicts: {self.conflicts} new, {self.open_conflicts} open"
                   + (" (see: briefing-tui conflicts)" if self.open_conflicts else ""))
        if self.dry_run:
            out.append("dry run: nothing was changed")
        return out


@dataclass(frozen=True)
class Conflict:
    """A highlight changed on both sides: ours (in ``highlights``) and theirs (kept here)."""

    id: str
    highlight_id: str
    briefing_title: str
    source_path: str
    found: str
    mine: dict[str, Any]
    theirs: dict[str, Any]


# --------------------------------------------------------------------------- opening


def open_other(path: str | Path, *, schema: int = len(MIGRATIONS)) -> sqlite3.Connection:
    """The other database, read-only; StoreError (one line) if it is not one to merge."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise StoreError(f"no database at {path}")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise StoreError(f"cannot read {path}: {error.strerror}") from None
    if header != SQLITE_MAGIC:
        raise StoreError(f"{path} is not a briefing-tui database (not SQLite)")
    uri = "file:" + quote(str(path.resolve())) + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as error:
        conn.close()
        raise StoreError(f"{path} is not a briefing-tui database ({error})") from None
    problem = None
    if version > schema:
        problem = (f"{path} is from a newer version of briefing-tui (schema {version}, this"
                   f" version knows {schema}); upgrade briefing-tui")
    elif version == 0 or not {"briefings", "highlights", "speakers"} <= tables:
        problem = f"{path} is not a briefing-tui database"
    elif version < schema:
        problem = (f"{path} has an older schema ({version}); open it once with this version"
                   f" (briefing-tui --db {path} list) to upgrade it, then merge")
    if problem:
        conn.close()
        raise StoreError(problem)
    return conn


def database_id(conn: sqlite3.Connection) -> str:
    """The random id of a database (``database_info``; made by migration 13)."""
    row = conn.execute("SELECT value FROM database_info WHERE key = 'id'").fetchone()
    return row[0] if row else ""


# --------------------------------------------------------------------------- helpers


def _rows(conn: sqlite3.Connection, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]


def _insert(conn: sqlite3.Connection, table: str, row: dict[str, Any],
            columns: list[str]) -> None:
    """Insert ``row``'s values of the target table's ``columns`` (others are dropped)."""
    keys = [c for c in columns if c in row]
    conn.execute(f'INSERT INTO "{table}" ({", ".join(f"{chr(34)}{k}{chr(34)}" for k in keys)})'
                 f' VALUES ({", ".join("?" for _ in keys)})', [row[k] for k in keys])


def _update(conn: sqlite3.Connection, table: str, key: str, row: dict[str, Any],
            columns: list[str]) -> None:
    keys = [c for c in columns if c in row and c != "id"]
    sets = ", ".join(f'"{k}" = ?' for k in keys)
    conn.execute(f'UPDATE "{table}" SET {sets} WHERE id = ?', [*(row[k] for k in keys), key])


def digest(highlight: dict[str, Any], topics: list[str]) -> str:
    """A highlight's content as a short hash: what an analyst set, in this database's ids.

    >>> h = dict.fromkeys(_DIGEST_FIELDS, "")
    >>> digest(h, ["b", "a"]) == digest(h, ["a", "b"]), digest(h, []) == digest(h, ["a"])
    (True, False)
    """
    # repr of a tuple of str / int / None: exact and stable, and cheaper than JSON (a merge
    # of 40,000 highlights digests 80,000 times).
    values = (*(highlight.get(name) for name in _DIGEST_FIELDS), tuple(sorted(topics)))
    return hashlib.blake2b(repr(values).encode(), digest_size=16).hexdigest()


def _topic_names(conn: sqlite3.Connection) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for hid, name in conn.execute("SELECT ht.highlight_id, t.name FROM highlight_topics ht"
                                  " JOIN topics t ON t.id = ht.topic_id"):
        out.setdefault(hid, []).append(name)
    return {hid: sorted(names) for hid, names in out.items()}


# --------------------------------------------------------------------------- the merge


@contextmanager
def _other(path: str | Path) -> Iterator[sqlite3.Connection]:
    conn = open_other(path)
    try:
        conn.execute("BEGIN")  # one snapshot of the other file, whatever its app does meanwhile
        yield conn
    finally:
        conn.close()


def merge(store: Store, other_path: str | Path, *, dry_run: bool = False,
          hook: Callable[[str], None] | None = None) -> MergeReport:
    """Merge the database at ``other_path`` into ``store`` (see the module docstring).

    ``dry_run`` does all of it in the transaction and rolls it back: the report says what a
    merge would do. ``hook(stage)`` is called half-way (tests kill the process there).
    """
    other_path = Path(other_path).expanduser()
    if other_path.resolve() == store.path.resolve():
        raise StoreError("cannot merge a database into itself")
    report = MergeReport(dry_run=dry_run)
    with _other(other_path) as oc:
        try:
            with store.writing() as conn:
                _Merger(store, conn, oc, other_path, report, hook).run()
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
    return report


class _Merger:
    """One merge, inside the target's write transaction."""

    def __init__(self, store: Store, conn: sqlite3.Connection, oc: sqlite3.Connection,
                 other_path: Path, report: MergeReport,
                 hook: Callable[[str], None] | None) -> None:
        self.store, self.conn, self.oc, self.report, self.hook = store, conn, oc, report, hook
        self.other_id = database_id(oc)
        self.path = str(other_path.resolve())
        self.source = f"{self.other_id}|{self.path}"
        self.writes = 0  # rows written besides what the report counts (merge bases)
        self.speakers: dict[str, str] = {}  # their id -> ours
        self.stances: dict[str, str | None] = {}
        self.topics: dict[str, str] = {}  # their topic name -> our topic id
        self.briefings: dict[str, str] = {}
        # their briefing id -> (their text, our text) when their highlights move onto ours
        self.moves: dict[str, tuple[str, str]] = {}

    def _count(self, table: str, n: int = 1) -> None:
        self.report.added[table] = self.report.added.get(table, 0) + n

    def run(self) -> None:
        for table in ("briefings", "highlights", "speakers", "stances", "topics"):
            self.report.added[table] = 0
        self.merge_stances()
        self.merge_speakers()
        self.merge_topics()
        self.merge_briefings()
        if self.hook:
            self.hook("briefings")
        self.merge_highlights()
        if self.hook:
            self.hook("highlights")
        self.merge_other_tables()
        self.report.open_conflicts = self.conn.execute(
            "SELECT count(*) FROM conflicts WHERE source = ?", (self.source,)).fetchone()[0]
        if self.report.changed or self.writes:
            self.conn.execute(
                "INSERT INTO merges (source, database_id, path, merged_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(source) DO UPDATE SET merged_at = excluded.merged_at",
                (self.source, self.other_id, self.path, now_iso()))

    # ------------------------------------------------------------- labels

    def merge_stances(self) -> None:
        mine = _rows(self.conn, "SELECT * FROM stances")
        by_id = {r["id"]: r for r in mine}
        by_name = {fold(r["name"]): r for r in mine}
        keys = {r["key"] for r in mine}
        columns = _columns(self.conn, "stances")
        for row in _rows(self.oc, "SELECT * FROM stances ORDER BY key"):
            found = by_id.get(row["id"]) or by_name.get(fold(row["name"]))
            if found is not None:
                self.stances[row["id"]] = found["id"]
                continue
            free = [k for k in range(1, 10) if k not in keys]
            if not free:  # nine stances here already: the highlight keeps no stance
                self.stances[row["id"]] = None
                continue
            key = row["key"] if row["key"] not in keys else free[0]
            keys.add(key)
            _insert(self.conn, "stances", {**row, "key": key}, columns)
            self.stances[row["id"]] = row["id"]
            by_name[fold(row["name"])] = row
            self._count("stances")

    def merge_speakers(self) -> None:
        from briefing_tui.core.store import _clean_aliases

        mine = _rows(self.conn, "SELECT * FROM speakers ORDER BY name_key, id")
        by_id = {r["id"]: r for r in mine}
        by_key: dict[str, dict[str, Any]] = {}
        for r in mine:  # names first, then aliases: a name wins over another's alias
            by_key.setdefault(fold(r["name"]), r)
        for r in mine:
            for alias in json.loads(r["aliases"]):
                by_key.setdefault(fold(alias), r)
        columns = _columns(self.conn, "speakers")
        for row in _rows(self.oc, "SELECT * FROM speakers ORDER BY name_key, id"):
            theirs = [row["name"], *json.loads(row["aliases"])]
            found = by_id.get(row["id"])
            if found is None:
                found = next((by_key[fold(n)] for n in theirs if fold(n) in by_key), None)
            if found is None:
                _insert(self.conn, "speakers", row, columns)
                self.speakers[row["id"]] = row["id"]
                by_id[row["id"]] = row
                for name in theirs:
                    by_key.setdefault(fold(name), row)
                self._count("speakers")
                continue
            self.speakers[row["id"]] = found["id"]
            aliases = _clean_aliases(found["name"], (*json.loads(found["aliases"]), *theirs))
            text = json.dumps(aliases, ensure_ascii=False)
            if text != found["aliases"]:
                self.conn.execute("UPDATE speakers SET aliases = ?, updated = ? WHERE id = ?",
                                  (text, now_iso(), found["id"]))
                found["aliases"] = text
                self.report.speaker_aliases += 1

    def merge_topics(self) -> None:
        mine = {r["name"]: r["id"] for r in _rows(self.conn, "SELECT id, name FROM topics")}
        ids = set(mine.values())
        for row in _rows(self.oc, "SELECT * FROM topics ORDER BY name"):
            if row["name"] in mine:
                self.topics[row["name"]] = mine[row["name"]]
                continue
            if row["id"] in ids:  # the same topic renamed on one side: keep ours
                self.topics[row["name"]] = row["id"]
                continue
            _insert(self.conn, "topics", row, _columns(self.conn, "topics"))
            self.topics[row["name"]] = mine[row["name"]] = row["id"]
            self._count("topics")

    # ------------------------------------------------------------- briefings

    def merge_briefings(self) -> None:
        mine = _rows(self.conn, "SELECT * FROM briefings")
        by_id = {r["id"]: r for r in mine}
        by_hash: dict[str, dict[str, Any]] = {}
        by_place: dict[tuple[str, str], dict[str, Any]] = {}
        for r in sorted(mine, key=lambda r: (r["deleted_at"] is not None, r["imported"], r["id"])):
            if r["content_hash"]:
                by_hash.setdefault(r["content_hash"], r)
            if r["path"]:
                by_place.setdefault((r["path"], r["title"]), r)
        # A revision's hash counts too: one side re-imported the file since.
        for briefing_id, content_hash in self.conn.execute(
                "SELECT briefing_id, content_hash FROM revisions ORDER BY revision, id"):
            if content_hash and briefing_id in by_id:
                by_hash.setdefault(content_hash, by_id[briefing_id])
        their_revisions: dict[str, list[str]] = {}
        for briefing_id, content_hash in self.oc.execute(
                "SELECT briefing_id, content_hash FROM revisions ORDER BY revision DESC, id"):
            their_revisions.setdefault(briefing_id, []).append(content_hash)
        for row in _rows(self.oc, "SELECT * FROM briefings ORDER BY imported, id"):
            hashes = [row["content_hash"], *their_revisions.get(row["id"], [])]
            found = (by_id.get(row["id"])
                     or next((by_hash[h] for h in hashes if h and h in by_hash), None)
                     or by_place.get((row["path"], row["title"])))
            if found is None:
                if row["deleted_at"] is not None:
                    continue  # deleted there, never here: not brought in
                self.add_briefing(row)
                self.briefings[row["id"]] = row["id"]
                continue
            self.briefings[row["id"]] = found["id"]
            if found["content_hash"] != row["content_hash"]:
                self.newer_text(found, row)

    def add_briefing(self, row: dict[str, Any]) -> None:
        _insert(self.conn, "briefings", row, _columns(self.conn, "briefings"))
        texts = _columns(self.conn, "briefing_texts")
        for text_row in _rows(self.oc, "SELECT * FROM briefing_texts WHERE briefing_id = ?",
                              (row["id"],)):
            _insert(self.conn, "briefing_texts", text_row, texts)
            self.conn.execute(INDEX_NEW_TEXT, (text_row["briefing_id"],))
        sources = _columns(self.conn, "briefing_sources")
        for source_row in _rows(self.oc, "SELECT * FROM briefing_sources WHERE briefing_id = ?",
                                (row["id"],)):
            _insert(self.conn, "briefing_sources", source_row, sources)
        revisions = _columns(self.conn, "revisions")
        for rev in _rows(self.oc, "SELECT * FROM revisions WHERE briefing_id = ?", (row["id"],)):
            _insert(self.conn, "revisions", rev, revisions)
        self._count("briefings")

    def newer_text(self, ours: dict[str, Any], theirs: dict[str, Any]) -> None:
        """The two sides hold different revisions: merge on the newer. A side whose
        revisions hold the other's text is newer; else the later import is."""
        our_text = self.conn.execute("SELECT reading_text FROM briefing_texts WHERE"
                                     " briefing_id = ?", (ours["id"],)).fetchone()[0]
        their_text = self.oc.execute("SELECT reading_text FROM briefing_texts WHERE"
                                     " briefing_id = ?", (theirs["id"],)).fetchone()[0]
        ours_after = self.conn.execute(
            "SELECT 1 FROM revisions WHERE briefing_id = ? AND content_hash = ?",
            (ours["id"], theirs["content_hash"])).fetchone() is not None
        theirs_after = self.oc.execute(
            "SELECT 1 FROM revisions WHERE briefing_id = ? AND content_hash = ?",
            (theirs["id"], ours["content_hash"])).fetchone() is not None
        later = ((theirs["imported"], theirs["content_hash"])
                 <= (ours["imported"], ours["content_hash"]))
        if ours_after or (later and not theirs_after):
            # Ours is newer: their highlights move onto our text (nothing here changes, so
            # this is not counted: merging again must find nothing to do).
            self.moves[theirs["id"]] = (their_text, our_text)
            return
        from briefing_tui.core.anchoring import reanchor_all

        old = self.conn.execute(
            "SELECT b.revision, b.content_hash, coalesce(s.source_text, ''), b.imported"
            " FROM briefings b LEFT JOIN briefing_sources s ON s.briefing_id = b.id"
            " WHERE b.id = ?", (ours["id"],)).fetchone()
        self.conn.execute(
            "INSERT OR IGNORE INTO revisions (id, briefing_id, revision, content_hash,"
            " source_text, imported) VALUES (?, ?, ?, ?, ?, ?)",
            (new_id(), ours["id"], old[0], old[1], old[2], old[3]))
        self.conn.execute(
            "UPDATE briefings SET content_hash = ?, revision = ?, imported = ?, updated = ?,"
            " fmt = ? WHERE id = ?",
            (theirs["content_hash"], old[0] + 1, theirs["imported"], now_iso(), theirs["fmt"],
             ours["id"]))
        texts = self.oc.execute(
            "SELECT reading_head, doc_blob, reading_text FROM briefing_texts"
            " WHERE briefing_id = ?", (theirs["id"],)).fetchone()
        self.conn.execute(
            "UPDATE briefing_texts SET reading_head = ?, doc_blob = ?, reading_text = ?"
            " WHERE briefing_id = ?", (*texts, ours["id"]))
        source = self.oc.execute("SELECT coalesce((SELECT source_text FROM briefing_sources"
                                 " WHERE briefing_id = ?), '')", (theirs["id"],)).fetchone()[0]
        self.conn.execute(
            "INSERT INTO briefing_sources (briefing_id, source_text) VALUES (?, ?)"
            " ON CONFLICT (briefing_id) DO UPDATE SET source_text = excluded.source_text",
            (ours["id"], source))
        highlights = self.conn.execute(
            'SELECT id, "start", "end", exact, prefix, suffix FROM highlights'
            " WHERE briefing_id = ? AND status = ?", (ours["id"], ANCHORED)).fetchall()
        placements = reanchor_all(our_text, their_text, highlights)
        self.report.orphaned += sum(1 for p in placements.values() if p is None)
        self.store._place_highlights(ours["id"], their_text, placements, now_iso())
        self.conn.execute("DELETE FROM undo_steps WHERE briefing_id = ?", (ours["id"],))
        self.report.reanchored_briefings += 1

    # ------------------------------------------------------------- highlights

    def theirs(self) -> Iterator[tuple[dict[str, Any], list[str]]]:
        """Their highlights in our ids (and on our text), with their topic names."""
        from briefing_tui.core.anchoring import quote_selector, reanchor_all

        topics = _topic_names(self.oc)
        rows = _rows(self.oc, 'SELECT * FROM highlights ORDER BY briefing_id, "start", id')
        placed: dict[str, tuple[int, int] | None] = {}
        for their_bid, (old, new) in self.moves.items():
            mine = [(r["id"], r["start"], r["end"], r["exact"], r["prefix"], r["suffix"])
                    for r in rows if r["briefing_id"] == their_bid and r["status"] == ANCHORED]
            placed.update(reanchor_all(old, new, mine))
        for row in rows:
            bid = self.briefings.get(row["briefing_id"])
            if bid is None:
                continue
            their_bid = row["briefing_id"]
            row = {**row, "briefing_id": bid,
                   "speaker_id": self.speakers.get(row["speaker_id"] or ""),
                   "stance_id": self.stances.get(row["stance_id"] or "")}
            if row["id"] in placed:
                place = placed[row["id"]]
                if place is None:
                    row["status"] = ORPHANED
                else:
                    new_text = self.moves[their_bid][1]
                    exact, prefix, suffix = quote_selector(new_text, *place)
                    marked = row["previous_exact"] or row["exact"]
                    row.update(start=place[0], end=place[1], exact=exact, prefix=prefix,
                               suffix=suffix, previous_exact=None if exact == marked else marked)
            yield row, topics.get(row["id"], [])

    def merge_highlights(self) -> None:
        columns = _columns(self.conn, "highlights")
        mine_topics = _topic_names(self.conn)
        bases = {r[0]: r[1] for r in self.conn.execute(
            "SELECT highlight_id, digest FROM merge_bases WHERE source = ?", (self.source,))}
        open_conflicts = {r[0]: r[1] for r in self.conn.execute(
            "SELECT highlight_id, theirs_digest FROM conflicts WHERE source = ?",
            (self.source,))}
        quoted = ", ".join(f'"{c}"' for c in columns)
        # Ours, all at once: one statement, not one per highlight of theirs.
        ours = {row[0]: row for row in self.conn.execute(f"SELECT {quoted} FROM highlights")}
        if columns[0] != "id":
            raise StoreError("unexpected highlights table: its first column is not id")
        for row, names in self.theirs():
            hid = row["id"]
            names = [n for n in names if n in self.topics]
            dt = digest(row, names)
            mine = ours.get(hid)
            base = bases.get(hid)
            if mine is None:
                if base is not None:
                    continue  # deleted here since the last merge: stays deleted
                _insert(self.conn, "highlights", row, columns)
                if names:
                    self.set_topics(hid, names)
                self.set_base(hid, dt, base)
                self._count("highlights")
                continue
            mine_row = dict(zip(columns, mine, strict=True))
            dm = digest(mine_row, mine_topics.get(hid, []))
            if dm == dt or base == dt:  # the same, or changed here only: ours stays
                self.set_base(hid, dt, base)
                if hid in open_conflicts:  # made equal meanwhile: no conflict left
                    self.conn.execute("DELETE FROM conflicts WHERE highlight_id = ? AND"
                                      " source = ?", (hid, self.source))
                    self.writes += 1
                continue
            if base == dm:  # changed there only: take theirs
                _update(self.conn, "highlights", hid, row, columns)
                self.set_topics(hid, names)
                self.set_base(hid, dt, base)
                self.report.updated_highlights += 1
                continue
            if open_conflicts.get(hid) == dt:
                continue  # known already
            theirs = json.dumps({**row, "topics": names}, ensure_ascii=False, sort_keys=True,
                                default=str)
            self.conn.execute(
                "INSERT INTO conflicts (id, highlight_id, source, source_path, theirs,"
                " theirs_digest, found) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(highlight_id, source) DO UPDATE SET theirs = excluded.theirs,"
                " theirs_digest = excluded.theirs_digest, found = excluded.found",
                (new_id(), hid, self.source, self.path, theirs, dt, now_iso()))
            self.report.conflicts += 1

    def set_base(self, hid: str, value: str, old: str | None) -> None:
        if value != old:
            self.conn.execute(
                "INSERT INTO merge_bases (source, highlight_id, digest) VALUES (?, ?, ?)"
                " ON CONFLICT(source, highlight_id) DO UPDATE SET digest = excluded.digest",
                (self.source, hid, value))
            self.writes += 1

    def set_topics(self, hid: str, names: list[str]) -> None:
        set_topics(self.conn, hid, [self.topics[n] for n in names])

    # ------------------------------------------------------------- other tables

    def merge_other_tables(self) -> None:
        """Tables both schemas have that key rows by ``id`` (e.g. ``rejections``): the
        rows missing here are added, their references mapped; a row whose reference is
        not here is left out."""
        mine = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type ="
                                                " 'table' AND name NOT LIKE '%_fts%'")}
        theirs = {r[0] for r in self.oc.execute("SELECT name FROM sqlite_master WHERE type ="
                                                " 'table'")}
        maps = {"briefing_id": self.briefings, "speaker_id": self.speakers,
                "stance_id": self.stances}
        for table in sorted((mine & theirs) - _OWN_RULES):
            columns = _columns(self.conn, table)
            if "id" not in columns or "id" not in _columns(self.oc, table):
                continue
            known = {r[0] for r in self.conn.execute(f'SELECT id FROM "{table}"')}
            for row in _rows(self.oc, f'SELECT * FROM "{table}" ORDER BY id'):
                if row["id"] in known:
                    continue
                for column, mapping in maps.items():
                    if row.get(column) is not None:
                        row[column] = mapping.get(row[column])
                try:
                    self.conn.execute("SAVEPOINT merge_row")
                    _insert(self.conn, table, row, columns)
                    self.conn.execute("RELEASE merge_row")
                    self._count(table)
                except sqlite3.IntegrityError:
                    self.conn.execute("ROLLBACK TO merge_row")
                    self.conn.execute("RELEASE merge_row")


def set_topics(conn: sqlite3.Connection, hid: str, topic_ids: list[str]) -> None:
    """Inside a write: make the highlight's topic links exactly ``topic_ids``."""
    have = {r[0]: r[1] for r in conn.execute(
        "SELECT topic_id, id FROM highlight_topics WHERE highlight_id = ?", (hid,))}
    for topic_id, link in have.items():
        if topic_id not in topic_ids:
            conn.execute("DELETE FROM highlight_topics WHERE id = ?", (link,))
    for topic_id in topic_ids:
        if topic_id not in have:
            conn.execute("INSERT INTO highlight_topics (id, highlight_id, topic_id)"
                         " VALUES (?, ?, ?)", (new_id(), hid, topic_id))


# --------------------------------------------------------------------------- conflicts


def conflicts(store: Store) -> list[Conflict]:
    """The open conflicts, oldest first, with both versions (raw data: escape to show)."""
    with store.reading() as conn:
        rows = _rows(conn, "SELECT c.*, b.title FROM conflicts c JOIN highlights h"
                           " ON h.id = c.highlight_id JOIN briefings b ON b.id = h.briefing_id"
                           " ORDER BY c.found, c.id")
        mine_topics = _topic_names(conn)
        out = []
        for row in rows:
            mine = _rows(conn, "SELECT * FROM highlights WHERE id = ?", (row["highlight_id"],))[0]
            mine["topics"] = mine_topics.get(mine["id"], [])
            out.append(Conflict(row["id"], row["highlight_id"], row["title"], row["source_path"],
                                row["found"], mine, json.loads(row["theirs"])))
    return out


def resolve_conflict(store: Store, ref: str, keep: str) -> Conflict:
    """Close the conflict ``ref`` (its id, an id prefix, or its highlight's id) keeping
    ``"mine"`` or ``"theirs"``; the choice becomes the merge base with that source, so the
    next merge of it does not raise the conflict again."""
    if keep not in ("mine", "theirs"):
        raise StoreError("keep what? 'mine' or 'theirs'")
    ref = ref.strip()
    found = [c for c in conflicts(store)
             if ref and (c.id.startswith(ref) or c.highlight_id == ref)]
    if not found:
        raise StoreError(f"no open conflict {ref!r} (see: briefing-tui conflicts)")
    if len(found) > 1:
        raise StoreError(f"{ref!r} names {len(found)} conflicts; give more of the id")
    conflict = found[0]
    with store.writing() as conn:
        row = conn.execute("SELECT source, theirs_digest FROM conflicts WHERE id = ?",
                           (conflict.id,)).fetchone()
        if row is None:
            raise StoreError("that conflict was resolved meanwhile")
        source, theirs_digest = row
        if keep == "theirs":
            theirs = dict(conflict.theirs)
            names = theirs.pop("topics", [])
            columns = _columns(conn, "highlights")
            theirs["updated"] = now_iso()
            theirs["updated_by"] = store.analyst
            _update(conn, "highlights", conflict.highlight_id, theirs, columns)
            ids = {r[0]: r[1] for r in conn.execute("SELECT name, id FROM topics")}
            set_topics(conn, conflict.highlight_id, [ids[n] for n in names if n in ids])
        conn.execute("INSERT INTO merge_bases (source, highlight_id, digest) VALUES (?, ?, ?)"
                     " ON CONFLICT(source, highlight_id) DO UPDATE SET digest = excluded.digest",
                     (source, conflict.highlight_id, theirs_digest))
        conn.execute("DELETE FROM conflicts WHERE id = ?", (conflict.id,))
    return conflict


def describe(store: Store, version: dict[str, Any], *, quote: bool = True) -> str:
    """One version of a conflicting highlight for people (raw data text: escape to show):
    who, quote (unless ``quote`` is false), speaker, stance, topics, note."""
    names = {s.id: s.name for s in store.speakers()}
    stances = {s.id: s.name for s in store.stances()}
    who = version.get("updated_by") or version.get("created_by") or "?"
    parts = [f"by {who}", *([f"“{version.get('exact', '')}”"] if quote else []),
             f"speaker: {names.get(version.get('speaker_id') or '', '—')}",
             f"stance: {stances.get(version.get('stance_id') or '', '—')}"]
    if version.get("topics"):
        parts.append("topics: " + " ".join(f"#{t}" for t in version["topics"]))
    if version.get("note"):
        parts.append(f"note: {version['note']}")
    if version.get("status") == ORPHANED:
        parts.append("orphaned")
    return " · ".join(parts)
