"""Databases the scenarios measure against, built once per run from the corpora.

Built through the public core API (``import_paths``, ``Store.create_highlight``)
where that is fast enough; the 10k/100k-highlight databases are filled with one
``executemany`` per table instead (100k store calls would take minutes), with rows
shaped as the store writes them (quote selector, undo step per highlight, topics,
speakers, stances) so queries see realistic tables and indexes.
"""

from __future__ import annotations

import json
import os
import random
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from benchmarks import corpora
from benchmarks.harness import Config

# Highlights in the briefings of the key-press scenarios: one per this many characters
# of reading text, evenly spread. The same density at every size, so a screen of the
# 5 MB briefing holds as many highlights as a screen of the 10 KB one (about ten) and
# both sidebars are full: the comparison is about the document's size. The 10 KB one
# gets ~30 highlights, the 5 MB one ~12,000.
KEY_HIGHLIGHT_EVERY = 400


@dataclass(frozen=True)
class Imported:
    """A database holding one imported briefing."""

    db: Path
    briefing_id: str
    source: Path
    text_length: int

    def at_start(self) -> None:
        """Forget where the last session left the cursor: the reader reopens a briefing
        there, and a session waiting for the first screen's marker needs the start."""
        from briefing_tui.core.store import Store

        with Store(self.db) as store:
            store.save_reading_position(self.briefing_id, 0)


class Fixtures:
    """Lazily built databases of one run (each built once, then reused)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.work = config.make_work_dir()

    def corpus(self, label: str) -> Path:
        """The corpus file called ``label`` ("5mb") at this run's size."""
        return corpora.briefing_file(self.config.size(label), self.config.data_dir)

    @cache  # noqa: B019 - one Fixtures per run; the cache is the point
    def imported(self, label: str, every: int = 0) -> Imported:
        """``label``'s briefing imported into its own database.

        With ``every``, one highlight per ``every`` characters, evenly spread.
        """
        from briefing_tui.core.importer import import_paths
        from briefing_tui.core.store import Store

        source = self.corpus(label)
        db = self.work / f"imported-{label}-{every}.db"
        with Store(db) as store:
            result = import_paths(store, [source])[0]
            text = store.get_briefing(result.briefing_id).document.text
            count = len(text) // every if every else 0
            for start, end in corpora.spread_spans(len(text), count):
                store.create_highlight(result.briefing_id, start, end)
        _quiesce()
        return Imported(db, result.briefing_id, source, len(text))

    @cache  # noqa: B019
    def with_highlights(self, label: str, count_label: str) -> Imported:
        """``label``'s briefing imported into its own database with ``count_label``
        highlights spread evenly over it (bulk, see :func:`fill_highlights`)."""
        import shutil

        from briefing_tui.core.store import Store

        base = self.imported(label)
        db = self.work / f"imported-{label}-{count_label}.db"
        with Store(base.db) as store:  # a consistent copy: the WAL checkpointed first
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(base.db, db)
        with Store(db) as store:
            text = store.get_briefing(base.briefing_id).document.text
            fill_highlights(store, [base.briefing_id], text, self.config.count(count_label))
        _quiesce()
        return Imported(db, base.briefing_id, base.source, base.text_length)

    @cache  # noqa: B019
    def reading_text(self, label: str) -> str:
        """The reading text of ``label``'s imported briefing (what the floor shows)."""
        from briefing_tui.core.store import Store

        imp = self.imported(label)
        with Store(imp.db) as store:
            return store.get_briefing(imp.briefing_id).document.text

    @cache  # noqa: B019
    def reading_text_file(self, label: str) -> Path:
        """:meth:`reading_text` written to a file (for the floor's subprocess)."""
        path = self.work / f"reading-{label}.txt"
        path.write_text(self.reading_text(label), encoding="utf-8")
        return path

    @cache  # noqa: B019
    def library(self, briefings: int, highlights: int, heavy: int,
                marker: str = "QX-7731") -> Library:
        """A library of ``briefings`` dated briefings and ``highlights`` highlights, one
        speaker with ``heavy`` of them (see :func:`build_library`); built once per run."""
        db = self.work / f"library-{briefings}-{highlights}-{heavy}.db"
        return build_library(db, briefings, highlights, heavy, marker)

    @cache  # noqa: B019
    def highlight_db(self, count_label: str, briefings: int = 1,
                     text_label: str = "1mb") -> Imported:
        """A database with ``count_label`` highlights over ``briefings`` briefings.

        Briefing 0 is the imported ``text_label`` corpus; the others are copies of
        its text under other titles. Returns briefing 0.
        """
        from briefing_tui.core.store import Store

        total = self.config.count(count_label)
        db = self.work / f"highlights-{count_label}-{briefings}.db"
        base = self.imported(text_label)
        with Store(base.db) as src:
            briefing = src.get_briefing(base.briefing_id)
        from briefing_tui.core.document import Document

        with Store(db) as store:
            ids = []
            for i in range(briefings):
                document = Document.from_blob(
                    briefing.document.text, briefing.document.to_blob(), briefing.fmt)
                info = store.add_briefing(
                    title=f"{briefing.title} #{i}", source=briefing.source,
                    published=briefing.published, url=briefing.url, path="",
                    fmt=briefing.fmt, source_text=briefing.source_text, document=document,
                    content_hash=f"{briefing.content_hash}-{i}")
                ids.append(info.id)
            fill_highlights(store, ids, briefing.document.text, total)
        _quiesce()
        return Imported(db, ids[0], base.source, len(briefing.document.text))


