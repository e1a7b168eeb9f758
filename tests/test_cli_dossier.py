"""``briefing-tui speakers`` and ``briefing-tui dossier`` (issue 13.6): Markdown by default,
``--json``, filters, one-line errors, and no control character of the data on stdout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing_tui.core.store import Store
from tests.core.test_dossier import HOSTILE, three_statements
from tests.test_cli import assert_error, run


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


def _filled(db: Path) -> None:
    with Store(db) as store:
        three_statements(store)


def test_speakers_prints_the_registry_as_markdown_and_json(runner: CliRunner, db: Path) -> None:
    _filled(db)
    result = run(runner, "speakers", "--db", str(db))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("| speaker | role | affiliation | aliases | statements |")
    assert ("| Dmitry Peskov | Kremlin spokesman |  |  | 3 | 2 | 2025-03-20 | 2025-07-02"
            " | 1 | 2 | 0 | 0 | 0 |") in lines
    data = json.loads(run(runner, "speakers", "--json", "--db", str(db)).stdout)
    peskov = next(s for s in data if s["name"] == "Dmitry Peskov")
    assert (peskov["statements"], peskov["briefings"], peskov["first"], peskov["last"]) == (
        3, 2, "2025-03-20", "2025-07-02")
    assert peskov["stances"] == {"supports": 1, "opposes": 2}


def test_dossier_prints_the_stance_over_time_and_every_statement_by_date(
        runner, db: Path) -> None:
    _filled(db)
    result = run(runner, "dossier", "peskov", "--db", str(db))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("# Dmitry Peskov\n")
    assert "| 2025-03 | 1 | 1 | 0 | 0 | 0 | 2 |" in out
    assert "| 2025-07 | 0 | 1 | 0 | 0 | 0 | 1 |" in out
    assert out.index("2025-03-20 — March briefing") < out.index("2025-07-02 — July briefing")
    assert out.count("\n> ") == 3
    topic = run(runner, "dossier", "Dmitry Peskov", "--topic", "#Ceasefire", "--db", str(db))
    assert topic.stdout.count("\n> ") == 1 and "> spokesman repeated" in topic.stdout
    since = json.loads(run(runner, "dossier", "peskov", "--since", "2025-04-01", "--json",
                           "--db", str(db)).stdout)
    assert [s["briefing"] for s in since["statements"]] == ["July briefing"]
    until = json.loads(run(runner, "dossier", "peskov", "--until", "2025-03-20", "--json",
                           "--db", str(db)).stdout)
    assert len(until["statements"]) == 2


def test_dossier_errors_are_one_line(runner, db: Path) -> None:
    _filled(db)
    assert_error(run(runner, "dossier", "nobody", "--db", str(db)), "no speaker 'nobody'")
    assert_error(run(runner, "dossier", "peskov", "--since", "March", "--db", str(db)),
                 "--since wants a date")
    with Store(db) as store:
        store.create_speaker("Dmitry Medvedev")
    assert_error(run(runner, "dossier", "dmitry", "--db", str(db)), "several speakers")


def test_speakers_and_dossier_show_hostile_text_as_placeholders(runner, db: Path) -> None:
    with Store(db) as store:
        _march, _july, peskov, _other = three_statements(store)
        # Raw controls, as a database written before names were cleaned could hold.
        store.conn.execute("UPDATE speakers SET role = ?, aliases = ? WHERE id = ?",
                           (HOSTILE, json.dumps([HOSTILE]), peskov))
        store.conn.execute("UPDATE briefings SET title = ?", (HOSTILE,))
        store.conn.execute("UPDATE highlights SET note = ?, exact = ?", (HOSTILE, HOSTILE))
    for args in (["speakers"], ["speakers", "--json"], ["dossier", "peskov"],
                 ["dossier", "peskov", "--json"]):
        result = run(runner, *args, "--db", str(db))
        assert result.exit_code == 0, result.stderr
        for bad in ("\x1b", "\x07", "\x9b", "\u202e"):
            assert bad not in result.stdout, (args, bad)
