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


def test_import_qdpx_round_trip_and_refusals(runner, tmp_path):
    src, dst = tmp_path / "a.db", tmp_path / "b.db"
    assert run(runner, "import", str(paths.samples_dir()), "--db", str(src)).exit_code == 0
    store = Store(src)
    try:
        info = store.list_briefings()[0]
        h = store.create_highlight(info.id, 0, 10)
        store.set_new_speaker(h.id, f"@Speaker{PAYLOAD}")
    finally:
        store.close()
    archive = tmp_path / "p.qdpx"
    assert run(runner, "export", "--format", "qdpx", "-o", str(archive),
               "--db", str(src)).exit_code == 0
    result = run(runner, "import-qdpx", str(archive), "--db", str(dst))
    assert result.exit_code == 0, result.output
    assert UNSAFE.search(result.output) is None
    assert "added speaker '@Speaker␛]0;" in result.stdout
    assert "1 highlight added to 1 briefing (1 by position" in result.stdout
    not_zip = tmp_path / f"n{PAYLOAD[:4]}.qdpx"
    not_zip.write_text("plain text")
    missing_db = tmp_path / "none.db"
    result = run(runner, "import-qdpx", str(not_zip), "--db", str(missing_db))
    assert result.exit_code == 1 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "not a zip archive" in result.stderr
    assert UNSAFE.search(result.output) is None
    assert not missing_db.exists()
