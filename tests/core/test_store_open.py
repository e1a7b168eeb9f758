"""Store: opening, schema, pragmas, migrations and refusals (files left untouched)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
from sqlite_utils import Database

from briefing_tui.core.document import Document
from briefing_tui.core.store import MIGRATIONS, Store, StoreError

TABLES = {"briefings", "revisions", "highlights", "speakers", "stances", "topics",
          "highlight_topics", "undo_steps"}


def add(store: Store, title: str = "Talks stall", text: str = "Officials expect no deal.") -> str:
    info = store.add_briefing(title=title, source="Our Wire", published="2025-03-20", url="",
                              path="", fmt="text", source_text=text,
                              document=Document(text=text, fmt="text"), content_hash=title)
    return info.id


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_new_database_in_missing_folder_gets_schema_and_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "briefings.db"
    store = Store(path)
    assert path.is_file()
    conn = store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) == 15
    db = Database(conn)
    assert TABLES <= set(db.table_names())
    for table in TABLES:
        assert db[table].pks == ["id"], table
        assert db[table].columns_dict["id"] is str, table
    store.close()


def test_tables_have_the_agreed_columns(tmp_path: Path) -> None:
    store = Store(tmp_path / "b.db")
    db = Database(store.conn)
    assert set(db["briefings"].columns_dict) == {
        "id", "title", "source", "published", "url", "path", "fmt", "content_hash",
        "revision", "imported", "updated", "encoding", "deleted_at"}
    # The short columns first: a column after a long text is reached through its pages.
    assert list(db["briefing_texts"].columns_dict) == [
        "briefing_id", "reading_head", "doc_blob", "reading_text"]
    # The source in a table of its own (migration 15): its own statement on import.
    assert list(db["briefing_sources"].columns_dict) == ["briefing_id", "source_text"]
    assert db["briefing_sources"].pks == ["briefing_id"]
    assert [(fk.column, fk.other_table) for fk in db["briefing_sources"].foreign_keys] == [
        ("briefing_id", "briefings")]
    assert db["briefing_texts"].pks == ["briefing_id"]
    assert db["briefing_texts"].columns_dict["doc_blob"] is bytes
    assert [(fk.column, fk.other_table) for fk in db["briefing_texts"].foreign_keys] == [
        ("briefing_id", "briefings")]
    assert {"id", "briefing_id", "start", "end", "exact", "prefix", "suffix", "speaker_id",
            "stance_id", "note", "status", "created", "updated", "previous_exact", "created_by",
            "updated_by", "reviewed"} == set(db["highlights"].columns_dict)
    assert db["proposal_rejections"].pks == ["id"]
    assert {"briefing_id", "quote", "speaker", "created_at"} <= set(
        db["proposal_rejections"].columns_dict)
    assert {"briefing_id", "revision", "content_hash", "source_text", "imported"} <= set(
        db["revisions"].columns_dict)
    assert {"name", "role", "affiliation", "aliases"} <= set(db["speakers"].columns_dict)
    assert {"key", "name", "color", "description"} <= set(db["stances"].columns_dict)
    assert {"highlight_id", "topic_id"} <= set(db["highlight_topics"].columns_dict)
    assert {"briefing_id", "description", "changes"} <= set(db["undo_steps"].columns_dict)
    index_columns = [index.columns for index in db["highlights"].indexes]
    assert ["briefing_id", "start"] in index_columns
    fks = {(fk.column, fk.other_table) for fk in db["highlights"].foreign_keys}
    assert fks == {("briefing_id", "briefings"), ("speaker_id", "speakers"),
                   ("stance_id", "stances")}
    actions = {row[3]: row[6] for row in store.conn.execute(
        "PRAGMA foreign_key_list(highlights)")}
    assert actions == {"briefing_id": "CASCADE", "speaker_id": "SET NULL",
                       "stance_id": "SET NULL"}
    store.close()


def test_default_stance_set(tmp_path: Path) -> None:
    store = Store(tmp_path / "b.db")
    stances = store.stances()
    assert [(s.key, s.name) for s in stances] == [
        (1, "supports"), (2, "opposes"), (3, "conditional"), (4, "neutral")]
    assert stances[0].color == "#2e9e44"
    assert all(s.color.startswith("#") and len(s.color) == 7 for s in stances)
    assert len({s.id for s in stances}) == 4
    assert store.stance_by_key(2) == stances[1]
    assert store.stance_by_key(9) is None
    store.close()


def test_reopening_keeps_data_and_runs_no_migration(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    with Store(path) as store:
        bid = add(store)
        stance_ids = [s.id for s in store.stances()]
    with Store(path) as store:
        assert [b.id for b in store.list_briefings()] == [bid]
        assert [s.id for s in store.stances()] == stance_ids  # not seeded twice


@pytest.mark.parametrize("content", [
    b"# A Markdown note\n\nnot a database\n",
    bytes(range(256)) * 8,
    b"SQLite format 3\x00" + b"\xff" * 4080,  # right magic, garbage after it
])
def test_non_sqlite_file_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    with pytest.raises(StoreError) as caught:
        Store(path)
    assert str(caught.value) == f"{path} is not a briefing-tui database (not SQLite)"
    assert "\n" not in str(caught.value)
    assert files_in(tmp_path) == {"notes.db": content}


def test_foreign_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = files_in(tmp_path)
    with pytest.raises(StoreError, match="not a briefing-tui database"):
        Store(path)
    assert files_in(tmp_path) == before


def test_newer_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE briefings (id TEXT PRIMARY KEY)")
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = files_in(tmp_path)
    with pytest.raises(StoreError, match="newer version of briefing-tui") as caught:
        Store(path)
    assert "schema 99" in str(caught.value)
    assert files_in(tmp_path) == before


MIGRATION_CALLS: list[int] = []


class StoreV2(Store):
    """The code of a future version: one more migration."""

    @staticmethod
    def _add_pinned(db: Database) -> None:
        MIGRATION_CALLS.append(2)
        db.execute("ALTER TABLE highlights ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0")
        db.execute("CREATE TABLE bookmarks (id TEXT PRIMARY KEY, briefing_id TEXT)")

    MIGRATIONS = (*MIGRATIONS, _add_pinned)


def test_newer_wal_database_from_a_later_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    StoreV2(path).close()
    before = files_in(tmp_path)
    assert list(before) == ["b.db"]
    with pytest.raises(StoreError, match="newer version"):
        Store(path)
    assert files_in(tmp_path) == before


def test_migration_upgrades_an_older_database_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    with Store(path) as store:
        bid = add(store)
        hid = store.create_highlight(bid, 0, 9).id
    MIGRATION_CALLS.clear()
    with StoreV2(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) + 1
        assert store.conn.execute("SELECT pinned FROM highlights WHERE id = ?",
                                  (hid,)).fetchone() == (0,)
        assert "bookmarks" in Database(store.conn).table_names()
        assert store.highlight(hid).exact == "Officials"
    with StoreV2(path):
        pass
    assert MIGRATION_CALLS == [2]  # ran once, not on the second open


def test_fresh_database_runs_every_migration_in_order(tmp_path: Path) -> None:
    MIGRATION_CALLS.clear()
    with StoreV2(tmp_path / "b.db") as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) + 1
        assert len(store.stances()) == 4  # migration 1 ran before 2
    assert MIGRATION_CALLS == [2]


def test_failing_migration_rolls_back_completely(tmp_path: Path) -> None:
    def broken(db: Database) -> None:
        db.execute("CREATE TABLE half_done (id TEXT PRIMARY KEY)")
        raise RuntimeError("migration bug")

    class Broken(Store):
        MIGRATIONS = (*MIGRATIONS, broken)

    path = tmp_path / "b.db"
    Store(path).close()
    with pytest.raises(RuntimeError):
        Broken(path)
    with Store(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert "half_done" not in Database(store.conn).table_names()


def test_empty_file_becomes_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    path.touch()
    with Store(path) as store:
        assert len(store.stances()) == 4


def test_folder_instead_of_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        Store(tmp_path)


def test_forced_read_only_reads_and_refuses_every_mutation(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    with Store(path) as store:
        bid = add(store)
        hid = store.create_highlight(bid, 0, 9).id
        speaker_id = store.create_speaker("Dmitry Peskov").id
    before = files_in(tmp_path)
    store = Store(path, readonly=True)
    assert store.readonly
    assert store.highlight(hid).exact == "Officials"
    assert [b.id for b in store.list_briefings()] == [bid]
    stance_id = store.stances()[0].id
    text = "Officials expect a deal."
    mutations = [
        lambda: add(store, "Another"),
        lambda: store.update_briefing_text(bid, source_text=text, content_hash="x",
                                           document=Document(text=text)),
        lambda: store.create_highlight(bid, 0, 3),
        lambda: store.set_stance(hid, stance_id),
        lambda: store.set_speaker(hid, speaker_id),
        lambda: store.set_note(hid, "n"),
        lambda: store.set_topics(hid, ["x"]),
        lambda: store.reattach_highlight(hid, 0, 3),
        lambda: store.delete_highlight(hid),
        lambda: store.create_speaker("Someone"),
        lambda: store.update_speaker(speaker_id, role="spokesman"),
        lambda: store.undo(),
        lambda: store.redo(),
    ]
    for mutate in mutations:
        with pytest.raises(StoreError, match="^database is read-only$"):
            mutate()
    store.close()
    # A read-only WAL reader may leave SQLite's empty -wal/-shm beside it; the data is intact.
    after = files_in(tmp_path)
    assert after["b.db"] == before["b.db"]
    assert set(after) <= {"b.db", "b.db-wal", "b.db-shm"}
    assert after.get("b.db-wal", b"") == b""


# Permissions: root ignores them, so the checks run in a child that drops to `nobody`.
_CHILD = textwrap.dedent("""
    import os, sys
    from briefing_tui.core.store import Store, StoreError
    if os.getuid() == 0:
        os.setgid(65534)
        os.setuid(65534)
    try:
        store = Store(sys.argv[1])
    except StoreError as error:
        print("refused:", error)
        raise SystemExit(0)
    print("readonly:", store.readonly, "briefings:", len(store.list_briefings()))
    try:
        store.create_speaker("Someone")
        print("wrote")
    except StoreError as error:
        print("mutation:", error)
