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

A step has a *scope*: the briefing whose reader undoes it (``briefing_id``; the
highlight changes, and the speaker edits made from that reader), or none
(``briefing_id`` NULL, :data:`LIBRARY`): the library's steps (deleting a briefing,
editing its metadata, speaker edits made there). Scopes do not overlap, so ``u`` in a
reader undoes what the analyst did in that reader and nothing else.

Before a step is replayed, :func:`changed_since` checks that each highlight, speaker
and briefing it touches is still exactly as the step left it (undo) or found it
(redo), and that a speaker it would delete is used by no highlight. If another
instance changed one since, replaying would clobber that change: the store refuses,
drops the step and says so (:class:`UndoConflict`).

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

__all__ = ["LIBRARY", "UNDO_TABLES", "Tx", "UndoConflict", "apply_states", "changed_since", "has_step",
           "record_step", "replay", "scope", "touched_highlights"]

# Tables an undo step may touch (stored JSON names a table; never trust it blindly).
UNDO_TABLES = {"highlights", "highlight_topics", "topics", "speakers", "briefings", "stances"}
# Tables whose rows witness every change to them (each write stamps ``updated``):
# replaying a step checks them first. A briefing snapshot holds only the columns the
# step changed (its metadata, ``deleted_at``), never its texts.
_WITNESSES = ("highlights", "speakers", "briefings")
# The scope of the library's steps (``briefing_id`` NULL), for undo/redo/has_step.
LIBRARY = ""


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
    where, params = scope(session, LIBRARY if tx.briefing_id is None else tx.briefing_id)
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
    briefing's steps (all of the session's if None; the library's if :data:`LIBRARY`),
    and its parameters."""
    if briefing_id is None:
        return "", (session,)
    if briefing_id == LIBRARY:
        return "AND briefing_id IS NULL", (session,)
    return "AND briefing_id = ?", (session, briefing_id)


def changed_since(conn: sqlite3.Connection, changes: list[dict[str, Any]],
                  side: str) -> str | None:
    """The table of a row of ``changes`` that is no longer its ``side`` snapshot
    (``"after"`` before an undo, ``"before"`` before a redo), or None when none changed.

    Highlight, speaker and briefing rows are compared: every step that changes a
    highlight's topic links also writes the highlight row with a new ``updated``
    stamp, so that row witnesses any change to it. Topics are shared by all
    briefings and :func:`apply_states` already merges them by name. A speaker the
    replay would delete (undoing its creation) must be used by no highlight once the
    step's own highlights are set back, or deleting it would silently clear another
    highlight's speaker: that counts as changed too.
    """
    target = "before" if side == "after" else "after"
    for change in changes:
        table = change["table"]
        if table not in _WITNESSES:
            continue
        expected = change[side]
        cursor = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (change["key"],))
        found = cursor.fetchone()
        if expected is None or found is None:
            if (expected is None) != (found is None):
                return table
        else:
            current = dict(zip([d[0] for d in cursor.description], found, strict=True))
            if any(key not in current or current[key] != value
                   for key, value in expected.items()):
                return table
        if table == "speakers" and change[target] is None and _speaker_in_use(
                conn, change["key"], changes, target):
            return table
    return None


def _speaker_in_use(conn: sqlite3.Connection, speaker_id: str, changes: list[dict[str, Any]],
                    target: str) -> bool:
    """Whether a highlight keeps ``speaker_id`` once ``changes`` are set to ``target``."""
    released = {c["key"] for c in changes if c["table"] == "highlights"
                and (c[target] is None or c[target].get("speaker_id") != speaker_id)}
    users = {row[0] for row in conn.execute(
        "SELECT id FROM highlights WHERE speaker_id = ?", (speaker_id,))}
    return bool(users - released)


def touched_highlights(changes: list[dict[str, Any]]) -> frozenset[str] | None:
    """The ids of the highlights a step's ``changes`` touch (their rows or topic links),
    so that a view re-reads only those; None when the step also changes what other
    highlights show (a speaker edited or merged, a briefing): then a view checks them all.
    Creating or deleting a speaker or a topic changes no other highlight."""
    ids: set[str] = set()
    for change in changes:
        table, before, after = change["table"], change["before"], change["after"]
        if table == "highlights":
            ids.add(change["key"])
        elif table == "highlight_topics":
            ids.update(state["highlight_id"] for state in (before, after) if state is not None)
        elif table == "briefings" or (table == "speakers" and before is not None
                                      and after is not None):
            return None
    return frozenset(ids)


def replay(conn: sqlite3.Connection, session: str, briefing_id: str | None, *,
           redo: bool) -> tuple[str, str | None, list[dict[str, Any]]] | None:
    """Undo (``redo=False``) or redo the session's next step (of ``briefing_id`` if given).

    Undo takes the session's newest step not undone; redo the one it undid last
    (the oldest undone: undo goes backwards). Returns ``(description, None, changes)``
    when replayed, ``(description, table, changes)`` when another instance changed one of
    its rows of ``table`` since (see :func:`changed_since`): nothing is replayed and
    the step is dropped, so the next undo goes on with the step before it. ``None``:
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
    conflict = changed_since(conn, changes, "before" if redo else "after")
    if conflict is not None:
        conn.execute("DELETE FROM undo_steps WHERE id = ?", (step_id,))
        return description, conflict, changes
    if redo:
        apply_states(conn, [(c["table"], c["key"], c["after"]) for c in changes])
    else:
        apply_states(conn, [(c["table"], c["key"], c["before"]) for c in reversed(changes)])
    conn.execute("UPDATE undo_steps SET undone = ? WHERE id = ?", (int(not redo), step_id))
    return description, None, changes


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
