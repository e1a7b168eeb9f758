"""Migration 3: the long texts leave ``briefings`` for ``briefing_texts``, after the layout.

A database of schema 2 is written here with raw SQL (today's store code reads and writes
``briefing_texts``), then opened by today's store.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from briefing_tui.core.document import Document, parse_markdown
from briefing_tui.core.schema import READING_HEAD
from briefing_tui.core.store import MIGRATIONS, Store

PARAGRAPH = 'The spokesman said talks were **unlikely** to bring "instant results".\n\n'
SOURCE = "# Talks\n\n" + PARAGRAPH * (READING_HEAD // len(PARAGRAPH) + 40)


class StoreV2(Store):
    """The code before migration 3: the texts are columns of ``briefings``."""

    MIGRATIONS = MIGRATIONS[:2]


def schema_2_database(path: Path) -> Document:
    """A schema-2 database with one long Markdown briefing, a highlight and a revision."""
    document = parse_markdown(SOURCE)
    assert document.length > READING_HEAD
    with StoreV2(path) as old:
        old.conn.execute(
            "INSERT INTO briefings (id, title, fmt, source_text, reading_text, doc_blob,"
            " content_hash, revision, imported, encoding) VALUES"
            " ('b1', 'Talks', 'markdown', ?, ?, ?, 'h2', 2, '2026-11-01', 'cp1252')",
            (SOURCE, document.text, document.to_blob()))
        old.conn.execute(
            "INSERT INTO briefings (id, title, fmt, source_text, reading_text, content_hash)"
            " VALUES ('b2', 'Short', 'text', 'Short one.', 'Short one.', 'h')")
        old.conn.execute("INSERT INTO highlights (id, briefing_id, start, \"end\", exact)"
                         " VALUES ('h1', 'b1', 0, 5, 'Talks')")
        old.conn.execute("INSERT INTO revisions (id, briefing_id, revision, source_text)"
                         " VALUES ('r1', 'b1', 1, '# Talks, first draft')")
        assert old.conn.execute("PRAGMA user_version").fetchone()[0] == 2
    return document


def test_migration_3_moves_the_texts_and_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    document = schema_2_database(path)
    with Store(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) == 15
        columns = Database(store.conn)["briefings"].columns_dict
        assert not {"source_text", "reading_text", "doc_blob"} & set(columns)
        head, blob = store.conn.execute(
            "SELECT reading_head, doc_blob FROM briefing_texts WHERE briefing_id = 'b1'"
        ).fetchone()
        assert head == document.text[:READING_HEAD] and blob == document.to_blob()
        info = store.briefing_info("b1")
        assert (info.title, info.revision, info.encoding, info.highlight_count) == (
            "Talks", 2, "cp1252", 1)
        got = store.get_briefing("b1")
        assert got.source_text == SOURCE and got.document == document
        assert store.get_briefing("b2").document.text == "Short one."
        assert store.highlight("h1").exact == "Talks"  # no cascade from the rebuilt table
        assert store.conn.execute("SELECT source_text FROM revisions").fetchall() == [
            ("# Talks, first draft",)]


def test_a_migrated_briefing_opens_by_its_head_and_takes_a_new_revision(
        tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    document = schema_2_database(path)
    with Store(path) as store:
        opened = store.get_briefing("b1", with_source=False, text_head=READING_HEAD).document
        assert not opened.text_loaded
        assert opened.text_between(0, 7) == "Talks\n\n"
        assert opened.text == document.text
        store.update_briefing_text("b1", source_text="New words.",
                                   document=Document(text="New words.", fmt="text"),
                                   content_hash="h3")
    with Store(path) as store:  # a fresh store: no cached text
        assert store.get_briefing("b1").document.text == "New words."
        assert store.source_text("b1") == "New words."
        assert store.conn.execute(
            "SELECT reading_head FROM briefing_texts WHERE briefing_id = 'b1'"
        ).fetchone() == ("New words.",)


def test_without_drop_column_the_old_columns_stay_empty(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "b.db"
    document = schema_2_database(path)
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 34, 1))  # before DROP COLUMN
    with Store(path) as store:
        assert store.conn.execute(
            "SELECT source_text, reading_text, doc_blob FROM briefings").fetchall() == [
                ("", "", None), ("", "", None)]
        assert store.get_briefing("b1").document == document
        added = store.add_briefing(title="New", source="", published="", url="", path="",
                                   fmt="text", source_text="x",
                                   document=Document(text="Fresh text.", fmt="text"),
                                   content_hash="n")
        assert store.get_briefing(added.id).document.text == "Fresh text."