""")


def _run_child(path: Path) -> str:
    result = subprocess.run([sys.executable, "-c", _CHILD, str(path)], check=False,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture
def open_folder():
    """A folder everyone may enter (pytest's tmp_path is private to its owner)."""
    folder = Path(tempfile.mkdtemp(prefix="store-perm-"))
    folder.chmod(0o755)
    yield folder
    folder.chmod(0o755)
    shutil.rmtree(folder)


def test_read_only_file_opens_read_only_and_stays_unchanged(open_folder: Path) -> None:
    path = open_folder / "b.db"
    with Store(path) as store:
        add(store)
    path.chmod(0o444)
    before = files_in(open_folder)
    assert _run_child(path) == (
        "readonly: True briefings: 1\nmutation: database is read-only")
    assert files_in(open_folder) == before


def test_read_only_folder_opens_read_only_and_stays_unchanged(open_folder: Path) -> None:
    path = open_folder / "b.db"
    with Store(path) as store:
        add(store)
    path.chmod(0o666)
    open_folder.chmod(0o555)
    before = files_in(open_folder)
    assert _run_child(path) == (
        "readonly: True briefings: 1\nmutation: database is read-only")
    assert files_in(open_folder) == before


def test_new_database_in_read_only_folder_is_refused(open_folder: Path) -> None:
    open_folder.chmod(0o555)
    out = _run_child(open_folder / "b.db")
    assert out == f"refused: cannot create {open_folder / 'b.db'}: the folder is read-only"
    assert os.listdir(open_folder) == []


def test_close_is_idempotent_and_use_after_close_is_a_store_error(tmp_path: Path) -> None:
    store = Store(tmp_path / "b.db")
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.list_briefings()


class StoreV1(Store):
    """The code before migration 2 (briefing encodings): migration 1 only."""

    MIGRATIONS = MIGRATIONS[:1]


def test_version_1_database_gets_the_encoding_column_and_keeps_its_rows(
        tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    with StoreV1(path) as old:
        old.conn.execute(
            "INSERT INTO briefings (id, title, path, fmt, source_text, reading_text,"
            " content_hash, revision) VALUES ('b1', 'Talks stall', '/x/talks.txt', 'text',"
            " 'Officials expect no deal.', 'Officials expect no deal.', 'h1', 1)")
        old.conn.execute("INSERT INTO highlights (id, briefing_id, start, \"end\", exact)"
                         " VALUES ('h1', 'b1', 0, 9, 'Officials')")
        hid = "h1"
        assert old.conn.execute("PRAGMA user_version").fetchone()[0] == 1
        assert "encoding" not in Database(old.conn)["briefings"].columns_dict
    with Store(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        info = store.briefing_info("b1")
        assert (info.title, info.path, info.content_hash, info.highlight_count) == (
            "Talks stall", "/x/talks.txt", "h1", 1)
        assert info.encoding == "utf-8"  # what an import without --encoding read
        assert [i.encoding for i in store.list_briefings()] == ["utf-8"]
        assert store.get_briefing("b1").document.text == "Officials expect no deal."
        assert store.highlight(hid).exact == "Officials"


def test_briefing_encoding_is_stored_and_replaced_by_a_new_revision(tmp_path: Path) -> None:
    text = "Officials expect no deal."
    with Store(tmp_path / "b.db") as store:
        info = store.add_briefing(title="T", source="", published="", url="", path="",
                                  fmt="text", source_text=text,
                                  document=Document(text=text, fmt="text"), content_hash="h",
                                  encoding="cp1252")
        assert info.encoding == "cp1252"
        assert store.get_briefing(info.id).encoding == "cp1252"
        assert add(store, "Other") and {i.title: i.encoding for i in store.list_briefings()} == {
            "T": "cp1252", "Other": "utf-8"}
        updated = store.update_briefing_text(info.id, source_text=text + "!",
                                             document=Document(text=text + "!", fmt="text"),
                                             content_hash="h2")
        assert (updated.revision, updated.encoding) == (2, "utf-8")
        again = store.update_briefing_text(info.id, source_text=text,
                                           document=Document(text=text, fmt="text"),
                                           content_hash="h3", encoding="latin-1")
        assert store.briefing_info(info.id).encoding == again.encoding == "latin-1"
