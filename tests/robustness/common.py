"""Helpers shared by the robustness tests: our own briefing text, database snapshots."""

from __future__ import annotations

import hashlib
import sqlite3
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

    (``-shm`` is SQLite's shared-memory index; readers touch it, so it is left out.)
    """
    out = {}
    for name in (path, Path(f"{path}-wal")):
        if name.exists():
            out[name.name] = hashlib.sha256(name.read_bytes()).hexdigest()
    return out


def logical_dump(path: Path) -> list[str]:
    """Every row of the database as SQL (what a reader sees), via a read-only connection."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()
