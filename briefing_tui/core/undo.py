"""The undo/redo log: each undoable write records its row changes as one step.

A step (table ``undo_steps``) is a JSON list of row snapshots ``{table, key,
before, after}``; undo sets each row back to ``before`` (newest change first),
redo forward to ``after``. Steps live in the database, so they survive a
restart and are shared with a second instance. These functions run inside a
write transaction the store has opened; :class:`briefing_tui.core.store.Store`
owns the transactions and the public ``undo``/``redo``/``can_undo``/``can_redo``.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from briefing_tui.core.errors import StoreError
from briefing_tui.core.schema import new_id, now_iso

__all__ = ["UNDO_TABLES", "Tx", "apply_states", "record_step", "scope"]

# Tables an undo step may touch (stored JSON names a table; never trust it blindly).
UNDO_TABLES = {"highlights", "highlight_topics", "topics"}


@dataclass
class Tx:
    """An open write transaction: the row changes it made and the briefing they belong to."""

    briefing_id: str | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)

    def change(self, table: str, key: str, before: dict | None, after: dict | None) -> None:
        """Note that row ``key`` of ``table`` went from ``before`` to ``after`` (None: absent)."""
        self.changes.append({"table": table, "key": key, "before": before, "after": after})


def record_step(conn: sqlite3.Connection, tx: Tx, description: str) -> None:
    """Store ``tx``'s row changes as one undo step named ``description``."""
    # A new change forgets what was undone in its scope: redo would clash with it.
    if tx.briefing_id is None:
        conn.execute("DELETE FROM undo_steps WHERE briefing_id IS NULL AND undone = 1")
    else:
        conn.execute("DELETE FROM undo_steps WHERE briefing_id = ? AND undone = 1",
                     (tx.briefing_id,))
    seq = conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM undo_steps").fetchone()[0]
    conn.execute(
        "INSERT INTO undo_steps (id, seq, briefing_id, description, changes, undone, created)"
        " VALUES (?, ?, ?, ?, ?, 0, ?)",
        (new_id(), seq, tx.briefing_id, description,
         json.dumps(tx.changes, ensure_ascii=False, separators=(",", ":")), now_iso()),
    )


def scope(briefing_id: str | None) -> tuple[str, tuple[Any, ...]]:
    """SQL narrowing an ``undo_steps`` query to one briefing's steps (all if None)."""
    return ("AND briefing_id = ?", (briefing_id,)) if briefing_id is not None else ("", ())


def apply_states(conn: sqlite3.Connection,
                 states: list[tuple[str, str, dict[str, Any] | None]]) -> None:
    """Set each row to a snapshot (``None`` = absent), in the order given.

    Topics are shared by briefings, so a topic is only deleted while no
    highlight uses it, and a topic re-created under a name that exists
    again (with another id) is mapped onto the existing row.
    """
    topic_ids: dict[str, str] = {}
    for table, key, state in states:
        if table not in UNDO_TABLES:
            raise StoreError(f"undo step names unknown table {table!r}")
        if state is None:
            if table == "topics":
                conn.execute(
                    "DELETE FROM topics WHERE id = ? AND NOT EXISTS"
                    " (SELECT 1 FROM highlight_topics WHERE topic_id = ?)", (key, key))
            else:
                conn.execute(f"DELETE FROM {table} WHERE id = ?", (key,))
            continue
        state = dict(state)
        if table == "topics":
            found = conn.execute("SELECT id FROM topics WHERE name = ?",
                                 (state["name"],)).fetchone()
            if found and found[0] != key:
                topic_ids[key] = found[0]
                continue
        elif table == "highlight_topics":
            state["topic_id"] = topic_ids.get(state["topic_id"], state["topic_id"])
            conn.execute(
                "DELETE FROM highlight_topics WHERE highlight_id = ? AND topic_id = ?"
                " AND id <> ?", (state["highlight_id"], state["topic_id"], key))
        _upsert(conn, table, state)


def _upsert(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    cols = ", ".join(f'"{c}"' for c in row)
    marks = ", ".join("?" for _ in row)
    sets = ", ".join(f'"{c}" = excluded."{c}"' for c in row if c != "id")
    conn.execute(
        f"INSERT INTO {table} ({cols}) VALUES ({marks}) ON CONFLICT(id) DO UPDATE SET {sets}",
        tuple(row.values()),
    )
