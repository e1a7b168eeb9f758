"""Helpers shared by the robustness tests: our own briefing text, database snapshots."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DRIVER = Path(__file__).resolve().parent / "store_driver.py"

# Our own writing: several paragraphs and quotes to highlight.
BRIEFING = """\
---
title: Ministers trade terms for a pause
source: Test Wire
published: 2025-03-21
---

# Ministers trade terms for a pause

The foreign minister said on Tuesday that a pause "could begin within days" if the
crossings reopen. His deputy was more careful. Nothing has been signed, he said.

"We will not accept conditions written elsewhere," the other side's spokesman told
reporters. He called the proposal "a list of demands" and left early.

- Grain ships wait at the southern port.
- Observers expect a second round next week.

Analysts noted that both delegations used the same words for different things. The
next meeting will show whether the pause is more than a word.
"""
TITLE = "Ministers trade terms for a pause"


def db_state(path: Path) -> tuple[str, list[tuple], dict[str, dict]]:
    """integrity_check, foreign_key_check and every highlight's fields, read by plain SQLite."""
    conn = sqlite3.connect(path)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        foreign = conn.execute("PRAGMA foreign_key_check").fetchall()
        topics: dict[str, list[str]] = {}
        for hid, name in conn.execute(
                "SELECT ht.highlight_id, t.name FROM highlight_topics ht"
                " JOIN topics t ON t.id = ht.topic_id"):
            topics.setdefault(hid, []).append(name)
        rows = {
            hid: {"start": start, "end": end, "stance_id": stance, "speaker_id": speaker,
                  "note": note, "topics": sorted(topics.get(hid, [])), "status": status}
            for hid, start, end, stance, speaker, note, status in conn.execute(
                'SELECT id, "start", "end", stance_id, speaker_id, note, status FROM highlights')
        }
    finally:
        conn.close()
    return integrity, foreign, rows


def files_digest(path: Path) -> dict[str, str]:
    """SHA-256 of the database file and its WAL: equal digests = nothing was written.

    An empty WAL is the same as none (opening a WAL database creates it); ``-shm`` is
    SQLite's shared-memory index, which readers touch, so it is left out. Never call this
    while the test process itself holds a SQLite lock on the file (see
    ``write_lock_held_by_another_program``).
    """
    out = {}
    for name in (path, Path(f"{path}-wal")):
        if name.exists() and name.stat().st_size:
            out[name.name] = hashlib.sha256(name.read_bytes()).hexdigest()
    return out


def logical_dump(path: Path) -> list[str]:
    """Every row of the database as SQL (what a reader sees), via a read-only connection."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


_HOLD_LOCK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # it knows the file is WAL
conn.execute("BEGIN EXCLUSIVE")
conn.execute("UPDATE briefings SET title = title")  # a write in progress, not committed
print("LOCKED", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
print("RELEASED", flush=True)
"""


@contextmanager
def write_lock_held_by_another_program(db: Path) -> Iterator[None]:
    """Another process (e.g. a SQLite browser) in the middle of a write transaction.

    A process of its own, not a connection in the test process: POSIX file locks belong
    to a process, and any ``open()``/``close()`` of the file by the test (reading its
    bytes) would silently drop them.
    """
    proc = subprocess.Popen([sys.executable, "-c", _HOLD_LOCK, str(db)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdin is not None
    try:
        line = proc.stdout.readline()
        assert line == "LOCKED\n", line + (proc.stderr.read() if proc.stderr else "")
        yield
        proc.stdin.write("go\n")
        proc.stdin.flush()
        assert proc.stdout.readline() == "RELEASED\n"
    finally:
        proc.kill()
        proc.wait()
