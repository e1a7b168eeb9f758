"""Undo is per instance: two ``Store`` objects on one file each undo and redo their own work.

A step another instance has overtaken (it changed the same highlight since) is refused,
never replayed over that change. Also here: the migration that gave steps a session, and
note drafts (kept in the database until the note is saved or the draft discarded).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from briefing_tui.core.dbfile import DatabaseFile
from briefing_tui.core.document import Document
from briefing_tui.core.store import MIGRATIONS, Store, StoreError, UndoConflict

TEXT = ("The minister said the talks were useful. The deputy was more careful. "
        "Nobody expected a deal before spring.\n")


def add(store: Store) -> str:
    return store.add_briefing(title="Talks", source="", published="", url="", path="",
                              fmt="text", source_text=TEXT,
                              document=Document(text=TEXT, fmt="text"), content_hash="h").id


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Store, Store, str]]:
    """Two instances (a and b) on one database with one briefing."""
    path = tmp_path / "b.db"
    a, b = Store(path), Store(path)
    bid = add(a)
    yield a, b, bid
    a.close()
    b.close()


def stance(store: Store, key: int) -> str:
    found = store.stance_by_key(key)
    assert found is not None
    return found.id


def test_each_instance_undoes_only_its_own_change(pair: tuple[Store, Store, str]) -> None:
    a, b, bid = pair
    mine = a.create_highlight(bid, 0, 12).id
    theirs = b.create_highlight(bid, 41, 70).id
    a.set_stance(mine, stance(a, 1))
    b.set_stance(theirs, stance(b, 2))  # the newest step in the file is b's
    assert a.session != b.session
    assert a.undo(bid) == "set stance"
    assert a.highlight(mine).stance_id is None
    assert a.highlight(theirs).stance_id == stance(a, 2)  # b's highlight untouched
    assert a.undo(bid) == "create highlight"
    assert a.undo(bid) is None and not a.can_undo(bid) and not a.can_undo()
    assert [h.id for h in b.highlights(bid)] == [theirs]
    # b's history is whole: its two steps, newest first.
    assert b.can_undo(bid)
    assert b.undo(bid) == "set stance"
    assert b.undo(bid) == "create highlight"
    assert b.highlights(bid) == [] and b.undo() is None


def test_redo_is_per_instance_and_a_new_change_clears_only_its_own(
        pair: tuple[Store, Store, str]) -> None:
    a, b, bid = pair
    mine = a.create_highlight(bid, 0, 12).id
    theirs = b.create_highlight(bid, 41, 70).id
    a.set_note(mine, "a's note")
    b.set_note(theirs, "b's note")
    assert a.undo(bid) == "set note"
    assert b.undo(bid) == "set note"
    assert a.can_redo(bid) and b.can_redo(bid)
    a.set_stance(mine, stance(a, 4))  # a new change of a's: a's redo is gone ...
    assert not a.can_redo(bid) and a.redo(bid) is None
    assert b.can_redo(bid)  # ... b's is not
    assert b.redo(bid) == "set note"
    assert b.highlight(theirs).note == "b's note"
    assert a.highlight(mine).note == ""


def test_undo_refuses_a_step_the_other_instance_overtook(
        pair: tuple[Store, Store, str]) -> None:
    a, b, bid = pair
    first = a.create_highlight(bid, 0, 12).id
    second = a.create_highlight(bid, 41, 70).id
    a.set_stance(first, stance(a, 1))
    b.set_stance(first, stance(b, 2))  # b changes the highlight a's last step changed
    with pytest.raises(UndoConflict) as caught:
        a.undo(bid)
    assert str(caught.value) == (
        "cannot undo set stance: another instance changed that highlight since")
    assert isinstance(caught.value, StoreError)  # the UI shows it like any store error
    assert b.highlight(first).stance_id == stance(b, 2)  # b's change stands
    # The overtaken step is dropped: the next undo goes on with the step before it.
    assert a.undo(bid) == "create highlight"
    assert [h.id for h in a.highlights(bid)] == [first]
    assert a.can_redo(bid) and a.redo(bid) == "create highlight"
    assert {h.id for h in a.highlights(bid)} == {first, second}
    # b's own undo is untouched by all this.
    assert b.undo(bid) == "set stance"
    assert b.highlight(first).stance_id == stance(b, 1)


def test_undo_never_brings_back_what_the_other_instance_deleted(
        pair: tuple[Store, Store, str]) -> None:
    a, b, bid = pair
    hid = a.create_highlight(bid, 0, 12).id
    a.set_note(hid, "mine")
    b.delete_highlight(hid)
    with pytest.raises(UndoConflict):
        a.undo(bid)  # set note: the row is gone; re-writing it would resurrect it
    with pytest.raises(UndoConflict):
        a.undo(bid)  # create highlight: already gone, by b's hand
    assert a.highlights(bid) == [] and not a.can_undo(bid)
    assert b.undo(bid) == "delete highlight"  # b can still bring it back itself
    assert a.highlight(hid).note == "mine"


def test_redo_refuses_when_the_other_instance_changed_the_highlight(
        pair: tuple[Store, Store, str]) -> None:
    a, b, bid = pair
    hid = a.create_highlight(bid, 0, 12).id
    a.set_stance(hid, stance(a, 1))
    assert a.undo(bid) == "set stance"
    b.set_stance(hid, stance(b, 3))
    with pytest.raises(UndoConflict, match="cannot redo set stance"):
        a.redo(bid)
    assert a.highlight(hid).stance_id == stance(a, 3)
    assert not a.can_redo(bid)


def test_a_change_to_another_highlight_is_no_conflict(pair: tuple[Store, Store, str]) -> None:
    a, b, bid = pair
    mine = a.create_highlight(bid, 0, 12).id
    a.set_topics(mine, ["talks"])
    theirs = b.create_highlight(bid, 41, 70).id
    b.set_topics(theirs, ["talks", "spring"])
    assert a.undo(bid) == "set topics"
    assert a.highlight(mine).topics == ()
    assert b.highlight(theirs).topics == ("spring", "talks")  # the shared topic stays


def test_closing_deletes_only_the_instance_s_steps(pair: tuple[Store, Store, str]) -> None:
    a, b, bid = pair
    mine = a.create_highlight(bid, 0, 12).id
    b.create_highlight(bid, 41, 70)
    a.close()
    sessions = [r[0] for r in b.conn.execute("SELECT DISTINCT session FROM undo_steps")]
    assert sessions == [b.session]
    assert b.undo(bid) == "create highlight"
    assert [h.id for h in b.highlights(bid)] == [mine]


class StoreV4(DatabaseFile):
    """The code before undo steps had a session (schema 4)."""

    MIGRATIONS = MIGRATIONS[:4]


def roll_back_to_schema_4(path: Path) -> None:
    """Make today's database a schema-4 one: no session column, no drafts."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP VIEW IF EXISTS highlights_view")  # migration 14's, on deleted_at
    conn.execute("DROP TABLE reading_positions")
    conn.execute("DROP INDEX briefings_deleted")
    conn.execute("ALTER TABLE briefings DROP COLUMN deleted_at")
    conn.execute("DROP TABLE note_drafts")
    conn.execute("DROP INDEX undo_steps_session")
    conn.execute("ALTER TABLE undo_steps DROP COLUMN session")
    conn.execute("CREATE INDEX undo_steps_undone ON undo_steps(undone, seq)")
    conn.execute("PRAGMA user_version = 4")
    conn.close()


