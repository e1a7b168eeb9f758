"""Migration 15: each briefing's source text leaves ``briefing_texts`` for
``briefing_sources``, and an import writes it there in a statement of its own, before the
reading text's row, which is indexed for search by a statement of its own after it (what
keeps the import's peak memory down: see the migration).

A schema-14 database is written by today's store under the old schema (its source still
in ``briefing_texts``), then opened by today's store.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from briefing_tui.core import importer, markdown_render
from briefing_tui.core.document import Document, parse_markdown
from briefing_tui.core.importer import import_paths
from briefing_tui.core.schema import READING_HEAD, _migration_15
from briefing_tui.core.search import search
from briefing_tui.core.store import MIGRATIONS, Store

# Longer than a page (overflow pages), with astral and wide characters.
SOURCE = "# Talks 🙂\n\n" + "The envoy said “we are close” — день 1, 𝕏.\n\n" * 1000
NEWER = "# Talks 🙂\n\nThe envoy left the talks.\n"


class StoreV14(Store):
    """The code before migration 15: the source is a column of ``briefing_texts``."""

    MIGRATIONS = MIGRATIONS[:MIGRATIONS.index(_migration_15)]


def schema_14_database(path: Path) -> dict[str, str]:
    """Two briefings (one re-imported once, one with a highlight), written under schema 14."""
    with StoreV14(path) as old:
        assert "source_text" in Database(old.conn)["briefing_texts"].columns_dict
        first = old.add_briefing(title="Talks", source="", published="", url="", path="",
                                 fmt="markdown", source_text="# Draft\n\nOld words.",
                                 document=parse_markdown("# Draft\n\nOld words."),
                                 content_hash="h1")
        old.update_briefing_text(first.id, source_text=SOURCE,
                                 document=parse_markdown(SOURCE), content_hash="h2")
        second = old.add_briefing(title="Short", source="", published="", url="", path="",
                                  fmt="text", source_text="Short one.",
                                  document=Document(text="Short one.", fmt="text"),
                                  content_hash="h3")
        old.create_highlight(second.id, 0, 5)
        assert old.conn.execute("PRAGMA user_version").fetchone()[0] == 14
    return {"first": first.id, "second": second.id}


def rowids(store: Store) -> list[tuple[int, str]]:
    return store.conn.execute(
        "SELECT rowid, briefing_id FROM briefing_texts ORDER BY rowid").fetchall()


def test_migration_15_moves_the_sources_intact(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    ids = schema_14_database(path)
    with sqlite3.connect(path) as con:
        before = con.execute("SELECT rowid, briefing_id FROM briefing_texts ORDER BY rowid"
                             ).fetchall()
    with Store(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) == 15
        assert "source_text" not in Database(store.conn)["briefing_texts"].columns_dict
        triggers = {r[0] for r in store.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
            " AND tbl_name = 'briefing_texts'")}
        assert triggers == {"briefing_texts_au", "briefing_texts_ad"}  # inserts: own statement
        assert dict(store.conn.execute(
            "SELECT briefing_id, source_text FROM briefing_sources").fetchall()) == {
                ids["first"]: SOURCE, ids["second"]: "Short one."}
        assert store.source_text(ids["first"]) == SOURCE
        assert store.get_briefing(ids["first"]).source_text == SOURCE
        assert store.get_briefing(ids["second"], with_source=False).source_text == ""
        assert store.conn.execute("SELECT source_text FROM revisions").fetchall() == [
            ("# Draft\n\nOld words.",)]
        assert store.highlights(ids["second"])[0].exact == "Short"
        # The search index refers to the rows by rowid: kept, and it agrees with the texts.
        assert rowids(store) == before
        store.conn.execute("INSERT INTO briefing_texts_fts(briefing_texts_fts)"
                           " VALUES ('integrity-check')")
        assert [h.briefing_id for h in search(store, "envoy")] == [ids["first"]]
        # Re-import after the migration: the revision keeps the moved source.
        store.update_briefing_text(ids["first"], source_text=NEWER,
                                   document=parse_markdown(NEWER), content_hash="h4")
        assert store.source_text(ids["first"]) == NEWER
        assert store.conn.execute(
            "SELECT source_text FROM revisions WHERE revision = 2").fetchone() == (SOURCE,)
        # Run again (as under another number after a merge): nothing changes, no error.
        _migration_15(store.db)
        assert store.source_text(ids["first"]) == NEWER


def test_without_drop_column_the_old_column_stays_empty(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "b.db"
    ids = schema_14_database(path)
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 34, 1))  # before DROP COLUMN
    with Store(path) as store:
        assert store.conn.execute("SELECT DISTINCT source_text FROM briefing_texts"
                                  ).fetchall() == [("",)]
        assert store.source_text(ids["first"]) == SOURCE
        store.conn.execute("INSERT INTO briefing_texts_fts(briefing_texts_fts)"
                           " VALUES ('integrity-check')")
        added = store.add_briefing(title="New", source="", published="", url="", path="",
                                   fmt="text", source_text="SOURCE x",
                                   document=Document(text="Fresh text.", fmt="text"),
                                   content_hash="n")
        assert store.source_text(added.id) == "SOURCE x"


def test_a_purged_briefing_takes_its_source_with_it(tmp_path: Path) -> None:
    with Store(tmp_path / "b.db") as store:
        info = store.add_briefing(title="T", source="", published="", url="", path="",
                                  fmt="text", source_text="SOURCE", content_hash="h",
                                  document=Document(text="body", fmt="text"))
        store.delete_briefing(info.id)
        assert store.purge_deleted("9999-12-31T00:00:00.000+00:00") == 1
        assert store.conn.execute("SELECT COUNT(*) FROM briefing_sources").fetchone()[0] == 0


def traced_inserts(store: Store, act) -> list[tuple[str, str]]:
    """The INSERT statements ``act`` runs on the store's connection, in order, as (table,
    statement) with the names' quotes dropped."""
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        act()
    finally:
        store.conn.set_trace_callback(None)
    out: list[tuple[str, str]] = []
    for statement in statements:
        plain = statement.translate(str.maketrans("", "", '"[]`')).strip()
        # (A statement that fires triggers is reported again for each of their steps.)
        if plain.upper().startswith("INSERT") and (not out or out[-1][1] != plain):
            out.append((plain.split(" INTO ", 1)[1].split()[0], plain))
    return out


