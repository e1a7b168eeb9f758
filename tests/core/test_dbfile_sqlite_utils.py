"""sqlite-utils under our transactions: its inserts never commit on their own, and a migration
may rebuild a table with ``transform()`` without losing the rows that point at it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from briefing_tui.core.document import parse_text
from briefing_tui.core.store import MIGRATIONS, Store, StoreError


def add(store: Store) -> str:
    text = "Officials said the talks would resume. Nobody signed anything."
    return store.add_briefing(
        title="Talks", source="Test Wire", published="", url="", path="", fmt="text",
        source_text=text, document=parse_text(text), content_hash="h1").id


def count(path: Path, table: str) -> int:
    """Rows of ``table`` as a second connection sees them (committed rows only)."""
    db = Database(path)
    try:
        return db[table].count
    finally:
        db.close()


def test_insert_inside_a_write_commits_only_with_it(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    with Store(path) as store:
        before = count(path, "topics")
        with pytest.raises(RuntimeError, match="after the insert"), store._write() as _tx:
            store._insert("topics", {"id": "t1", "name": "ceasefire", "created": ""})
            assert count(path, "topics") == before  # not committed yet
            raise RuntimeError("after the insert")
        assert count(path, "topics") == before  # rolled back with our transaction
        with store._write() as _tx:
            store._insert("topics", {"id": "t2", "name": "sanctions", "created": ""})
        assert count(path, "topics") == before + 1


def test_insert_outside_a_write_is_refused(tmp_path: Path) -> None:
    with Store(tmp_path / "b.db") as store:
        with pytest.raises(RuntimeError, match="outside a write transaction"):
            store._insert("topics", {"id": "t1", "name": "ceasefire", "created": ""})
        assert store.topics() == []


def _rebuild_briefings(db: Database) -> None:
    """A future migration: rebuild ``briefings`` (a parent table) with a new column first."""
    db["briefings"].add_column("pinned", int, not_null_default=0)
    columns = ["id", "pinned", *(c for c in db["briefings"].columns_dict if c not in
                                 ("id", "pinned"))]
    db["briefings"].transform(column_order=columns)


class StoreRebuilt(Store):
    MIGRATIONS = (*MIGRATIONS, _rebuild_briefings)


def test_a_migration_may_transform_a_parent_table_and_keep_its_children(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    with Store(path) as store:
        bid = add(store)
        hid = store.create_highlight(bid, 0, 9).id
    with StoreRebuilt(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) + 1
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1  # on again
        assert Database(store.conn)["briefings"].columns[1].name == "pinned"
        assert store.highlight(hid).exact == "Officials"  # not cascade-deleted
        assert store.get_briefing(bid).document.text.startswith("Officials said")


def test_a_migration_leaving_a_dangling_reference_changes_nothing(tmp_path: Path) -> None:
    def orphan_highlights(db: Database) -> None:
        db.execute("DELETE FROM briefings")  # foreign keys are off: no cascade

    class Broken(Store):
        MIGRATIONS = (*MIGRATIONS, orphan_highlights)

    path = tmp_path / "b.db"
    with Store(path) as store:
        bid = add(store)
        store.create_highlight(bid, 0, 9)
    with pytest.raises(StoreError, match="dangling reference"):
        Broken(path)
    with Store(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert [h.exact for h in store.highlights(bid)] == ["Officials"]


def test_the_first_insert_leaves_the_connection_settings_alone(tmp_path: Path) -> None:
    Store(tmp_path / "b.db").close()
    with Store(tmp_path / "b.db") as store:  # no migration this time: no Database built yet
        pragmas = ("recursive_triggers", "foreign_keys", "journal_mode", "synchronous")
        before = [store.conn.execute(f"PRAGMA {p}").fetchone() for p in pragmas]
        add(store)  # the store's first insert builds its sqlite-utils Database
        assert [store.conn.execute(f"PRAGMA {p}").fetchone() for p in pragmas] == before
