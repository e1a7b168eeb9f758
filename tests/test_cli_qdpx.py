"""`briefing-tui export --format qdpx` (#16.3) on the command line."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing_tui import paths
from briefing_tui.cli import cli
from briefing_tui.core.store import Store
from tests.hostile import PAYLOAD, UNSAFE, annotate_hostile, write_hostile


@pytest.fixture()
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.delenv(paths.DB_ENV, raising=False)
    monkeypatch.setattr(paths, "default_db_path", lambda: tmp_path / "default" / "briefings.db")
    return CliRunner()


def run(runner: CliRunner, *args: str):
    return runner.invoke(cli, list(args), catch_exceptions=False)


def test_export_qdpx_one_and_all(runner, tmp_path):
    db = tmp_path / "a.db"
    assert run(runner, "import", str(paths.samples_dir()), str(write_hostile(tmp_path)),
               "--db", str(db)).exit_code == 0
    store = Store(db)
    try:
        hostile = next(i for i in store.list_briefings() if "Hostile" in i.title)
        annotate_hostile(store, hostile.id)
    finally:
        store.close()
    out = tmp_path / f"all{PAYLOAD[:4]}.qdpx"
    result = run(runner, "export", "--all", "--format", "qdpx", "-o", str(out), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert UNSAFE.search(result.output) is None
    assert "(5 sources, 9 selections, 9 notes)" in result.stdout
    assert len(zipfile.ZipFile(out).namelist()) == 6
    one = tmp_path / "one.qdpx"
    result = run(runner, "export", hostile.id[:8], "--format", "qdpx", "-o", str(one),
                 "--db", str(db))
    assert result.exit_code == 0 and "(1 source, 9 selections" in result.stdout
    again = run(runner, "export", hostile.id[:8], "--format", "qdpx", "-o", str(one),
                "--db", str(db))
    assert again.exit_code == 1 and len(again.stderr.splitlines()) == 1
    to_stdout = run(runner, "export", "--format", "qdpx", "--db", str(db))
    assert to_stdout.exit_code == 2 and "give -o FILE.qdpx" in to_stdout.stderr
    assert to_stdout.stdout == ""
