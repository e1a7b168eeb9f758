"""`briefing-tui import-annotations FILE` (#16.2) on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing_tui import paths
from briefing_tui.cli import cli
from briefing_tui.core.store import Store
from tests.hostile import PAYLOAD, UNSAFE, write_hostile


@pytest.fixture()
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.delenv(paths.DB_ENV, raising=False)
    monkeypatch.setattr(paths, "default_db_path", lambda: tmp_path / "default" / "briefings.db")
    return CliRunner()


def run(runner: CliRunner, *args: str):
    return runner.invoke(cli, list(args), catch_exceptions=False)


def count(db: Path) -> int:
    store = Store(db)
    try:
        return sum(len(store.highlights(i.id)) for i in store.list_briefings())
    finally:
        store.close()


def test_round_trip_through_the_command_line(runner, tmp_path):
    src, dst = tmp_path / "a.db", tmp_path / "b.db"
    hostile = write_hostile(tmp_path)
    for db in (src, dst):
        assert run(runner, "import", str(hostile), "--db", str(db)).exit_code == 0
    store = Store(src)
    try:
        [info] = store.list_briefings()
        h = store.create_highlight(info.id, 0, 20)
        store.set_new_speaker(h.id, f"@Name{PAYLOAD}")
        store.set_note(h.id, f"=note{PAYLOAD}")
    finally:
        store.close()
    out = tmp_path / "h.json"
    assert run(runner, "export", "--all", "--format", "json", "-o", str(out),
               "--db", str(src)).exit_code == 0
    result = run(runner, "import-annotations", str(out), "--db", str(dst))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1 highlight added to 1 briefing (1 by position")
    assert "new speaker '@Name␛]0;" in result.stdout
    assert UNSAFE.search(result.output) is None
    assert count(dst) == 1


def test_refusals_are_one_line_and_change_nothing(runner, tmp_path):
    db = tmp_path / "b.db"
    assert run(runner, "import", str(write_hostile(tmp_path)), "--db", str(db)).exit_code == 0
    foreign = tmp_path / f"foreign{PAYLOAD[:5]}.json"
    foreign.write_text(json.dumps([{"type": "Annotation", "target": {
        "source": f"https://elsewhere.example/{PAYLOAD}",
        "selector": {"type": "TextQuoteSelector", "exact": "Hostile"}}}]))
    not_json = tmp_path / "n.json"
    not_json.write_text("{not json")
    for path, fragment in ((foreign, "does not hold: https://elsewhere.example/"),
                           (not_json, "not JSON"),
                           (tmp_path / "missing.json", "cannot read")):
        result = run(runner, "import-annotations", str(path), "--db", str(db))
        assert result.exit_code == 1
        assert len(result.stderr.splitlines()) == 1 and fragment in result.stderr
        assert UNSAFE.search(result.output) is None
    assert count(db) == 0
