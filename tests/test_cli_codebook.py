"""`briefing-tui codebook export|import` (#16.1) on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing_tui import paths
from briefing_tui.cli import cli
from briefing_tui.core.codebook import Codebook, CodebookSpeaker, CodebookStance, to_toml
from briefing_tui.core.store import Store
from tests.hostile import PAYLOAD, UNSAFE


@pytest.fixture()
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.delenv(paths.DB_ENV, raising=False)
    monkeypatch.setattr(paths, "default_db_path", lambda: tmp_path / "default" / "briefings.db")
    return CliRunner()


def run(runner: CliRunner, *args: str):
    return runner.invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize("suffix", [".toml", ".qdc"])
def test_export_then_import_into_an_empty_database(runner, tmp_path, suffix):
    src = tmp_path / "a.db"
    store = Store(src)
    try:
        store.create_speaker("Dmitry Peskov", "spokesman", "Kremlin", ["Peskov"])
    finally:
        store.close()
    file = tmp_path / f"book{suffix}"
    out = run(runner, "codebook", "export", str(file), "--db", str(src))
    assert out.exit_code == 0 and out.stdout.startswith("wrote ")
    again = run(runner, "codebook", "export", str(file), "--db", str(src))
    assert again.exit_code == 1 and "already exists" in again.stderr
    done = run(runner, "codebook", "import", str(file), "--db", str(tmp_path / "b.db"))
    assert done.exit_code == 0, done.output
    assert "added speaker 'Dmitry Peskov'" in done.stdout
    assert "1 added, 0 updated, 0 clashes" in done.stderr
    store = Store(tmp_path / "b.db")
    try:
        [speaker] = store.speakers()
        assert (speaker.role, speaker.affiliation, speaker.aliases) == (
            "spokesman", "Kremlin", ("Peskov",))
    finally:
        store.close()


def test_not_a_codebook_is_one_line_and_changes_nothing(runner, tmp_path):
    bad = tmp_path / "notes.toml"
    bad.write_text("# just notes\nthis = 'is a config'\n")
    db = tmp_path / "b.db"
    result = run(runner, "codebook", "import", str(bad), "--db", str(db))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "not a codebook" in result.stderr
    assert not db.exists()  # the file is read before the database is opened
    qdc = tmp_path / "x.qdc"
    qdc.write_text("<html/>")
    result = run(runner, "codebook", "import", str(qdc), "--db", str(db))
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    result = run(runner, "codebook", "export", str(tmp_path / "x.csv"), "--db", str(db))
    assert result.exit_code == 1 and "use a .toml or .qdc file" in result.stderr


def test_hostile_names_print_no_control(runner, tmp_path):
    book = tmp_path / f"book{PAYLOAD[:3]}.toml"
    book.write_text(to_toml(Codebook(
        stances=(CodebookStance(f"=s{PAYLOAD}", 4, "#000000", f"d{PAYLOAD}"),),
        speakers=(CodebookSpeaker(f"@x{PAYLOAD}", f"r{PAYLOAD}"),),
        topics=(f"t{PAYLOAD}",))), encoding="utf-8")
    db = tmp_path / "b.db"
    result = run(runner, "codebook", "import", str(book), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert UNSAFE.search(result.output) is None
    assert "added speaker '@x␛]0;" in result.stdout
    result = run(runner, "codebook", "import", str(tmp_path / f"missing{PAYLOAD}.toml"),
                 "--db", str(db))
    assert result.exit_code == 1 and UNSAFE.search(result.output) is None
    for suffix in (".toml", ".qdc"):
        out = run(runner, "codebook", "export", str(tmp_path / f"out{PAYLOAD[:4]}{suffix}"),
                  "--db", str(db))
        assert out.exit_code == 0 and UNSAFE.search(out.output) is None