@pytest.mark.parametrize("big", [False, True])
def test_an_import_writes_the_source_in_a_statement_of_its_own_first(
        tmp_path: Path, big: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if big:  # the UTF-8 path of a big file: the texts handed over as bytes
        monkeypatch.setattr(importer, "SOURCE_CHUNK", 64)
        monkeypatch.setattr(markdown_render, "PIECE_CHARS", 300)
        monkeypatch.setattr(markdown_render, "HEAD_CHARS", READING_HEAD)
    path = tmp_path / "a.md"
    path.write_text(SOURCE, encoding="utf-8")
    with Store(tmp_path / "b.db") as store:
        inserts = [(table, sql) for table, sql in traced_inserts(
            store, lambda: import_paths(store, [path]))
            if table.startswith("briefing_")]
        assert [table for table, _ in inserts] == [
            "briefing_sources", "briefing_texts", "briefing_texts_fts"]
        (_, source), (_, texts), (_, index) = inserts
        assert "SELECT rowid, reading_text FROM briefing_texts WHERE" in index
        assert "reading_text" not in source and "source_text" not in texts
        if big:  # handed over by the function that drops Python's reference
            assert "briefing_tui_handover('source_text')" in source
            assert "briefing_tui_handover('reading_text')" in texts
        bid = store.conn.execute("SELECT id FROM briefings").fetchone()[0]
        assert store.source_text(bid) == SOURCE
        assert store.conn.execute("SELECT typeof(source_text) FROM briefing_sources"
                                  ).fetchone() == ("text",)
        store.conn.execute("INSERT INTO briefing_texts_fts(briefing_texts_fts)"
                           " VALUES ('integrity-check')")
        assert [h.briefing_id for h in search(store, "envoy")] == [bid]