@dataclass(frozen=True)
class Library:
    """A library of many small briefings and their highlights, one speaker of which (the
    *heavy* one) said ``heavy`` of them; the earliest of those starts with ``marker``."""

    db: Path
    briefings: int
    highlights: int
    heavy_speaker_id: str
    heavy: int
    marker: str


LIBRARY_TEXT = (
    "The envoy met both delegations on Monday and said the talks were useful but slow. "
    "Officials expect nothing before spring; a spokesman repeated that no deal was near.\n\n"
)


def _library_dates(count: int) -> list[str]:
    """``count`` publication dates spread over two years, oldest first."""
    from datetime import date, timedelta

    start = date(2024, 1, 1)
    return [(start + timedelta(days=i * 730 // max(1, count))).isoformat() for i in range(count)]


def build_library(db: Path, briefings: int, highlights: int, heavy: int,
                  marker: str) -> Library:
    """A library of ``briefings`` small dated briefings (added through the store) and
    ``highlights`` highlights in bulk (:func:`fill_highlights`), ``heavy`` of which are
    moved to one extra speaker, "Heavy Speaker"."""
    from briefing_tui.core.document import parse_text
    from briefing_tui.core.store import Store

    text = LIBRARY_TEXT * 20  # ~3.5 KB: the reading texts are not read by these views
    document = parse_text(text)
    with Store(db) as store:
        ids = []
        for i, published in enumerate(_library_dates(briefings)):
            ids.append(store.add_briefing(
                title=f"Daily briefing {i:04d}", source="Benchmark Wire", published=published,
                url="", path="", fmt="text", source_text=text, document=document,
                content_hash=f"library-{i}").id)
        fill_highlights(store, ids, document.text, highlights)
        heavy_id = store.create_speaker("Heavy Speaker", role="benchmark").id
        conn = store.conn
        step = max(1, highlights // heavy)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE highlights SET speaker_id = ? WHERE rowid IN (SELECT rowid"
                     " FROM highlights WHERE rowid % ? = 0 LIMIT ?)", (heavy_id, step, heavy))
        # The dossier's first row: the earliest of them (by date, then position).
        first = conn.execute(
            "SELECT h.id, h.exact FROM highlights h JOIN briefings b ON b.id = h.briefing_id"
            " WHERE h.speaker_id = ? ORDER BY b.published, b.title, h.briefing_id,"
            ' h."start", h."end", h.id LIMIT 1', (heavy_id,)).fetchone()
        conn.execute("UPDATE highlights SET exact = ? WHERE id = ?",
                     (f"{marker} {first[1]}", first[0]))
        conn.execute("COMMIT")
        count = conn.execute("SELECT COUNT(*) FROM highlights WHERE speaker_id = ?",
                             (heavy_id,)).fetchone()[0]
    _quiesce()
    return Library(db, briefings, highlights, heavy_id, count, marker)


def fill_highlights(store: object, briefing_ids: list[str], text: str, total: int) -> None:
    """Insert ``total`` highlights spread evenly over ``briefing_ids`` in bulk.

    Each gets the quote selector the store would compute, an undo step, and
    (for some) a speaker, a stance, topics and a note.
    """
    from briefing_tui.core.anchoring import quote_selector

    conn = store.conn  # type: ignore[attr-defined]
    rng = random.Random(corpora.SEED + total)
    stances = [row[0] for row in conn.execute("SELECT id FROM stances ORDER BY key")]
    conn.execute("BEGIN IMMEDIATE")
    speakers = []
    now = "2025-03-20T12:00:00.000+00:00"
    for name, role in corpora._SPEAKERS:
        sid = str(uuid.uuid4())
        speakers.append(sid)
        conn.execute(
            "INSERT INTO speakers (id, name, name_key, role, affiliation, aliases, created,"
            " updated) VALUES (?, ?, ?, ?, '', '[]', ?, ?)",
            (sid, name, name.casefold(), role, now, now))
    topics = []
    for name in corpora._TOPICS:
        tid = str(uuid.uuid4())
        topics.append(tid)
        conn.execute("INSERT INTO topics (id, name, created) VALUES (?, ?, ?)",
                      (tid, name.replace(" ", "-"), now))
    per = max(1, total // len(briefing_ids))
    rows, links, steps = [], [], []
    seq = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM undo_steps").fetchone()[0]
    for b, bid in enumerate(briefing_ids):
        count = per if b < len(briefing_ids) - 1 else total - per * (len(briefing_ids) - 1)
        for start, end in corpora.spread_spans(len(text), count, seed=corpora.SEED + b):
            exact, prefix, suffix = quote_selector(text, start, end)
            hid = str(uuid.uuid4())
            row = {"id": hid, "briefing_id": bid, "start": start, "end": end, "exact": exact,
                   "prefix": prefix, "suffix": suffix,
                   "speaker_id": rng.choice(speakers) if rng.random() < 0.7 else None,
                   "stance_id": rng.choice(stances) if rng.random() < 0.6 else None,
                   "note": "checked against the transcript" if rng.random() < 0.2 else "",
                   "status": "anchored", "created": now, "updated": now}
            rows.append(tuple(row.values()))
            if rng.random() < 0.4:
                links.append((str(uuid.uuid4()), hid, rng.choice(topics)))
            seq += 1
            steps.append((str(uuid.uuid4()), seq, bid, "create highlight",
                          json.dumps([{"table": "highlights", "key": hid, "before": None,
                                       "after": row}], separators=(",", ":")), now))
    conn.executemany(
        'INSERT INTO highlights (id, briefing_id, "start", "end", exact, prefix, suffix,'
        " speaker_id, stance_id, note, status, created, updated)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.executemany(
        "INSERT OR IGNORE INTO highlight_topics (id, highlight_id, topic_id) VALUES (?, ?, ?)",
        links)
    conn.executemany(
        "INSERT INTO undo_steps (id, seq, briefing_id, description, changes, undone, created)"
        " VALUES (?, ?, ?, ?, ?, 0, ?)", steps)
    conn.execute("COMMIT")


def _quiesce() -> None:
    """Write a newly built database to disk now, before anything is timed.

    The kernel writes dirty pages back some seconds after they were made: tens of MB of a
    freshly imported 5 MB briefing, flushed in the middle of the first timings (a run's
    open_5mb once measured 25 ms where it measures 16).
    """
    if hasattr(os, "sync"):
        os.sync()
