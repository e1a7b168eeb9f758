"""``briefing-tui search QUERY [--limit N] [--json]`` (issue 13.6), through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing_tui import paths
from briefing_tui.cli import cli
from briefing_tui.core.store import Store
from tests.hostile import PAYLOAD, UNSAFE

SAMPLES = Path(__file__).resolve().parents[1] / "sample_briefings"


@pytest.fixture()
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(paths.DB_ENV, raising=False)
    path = tmp_path / "test.db"
    result = CliRunner().invoke(cli, ["import", str(SAMPLES), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def run(db: Path, *args: str):
    return CliRunner().invoke(cli, ["search", *args, "--db", str(db)], catch_exceptions=False)


def test_json_lines_give_briefing_title_date_offsets_and_snippet(db: Path) -> None:
    result = run(db, "окупації", "--json")
    assert result.exit_code == 0, result.output
    [line] = result.stdout.splitlines()
    hit = json.loads(line)
    assert {"briefing_id", "title", "date", "start", "end", "snippet"} <= hit.keys()
    with Store(db) as store:
        text = store.get_briefing(hit["briefing_id"]).document.text
    assert text[hit["start"]:hit["end"]] == "окупації"
    assert "окупації" in hit["snippet"]


def test_the_table_has_one_line_per_hit_and_limit_caps_it(db: Path) -> None:
    result = run(db, "instant", "results")
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and all("instant results" in line for line in lines)
    assert len(run(db, "instant results", "--limit", "1").stdout.splitlines()) == 1
    assert run(db, "zzzunfound").stdout == "No matches.\n"


@pytest.mark.parametrize("query", ['"', "-(", "NOT AND", "a:b*", "NEAR("])
def test_fts_syntax_in_a_query_is_no_error(db: Path, query: str) -> None:
    result = CliRunner().invoke(cli, ["search", "--db", str(db), "--json", "--", query])
    assert result.exit_code == 0 and "Traceback" not in result.output


def test_a_missing_database_is_one_error_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["search", "x", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no database" in result.stderr


def test_hostile_titles_and_snippets_reach_the_terminal_inert(db: Path, tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(f"kompromat {PAYLOAD} title\n\nThe kompromat {PAYLOAD} file.\n",
                       encoding="utf-8")
    with Store(db) as store:
        from briefing_tui.core.importer import import_paths

        [result] = import_paths(store, [hostile])
        store.set_briefing_metadata(result.briefing_id, title=f"Kompromat {PAYLOAD}")
    for args in (("kompromat",), ("kompromat", "--json")):
        out = run(db, *args).stdout
        assert "ompromat" in out
        assert not UNSAFE.search(out), repr(out)
