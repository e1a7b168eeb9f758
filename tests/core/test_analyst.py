"""Analyst identity (#15.1): who made and who last changed each highlight."""

from __future__ import annotations

import csv
import getpass
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing_tui.cli import cli
from briefing_tui.core import analyst as analyst_mod
from briefing_tui.core.analyst import current_analyst, set_analyst
from briefing_tui.core.document import parse_text
from briefing_tui.core.export import to_csv, to_json, to_markdown
from briefing_tui.core.schema import MIGRATIONS, _migration_13, new_id
from briefing_tui.core.store import Store
from tests.hostile import FORMULAS, PAYLOAD, UNSAFE

TEXT = "First sentence here. Second sentence there. Third one at the end."


def add(store: Store) -> str:
    doc = parse_text(TEXT)
    return store.add_briefing(title="T", source="", published="", url="", path="",
                              fmt="text", source_text=TEXT, document=doc,
                              content_hash="h1").id


def test_priority_option_env_config_login(monkeypatch, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('analyst = "  Carol   C "\n[keys]\n', encoding="utf-8")
    monkeypatch.setenv("BRIEFING_TUI_CONFIG", str(config))
    monkeypatch.setenv("BRIEFING_TUI_ANALYST", "env-ana")
    set_analyst("opt-ana")
    assert current_analyst() == "opt-ana"
    set_analyst(None)
    assert current_analyst() == "env-ana"
    monkeypatch.delenv("BRIEFING_TUI_ANALYST")
    assert current_analyst() == "Carol C"
    config.write_text("[keys]\n", encoding="utf-8")
    monkeypatch.setattr(getpass, "getuser", lambda: "login-name")
    assert current_analyst() == "login-name"

    def no_user() -> str:
        raise OSError("no user")

    monkeypatch.setattr(getpass, "getuser", no_user)
    assert current_analyst() == analyst_mod.FALLBACK


def test_hostile_analyst_name_is_made_safe(monkeypatch) -> None:
    monkeypatch.setenv("BRIEFING_TUI_ANALYST", PAYLOAD)
    name = current_analyst()
    assert name and not UNSAFE.search(name)


def test_highlights_record_maker_and_last_changer(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    with Store(db, analyst="alice") as alice:
        bid = add(alice)
        h = alice.create_highlight(bid, 0, 20)
        assert (h.created_by, h.updated_by) == ("alice", "alice")
    with Store(db, analyst="bob") as bob:
        assert bob.analyst == "bob"
        stance = bob.stance_by_key(2)
        assert stance is not None
        changed = bob.set_stance(h.id, stance.id)
        assert (changed.created_by, changed.updated_by) == ("alice", "bob")
        bob.set_note(h.id, "n")
        bob.set_topics(h.id, ["x"])
        bob.set_new_speaker(h.id, "Someone")
        assert bob.highlight(h.id).updated_by == "bob"
        # undo brings back the analyst who changed it before
        bob.undo(bid)
        bob.undo(bid)
        bob.undo(bid)
        bob.undo(bid)
        assert bob.highlight(h.id).updated_by == "alice"
        assert [x.created_by for x in bob.highlights(bid)] == ["alice"]


def test_migration_13_fills_existing_rows_with_the_configured_analyst(tmp_path: Path) -> None:
    db = tmp_path / "old.db"

    class Before(Store):
        MIGRATIONS = MIGRATIONS[:11]

    with Before(db) as old:
        old.conn.execute(
            "INSERT INTO briefings (id, title) VALUES ('b1', 'Old')")
        old.conn.execute(
            "INSERT INTO briefing_texts (briefing_id, reading_text) VALUES ('b1', ?)", (TEXT,))
        old.conn.execute(
            'INSERT INTO highlights (id, briefing_id, "start", "end", exact) VALUES'
            " (?, 'b1', 0, 5, 'First')", (new_id(),))
    with Store(db, analyst="carol") as store:
        [h] = store.highlights("b1")
        assert (h.created_by, h.updated_by) == ("carol", "carol")
        assert store.conn.execute("SELECT value FROM database_info WHERE key = 'id'"
                                  ).fetchone()[0]
        _migration_13(store.db)  # idempotent: run again under another number after a merge
        assert store.highlights("b1")[0].created_by == "carol"


def test_exports_show_the_analyst_safely(tmp_path: Path) -> None:
    with Store(tmp_path / "b.db", analyst=FORMULAS[0]) as store:
        bid = add(store)
        h = store.create_highlight(bid, 0, 20)
    with Store(tmp_path / "b.db", analyst=PAYLOAD) as store:
        store.set_note(h.id, "n")
        rows = list(csv.DictReader(io.StringIO(to_csv(store, [bid]))))
        assert rows[0]["created_by"] == "'" + FORMULAS[0]
        assert not UNSAFE.search(rows[0]["updated_by"])
        markdown = to_markdown(store, [bid])
        line = next(x for x in markdown.splitlines() if x.startswith("- Analyst: "))
        assert "changed by" in line and not UNSAFE.search(markdown)
        item = json.loads(to_json(store, [bid]))["first"]["items"][0]
        assert item["creator"]["name"] == FORMULAS[0]
        assert item["modifiedBy"]["name"] == store.analyst


def test_cli_analyst_option_and_env(tmp_path: Path, monkeypatch) -> None:
    src = tmp_path / "a.md"
    src.write_text(TEXT, encoding="utf-8")
    db = tmp_path / "c.db"
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(db), "--analyst", "dora", "import", str(src)])
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        assert store.analyst == "dora"
    set_analyst(None)
    monkeypatch.setenv("BRIEFING_TUI_ANALYST", "eve")
    with Store(db) as store:
        assert store.analyst == "eve"


@pytest.mark.parametrize("names", [("alice", "alice"), ("alice", "bob")])
async def test_sidebar_shows_analysts_when_several(names: tuple[str, str]) -> None:
    from tests.ui.test_sidebar import entry, rows, run

    several = names[0] != names[1]
    hostile = PAYLOAD if several else ""
    app, running = run([entry(0, analyst=names[0], topics=()),
                        entry(1, analyst=names[1] + hostile)])
    async with running as pilot:
        await pilot.pause()
        from briefing_tui.ui.widgets.sidebar import Sidebar

        text = rows(app.query_one(Sidebar))
        assert ("by alice" in text[1]) == several
        assert not any(UNSAFE.search(row) for row in text)


async def test_sidebar_filter_finds_an_analyst() -> None:
    from briefing_tui.ui.widgets.sidebar import Sidebar
    from tests.ui.test_sidebar import entry, run

    app, running = run([entry(0, analyst="alice"), entry(1, analyst="alice → bob")])
    async with running as pilot:
        await pilot.pause()
        sidebar = app.query_one(Sidebar)
        sidebar.set_filter("bob")
        await pilot.pause()
        assert [e.analyst for e in sidebar.visible_entries] == ["alice → bob"]
