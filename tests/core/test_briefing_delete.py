"""Deleting a briefing from the library and editing its metadata (issue 14.8).

A delete hides the briefing (``deleted_at``) from every list, view, export and lookup, and
is the library's undo step: ``undo(LIBRARY)`` brings it back with its highlights, and the
step holds no copy of its texts. Metadata edits are undo steps too. Hidden briefings are
purged later; importing the file of one brings it back.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from briefing_tui.cli import cli
from briefing_tui.core import queries
from briefing_tui.core.export import to_markdown
from briefing_tui.core.importer import import_paths
from briefing_tui.core.schema import MIGRATIONS, _migration_8
from briefing_tui.core.store import LIBRARY, Store, StoreError, UndoConflict
from briefing_tui.launch import ensure_samples

KEPT = """---
title: Grain corridor review
source: Example Institute
published: 2025-02-11
---

Shipments rose for the third month in a row. Insurers remain cautious.
"""
GONE = """---
title: Talks stall over the river crossing
source: Test Wire
published: 2025-03-20
url: https://example.org/talks
---

The envoy met both delegations on Monday. Officials said the meeting lasted three hours.
"""


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "b.db"


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    kept, gone = tmp_path / "grain.md", tmp_path / "talks.md"
    kept.write_text(KEPT, encoding="utf-8")
    gone.write_text(GONE, encoding="utf-8")
    return kept, gone


@pytest.fixture
def store(db: Path, files: tuple[Path, Path]) -> Iterator[Store]:
    with Store(db) as opened:
        import_paths(opened, list(files))
        yield opened


def ids(store: Store) -> dict[str, str]:
    return {info.title: info.id for info in store.list_briefings()}


def annotate(store: Store, bid: str) -> str:
    hid = store.create_highlight(bid, 0, 9).id
    store.set_note(hid, "the envoy")
    store.set_topics(hid, ["talks"])
    return hid


def test_a_deleted_briefing_is_hidden_everywhere(store: Store, db: Path) -> None:
    titles = ids(store)
    gone = titles["Talks stall over the river crossing"]
    annotate(store, gone)
    info = store.delete_briefing(gone)
    assert info.title == "Talks stall over the river crossing"
    assert list(ids(store)) == ["Grain corridor review"]
    assert [i.title for i in queries.briefings(store, order="date")] == ["Grain corridor review"]
    assert queries.annotated_highlights(store) == []
    with pytest.raises(StoreError, match="no briefing"):
        queries.briefings(store, [gone])
    for ref in (gone, gone[:8], "river crossing"):
        with pytest.raises(StoreError, match="no briefing matches"):
            store.resolve_briefing(ref)
    assert "river crossing" not in to_markdown(store)
    result = CliRunner().invoke(cli, ["list", "--db", str(db)])
    assert result.exit_code == 0 and "river crossing" not in result.output
    assert "Grain corridor" in result.output
    result = CliRunner().invoke(cli, ["export", "river", "--db", str(db)])
    assert result.exit_code != 0
    # Still there, hidden: its id reads, and says when it was deleted.
    assert store.briefing_info(gone).deleted_at is not None
    assert [i.id for i in store.deleted_briefings()] == [gone]
    with pytest.raises(StoreError, match="already deleted"):
        store.delete_briefing(gone)


def test_undo_in_the_library_brings_it_back_with_its_highlights(store: Store) -> None:
    gone = ids(store)["Talks stall over the river crossing"]
    hid = annotate(store, gone)
    before = store.highlight(hid)
    store.delete_briefing(gone)
    assert store.can_undo(LIBRARY) and store.can_undo(gone)  # the reader's steps are kept
    assert store.undo(LIBRARY) == "delete briefing"
    assert gone in ids(store).values()
    assert store.briefing_info(gone).deleted_at is None
    assert store.highlights(gone) == [before]
    assert store.redo(LIBRARY) == "delete briefing"
    assert gone not in ids(store).values()
    assert store.undo(LIBRARY) == "delete briefing"
    # The reader's own steps are not the library's: undo(LIBRARY) has nothing more.
    assert store.undo(LIBRARY) is None
    assert store.undo(gone) == "set topics"


def test_the_undo_step_holds_no_copy_of_the_texts(store: Store) -> None:
    gone = ids(store)["Talks stall over the river crossing"]
    store.delete_briefing(gone)
    [changes] = [json.loads(r[0]) for r in store.conn.execute(
        "SELECT changes FROM undo_steps WHERE description = 'delete briefing'")]
    assert [c["table"] for c in changes] == ["briefings"]
    assert set(changes[0]["after"]) == {"id", "deleted_at", "updated"}
    assert "envoy" not in json.dumps(changes)


def test_metadata_is_edited_and_undone(store: Store) -> None:
    bid = ids(store)["Talks stall over the river crossing"]
    info = store.set_briefing_metadata(bid, title="  River talks  stall ", source="Wire",
                                       published="2025-03-21", url="https://example.org/r")
    assert (info.title, info.source, info.published, info.url) == (
        "River talks stall", "Wire", "2025-03-21", "https://example.org/r")
    assert store.resolve_briefing("River talks").id == bid
    assert store.undo(LIBRARY) == "edit briefing"
    back = store.briefing_info(bid)
    assert (back.title, back.source, back.published, back.url) == (
        "Talks stall over the river crossing", "Test Wire", "2025-03-20",
        "https://example.org/talks")
    assert store.redo(LIBRARY) == "edit briefing"
    assert store.briefing_info(bid).title == "River talks stall"
    # Only what is given changes; nothing changed records nothing.
    store.set_briefing_metadata(bid, source="Wire")
    assert store.undo(LIBRARY) == "edit briefing"
    assert store.briefing_info(bid).title == "Talks stall over the river crossing"
    assert store.undo(LIBRARY) is None
    with pytest.raises(StoreError, match="needs a title"):
        store.set_briefing_metadata(bid, title="   ")


def test_undo_refused_when_another_instance_changed_the_briefing(store: Store,
                                                                 db: Path) -> None:
    bid = ids(store)["Talks stall over the river crossing"]
    store.set_briefing_metadata(bid, title="Mine")
    with Store(db) as other:
        other.set_briefing_metadata(bid, source="Theirs")
    with pytest.raises(UndoConflict, match="changed that briefing since"):
        store.undo(LIBRARY)
    assert store.briefing_info(bid).title == "Mine"


def test_importing_the_file_of_a_deleted_briefing_brings_it_back(
        store: Store, files: tuple[Path, Path]) -> None:
    gone = ids(store)["Talks stall over the river crossing"]
    hid = annotate(store, gone)
    store.delete_briefing(gone)
    [result] = import_paths(store, [files[1]])
    assert (result.briefing_id, result.action) == (gone, "added")
    assert [h.id for h in store.highlights(gone)] == [hid]
    with pytest.raises(UndoConflict):  # the delete was overtaken by the import
        store.undo(LIBRARY)
    assert gone in ids(store).values()


def test_purge_drops_what_was_deleted_before_a_time(store: Store) -> None:
    gone = ids(store)["Talks stall over the river crossing"]
    annotate(store, gone)
    store.delete_briefing(gone)
    assert store.purge_deleted("2000-01-01T00:00:00.000+00:00") == 0
    assert store.purge_deleted("9999-12-31T00:00:00.000+00:00") == 1
    assert store.deleted_briefings() == []
    assert store.conn.execute("SELECT COUNT(*) FROM highlights").fetchone()[0] == 0
    assert store.conn.execute("SELECT COUNT(*) FROM briefing_texts").fetchone()[0] == 1
    assert store.conn.execute("SELECT COUNT(*) FROM undo_steps WHERE briefing_id = ?",
                              (gone,)).fetchone()[0] == 0


def test_samples_are_not_imported_again_once_all_are_deleted(store: Store) -> None:
    for bid in ids(store).values():
        store.delete_briefing(bid)
    assert ensure_samples(store) == []


def test_the_migration_adds_the_column_once_and_keeps_the_data(db: Path) -> None:
    # Whatever its number once merged: the schema just before it.
    class Before(Store):
        MIGRATIONS = MIGRATIONS[:MIGRATIONS.index(_migration_8)]

    with Before(db) as old:
        assert "deleted_at" not in Database(old.conn)["briefings"].columns_dict
    with Store(db) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert "deleted_at" in Database(store.conn)["briefings"].columns_dict
        # Run again (as under another number after a merge): nothing changes, no error.
        _migration_8(store.db)
        columns = [c for c in Database(store.conn)["briefings"].columns_dict
                   if c == "deleted_at"]
        assert columns == ["deleted_at"]