def test_migration_5_gives_steps_a_session_and_drops_nobody_s_steps(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    with Store(path) as store:
        bid = add(store)
        hid = store.create_highlight(bid, 0, 12).id
    roll_back_to_schema_4(path)
    with StoreV4(path) as old:  # a step as the old code wrote it: no session
        old.conn.execute(
            "INSERT INTO undo_steps (id, seq, briefing_id, description, changes)"
            " VALUES ('s1', 1, ?, 'create highlight', ?)",
            (bid, json.dumps([{"table": "highlights", "key": hid, "before": None,
                               "after": {"id": hid}}])))
    with Store(path) as store:
        columns = {r[1] for r in store.conn.execute("PRAGMA table_info(undo_steps)")}
        assert "session" in columns
        # A step from before sessions is nobody's: gone, so no instance can undo it.
        assert store.conn.execute("SELECT COUNT(*) FROM undo_steps").fetchone()[0] == 0
        assert not store.can_undo(bid) and store.undo() is None
        assert [h.id for h in store.highlights(bid)] == [hid]
        indexes = {r[1] for r in store.conn.execute("PRAGMA index_list(undo_steps)")}
        assert "undo_steps_session" in indexes and "undo_steps_undone" not in indexes


# --------------------------------------------------------------------------- note drafts


def test_a_note_draft_is_kept_until_saved(pair: tuple[Store, Store, str]) -> None:
    a, b, bid = pair
    hid = a.create_highlight(bid, 0, 12).id
    assert a.note_draft(hid) is None
    a.save_note_draft(hid, "half a tho")
    a.save_note_draft(hid, "half a thought")
    assert b.note_draft(hid) == "half a thought"  # in the file: a crash cannot lose it
    assert a.undo(bid) == "create highlight"  # drafts record no undo step ...
    assert not a.can_undo(bid)
    assert b.note_draft(hid) is None  # ... and go with their highlight
    hid = a.create_highlight(bid, 0, 12).id
    a.save_note_draft(hid, "draft")
    a.set_note(hid, "the note")
    assert a.note_draft(hid) is None and a.highlight(hid).note == "the note"
    a.save_note_draft(hid, "the note")
    a.set_note(hid, "the note")  # unchanged note: the draft still goes
    assert a.note_draft(hid) is None


def test_a_note_draft_is_discarded_or_goes_with_its_highlight(
        pair: tuple[Store, Store, str]) -> None:
    a, _b, bid = pair
    hid = a.create_highlight(bid, 0, 12).id
    a.save_note_draft(hid, "never mind")
    a.discard_note_draft(hid)
    assert a.note_draft(hid) is None
    a.save_note_draft(hid, "orphan draft")
    a.delete_highlight(hid)
    assert a.conn.execute("SELECT COUNT(*) FROM note_drafts").fetchone()[0] == 0
    with pytest.raises(StoreError):
        a.save_note_draft("no-such-highlight", "x")


def assert_gives_up_while_locked(store: Store, save: Callable[[], None]) -> None:
    """``save()`` raises StoreError ("locked") while another program holds the write lock,
    long before the store's own busy timeout, which it leaves as it was."""
    store.conn.execute("PRAGMA busy_timeout = 600000")  # other writes would wait ten minutes
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    errors: list[BaseException] = []

    def run() -> None:
        try:
            save()
        except StoreError as error:
            errors.append(error)

    saver = threading.Thread(target=run)
    try:
        saver.start()
        saver.join(timeout=60)
        assert not saver.is_alive()  # it gave up while the lock is still held
    finally:
        other.execute("ROLLBACK")
        other.close()
        saver.join()
    assert len(errors) == 1 and "locked" in str(errors[0])
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 600000  # restored


def test_saving_a_draft_gives_up_while_another_program_holds_the_lock(
        pair: tuple[Store, Store, str]) -> None:
    a, _b, bid = pair
    hid = a.create_highlight(bid, 0, 12).id
    assert_gives_up_while_locked(a, lambda: a.save_note_draft(hid, "typed while locked"))
    a.save_note_draft(hid, "typed later")
    assert a.note_draft(hid) == "typed later"
