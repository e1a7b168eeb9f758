"""The undo/redo log: each undoable write records its row changes as one step.

A step (table ``undo_steps``) is a JSON list of row snapshots ``{table, key,
before, after}``; undo sets each row back to ``before`` (newest change first),
redo forward to ``after``. Steps live in the database, where a crash cannot lose
them half-written, but each belongs to the *session* that made it: the
``session`` id of the :class:`briefing_tui.core.dbfile.DatabaseFile` instance (a
random UUID per opened store, so one per running app). Undo and redo only ever
replay the session's own steps, never another instance's; a closed session's
steps are deleted when it closes, and the steps stored before sessions existed
(schema 5) were deleted by that migration: nobody can undo them.

Before a step is replayed, :func:`changed_since` checks that each highlight it
touches is still exactly as the step left it (undo) or found it (redo). If
another instance changed one since, replaying would clobber that change: the
store refuses, drops the step and says so (:class:`UndoConflict`).

These functions run inside a write transaction the store has opened;
:class:`briefing_tui.core.store.Store` owns the transactions and the public
``undo``/``redo``/``can_undo``/``can_redo``.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from briefing_tui.core.errors import StoreError
from briefing_tui.core.schema import new_id, now_iso

__all__ = ["UNDO_TABLES", "Tx", "UndoConflict", "apply_states", "changed_since", "has_step",
           "record_step", "replay", "scope"]

# Tables an undo step may touch (stored JSON names a table; never trust it blindly).
UNDO_TABLES = {"highlights", "highlight_topics", "topics"}


class UndoConflict(StoreError):
    """Undo or redo refused: another instance changed a row of the step since."""


@dataclass
class Tx:
    """An open write transaction: the row changes it made and the briefing they belong to."""

    briefing_id: str | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)

    def change(self, table: str, key: str, before: dict | None, after: dict | None) -> None:
        """Note that row ``key`` of ``table`` went from ``before`` to ``after`` (None: absent)."""
        self.changes.append({"table": table, "key": key, "before": before, "after": after})


def record_step(conn: sqlite3.Connection, tx: Tx, description: str, session: str) -> None:
    """Store ``tx``'s row changes as one undo step of ``session`` named ``description``."""
    # A new change forgets what this session undid in its scope: redo would clash with it.
    # Another session's redo stays: its steps are its own.
    if tx.briefing_id is None:
        where, params = "AND briefing_id IS NULL", (session,)
    else:
        where, params = scope(session, tx.briefing_id)
    conn.execute(f"DELETE FROM undo_steps WHERE session = ? AND undone = 1 {where}", params)
    seq = conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM undo_steps").fetchone()[0]
    conn.execute(
        "INSERT INTO undo_steps (id, seq, briefing_id, description, changes, undone, created,"
        " session) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
        (new_id(), seq, tx.briefing_id, description,
         json.dumps(tx.changes, ensure_ascii=False, separators=(",", ":")), now_iso(), session),
    )


def scope(session: str, briefing_id: str | None) -> tuple[str, tuple[Any, ...]]:
    """SQL narrowing an ``undo_steps`` query (after ``WHERE session = ?``) to one
    briefing's steps (all of the session's if None), and its parameters."""
    if briefing_id is None:
        return "", (session,)
    return "AND briefing_id = ?", (session, briefing_id)


def changed_since(conn: sqlite3.Connection, changes: list[dict[str, Any]], side: str) -> bool:
    """Whether a highlight of ``changes`` is no longer its ``side`` snapshot
    (``"after"`` before an undo, ``"before"`` before a redo).

    Only highlight rows are compared: every step that changes a highlight's
    fields or topic links also writes the highlight row with a new ``updated``
    stamp, so that row witnesses any change to it. Topics are shared by all
    briefings and :func:`apply_states` already merges them by name.
    """
    for change in changes:
        if change["table"] != "highlights":
            continue
        expected = change[side]
        cursor = conn.execute("SELECT * FROM highlights WHERE id = ?", (change["key"],))
        found = cursor.fetchone()
        if expected is None or found is None:
            if (expected is None) != (found is None):
                return True
            continue
        current = dict(zip([d[0] for d in cursor.description], found, strict=True))
        if any(key not in current or current[key] != value for key, value in expected.items()):
            return True
    return False


def replay(conn: sqlite3.Connection, session: str, briefing_id: str | None, *,
           redo: bool) -> tuple[str, bool] | None:
    """Undo (``redo=False``) or redo the session's next step (of ``briefing_id`` if given).

    Undo takes the session's newest step not undone; redo the one it undid last
    (the oldest undone: undo goes backwards). Returns ``(description, True)``
    when replayed, ``(description, False)`` when another instance changed one of
    its highlights since (see :func:`changed_since`): nothing is replayed and the
    step is dropped, so the next undo goes on with the step before it. ``None``:
    the session has nothing to undo (redo) there.
    """
    where, params = scope(session, briefing_id)
    order = "ASC" if redo else "DESC"
    row = conn.execute(
        f"SELECT id, description, changes FROM undo_steps WHERE session = ? {where}"
        f" AND undone = ? ORDER BY seq {order} LIMIT 1", (*params, int(redo))).fetchone()
    if row is None:
        return None
    step_id, description, changes = row[0], row[1], json.loads(row[2])
    if changed_since(conn, changes, "before" if redo else "after"):
        conn.execute("DELETE FROM undo_steps WHERE id = ?", (step_id,))
        return description, False
    if redo:
        apply_states(conn, [(c["table"], c["key"], c["after"]) for c in changes])
    else:
        apply_states(conn, [(c["table"], c["key"], c["before"]) for c in reversed(changes)])
    conn.execute("UPDATE undo_steps SET undone = ? WHERE id = ?", (int(not redo), step_id))
    return description, True


def has_step(conn: sqlite3.Connection, session: str, briefing_id: str | None, *,
             undone: bool) -> bool:
    """Whether the session has a step (of ``briefing_id`` if given) to redo
    (``undone=True``) or to undo."""
    where, params = scope(session, briefing_id)
    return conn.execute(
        f"SELECT 1 FROM undo_steps WHERE session = ? {where} AND undone = ? LIMIT 1",
        (*params, int(undone))).fetchone() is not None


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
