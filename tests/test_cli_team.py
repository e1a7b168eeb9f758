"""`merge`, `conflicts` and `agreement` on the command line (#15): counts, one-line
refusals, hostile text made safe."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from briefing_tui.cli import cli
from briefing_tui.core.store import Store
from tests.core.test_merge import dump, team  # noqa: F401 - the fixture
from tests.hostile import PAYLOAD, UNSAFE


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_merge_prints_counts_dry_run_changes_nothing(team) -> None:  # noqa: F811
    alice, bob = str(team["alice"]), str(team["bob"])
    before = dump(team["alice"])
    code, out, _ = run("--db", alice, "merge", bob, "--dry-run")
    assert code == 0
    assert "would add: 1 briefings, 3 highlights, 1 topics" in out
    assert "conflicts: 1 new, 1 open" in out and "dry run" in out
    assert dump(team["alice"]) == before
    code, out, _ = run("merge", bob, "--db", alice)
    assert code == 0 and "added: 1 briefings, 3 highlights, 1 topics" in out
    after = dump(team["alice"])
    code, out, _ = run("--db", alice, "merge", bob)
    assert "added: nothing" in out and "conflicts: 0 new, 1 open" in out
    assert dump(team["alice"]) == after


def test_conflicts_list_hostile_text_safely_and_resolve(team) -> None:  # noqa: F811
    with Store(team["bob"], analyst="bob" + PAYLOAD) as bob:
        bob.set_note(team["shared"], PAYLOAD + "=cmd")
    alice = str(team["alice"])
    run("--db", alice, "merge", str(team["bob"]))
    code, out, _ = run("--db", alice, "conflicts")
    assert code == 0
    assert "mine:   by alice" in out and "theirs: by bob" in out
    assert "note: alice thinks" in out
    assert not UNSAFE.search(out)
    code, out, _ = run("--db", alice, "conflicts", "--json")
    [item] = json.loads(out)
    assert item["theirs"]["note"] == PAYLOAD + "=cmd"  # JSON keeps it, escaped by json
    assert not UNSAFE.search(out)
    code, out, _ = run("--db", alice, "conflicts", "resolve", item["id"][:8], "--keep", "theirs")
    assert code == 0 and out.startswith("kept theirs")
    assert run("--db", alice, "conflicts")[1].strip() == "no conflicts"
    with Store(alice) as store:
        assert store.highlight(team["shared"]).note == PAYLOAD + "=cmd"


def test_merge_refusals_are_one_line(tmp_path: Path) -> None:
    target = tmp_path / "t.db"
    Store(target).close()
    newer = tmp_path / "newer.db"
    Store(newer).close()
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    code, out, err = run("--db", str(target), "merge", str(newer))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "newer version of briefing-tui" in err
