"""Reading positions (migration 7): where the cursor was when a briefing was last left."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from briefing_tui.core.store import MIGRATIONS, Store, StoreError
from tests.core.test_undo_sessions import (  # noqa: F401 - pair is a fixture
    add,
    assert_gives_up_while_locked,
    pair,
)


def roll_back_to_schema_6(path: Path) -> None:
    """Make today's database a schema-6 one: no reading positions, no soft delete."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP VIEW IF EXISTS highlights_view")  # migration 14's, on deleted_at
    conn.execute("DROP TABLE reading_positions")
    conn.execute("DROP INDEX briefings_deleted")
    conn.execute("ALTER TABLE briefings DROP COLUMN deleted_at")
    conn.execute("PRAGMA user_version = 6")
    conn.close()


def test_migration_7_adds_reading_positions_and_keeps_the_rows(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    with Store(path) as made:
        bid = add(made)
        hid = made.create_highlight(bid, 0, 12).id
    roll_back_to_schema_6(path)
    with sqlite3.connect(path) as old:
        tables = {r[0] for r in old.execute("SELECT name FROM sqlite_master")}
        assert "reading_positions" not in tables
    with Store(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == 15 == len(MIGRATIONS)
        assert store.reading_position(bid) == 0  # never saved: the start
        assert store.highlight(hid).exact == "The minister"
        store.save_reading_position(bid, 41)
    with Store(path) as store:
        assert store.reading_position(bid) == 41


def test_a_position_is_saved_per_briefing_overwritten_and_not_undoable(
        pair: tuple[Store, Store, str]) -> None:  # noqa: F811 - the fixture
    a, b, bid = pair
    other = add(a)
    a.save_reading_position(bid, 12)
    a.save_reading_position(other, 3)
    a.save_reading_position(bid, 41)
    assert (b.reading_position(bid), b.reading_position(other)) == (41, 3)  # in the file
    assert not a.can_undo(bid) and not a.can_undo()
    a.save_reading_position(bid, -5)  # never negative
    assert a.reading_position(bid) == 0


def test_a_position_goes_with_its_briefing(pair: tuple[Store, Store, str]) -> None:  # noqa: F811
    a, _b, bid = pair
    a.save_reading_position(bid, 12)
    with a._write() as _tx:
        a.conn.execute("DELETE FROM briefings WHERE id = ?", (bid,))
    assert a.conn.execute("SELECT COUNT(*) FROM reading_positions").fetchone()[0] == 0
    a.save_reading_position(bid, 12)  # gone meanwhile: nothing saved, no error
    assert a.reading_position(bid) == 0


def test_a_read_only_database_keeps_no_position(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    with Store(path) as store:
        bid = add(store)
    with Store(path, readonly=True) as store:
        with pytest.raises(StoreError, match="read-only"):
            store.save_reading_position(bid, 12)
        assert store.reading_position(bid) == 0


def test_saving_a_position_gives_up_while_another_program_holds_the_lock(
        pair: tuple[Store, Store, str]) -> None:  # noqa: F811 - the fixture
    a, _b, bid = pair
    assert_gives_up_while_locked(a, lambda: a.save_reading_position(bid, 12))
    a.save_reading_position(bid, 12)  # the lock released: saved
    assert a.reading_position(bid) == 12
