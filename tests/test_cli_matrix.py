"""``briefing-tui matrix`` and ``export --all``'s library-wide matrix, hostile names included."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing_tui import paths
from briefing_tui.core.store import Store
from tests.core.test_matrix import add, mark
from tests.hostile import FORMULAS, PAYLOAD, UNSAFE
from tests.test_cli import assert_error, run


@pytest.fixture()
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.delenv(paths.DB_ENV, raising=False)
    monkeypatch.setattr(paths, "default_db_path", lambda: tmp_path / "default" / "briefings.db")
    return CliRunner()


def library(path: Path, hostile: bool = False) -> Path:
    with Store(path) as store:
        march = add(store, "March", "2025-03-10")
        april = add(store, "April", "2025-04-02", source="Other Agency")
        mark(store, march, "Alpha", "Dmitry Peskov", 2, ("ceasefire",))
        mark(store, march, "Beta", "Dmitry Peskov", 2)
        mark(store, april, "Gamma", "Mike Waltz", 1, ("ceasefire",))
        mark(store, april, "Delta", None, None)
        if hostile:
            mark(store, april, "Epsilon", f"{FORMULAS[0]}{PAYLOAD}", 3, (f"t{PAYLOAD}",))
    return path


def test_markdown_by_default_with_totals(runner: CliRunner, tmp_path: Path) -> None:
    db = library(tmp_path / "m.db")
    result = run(runner, "matrix", "--db", str(db))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "# Speaker × stance: whole library"
    assert "| speaker | supports | opposes | conditional | neutral | no stance | total |" in lines
    assert "| Dmitry Peskov | 0 | 2 | 0 | 0 | 0 | 2 |" in lines
    assert lines[-1] == "| **total** | 1 | 2 | 0 | 0 | 1 | 4 |"


def test_filters_and_formats(runner: CliRunner, tmp_path: Path) -> None:
    db = str(library(tmp_path / "m.db"))
    out = run(runner, "matrix", "--db", db, "--topic", "#ceasefire", "--format", "json").stdout
    data = json.loads(out)
    assert out == run(runner, "matrix", "--db", db, "--topic", "ceasefire", "--json").stdout
    assert data["filter"] == {"topic": "ceasefire"}
    assert [(r["speaker"], r["total"]) for r in data["rows"]] == [
        ("Dmitry Peskov", 1), ("Mike Waltz", 1)]
    assert data["rows"][0]["counts"]["opposes"] == 1
    out = run(runner, "matrix", "--db", db, "--since", "April 1, 2025", "--format", "csv").stdout
    rows = list(csv.reader(io.StringIO(out)))
    assert rows == [["speaker", "supports", "opposes", "conditional", "neutral", "no stance",
                     "total"], ["Mike Waltz", "1", "0", "0", "0", "0", "1"],
                    ["Unattributed", "0", "0", "0", "0", "1", "1"]]
    out = run(runner, "matrix", "--db", db, "--until", "2025-03", "--source", "wire",
              "--sort", "name").stdout
    assert "| Dmitry Peskov | 0 | 2 | 0 | 0 | 2 |" in out and "Waltz" not in out


def test_bad_input_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    db = str(library(tmp_path / "m.db"))
    assert_error(run(runner, "matrix", "--db", db, "--since", "someday"), "not a date", code=2)
    assert_error(run(runner, "matrix", "--db", str(tmp_path / "none.db")), "no database")
    assert_error(run(runner, "export", "March", "--all", "--db", db), "not both", code=2)


def test_export_all_gains_the_library_matrix(runner: CliRunner, tmp_path: Path) -> None:
    db = str(library(tmp_path / "m.db"))
    result = run(runner, "export", "--all", "--db", db)
    assert result.exit_code == 0, result.stderr
    head = result.stdout.split("## April")[0]
    assert "## Speaker × stance: all briefings" in head
    assert "| Dmitry Peskov | 0 | 2 | 0 | 0 | 0 | 2 |" in head
    assert run(runner, "export", "--db", db).stdout == result.stdout  # all is the default


def test_hostile_names_never_reach_the_terminal_or_a_formula(runner: CliRunner,
                                                              tmp_path: Path) -> None:
    db = str(library(tmp_path / "m.db", hostile=True))
    for fmt in ("md", "csv", "json"):
        out = run(runner, "matrix", "--db", db, "--format", fmt,
                  "--topic", f"t{PAYLOAD}").stdout
        assert out and not UNSAFE.search(out), fmt
        assert "\x1b" not in out and "\x9b" not in out
    out = run(runner, "matrix", "--db", db, "--format", "csv").stdout
    cells = [row[0] for row in csv.reader(io.StringIO(out))]
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    assert not UNSAFE.search(run(runner, "export", "--all", "--db", db).stdout)
