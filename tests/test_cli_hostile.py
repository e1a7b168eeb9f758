"""The command line prints no control character from data: `import`, `list`, `export`
to stdout in every format, and error lines naming a path."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing_tui import paths
from briefing_tui.cli import cli
from briefing_tui.core.store import Store
from tests.hostile import (
    PLACEHOLDERS,
    TITLE_MARK,
    UNSAFE,
    add_raw_hostile,
    annotate_hostile,
    write_hostile,
)


@pytest.fixture()
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.delenv(paths.DB_ENV, raising=False)
    monkeypatch.setattr(paths, "default_db_path", lambda: tmp_path / "default" / "briefings.db")
    return CliRunner()


def assert_inert(output: str) -> None:
    """No control character but newline (and CSV's CRLF) reaches the terminal."""
    assert UNSAFE.search(output) is None, repr(UNSAFE.search(output))
    assert "\x1b" not in output and "\x9b" not in output


def test_import_list_and_every_export_print_no_control(runner: CliRunner,
                                                       tmp_path: Path) -> None:
    db = str(tmp_path / "b.db")
    path = write_hostile(tmp_path)
    imported = runner.invoke(cli, ["import", str(path), "--db", db], catch_exceptions=False)
    assert imported.exit_code == 0, imported.output
    assert_inert(imported.stdout)
    assert "␛]0;" + TITLE_MARK in imported.stdout  # shown as placeholders, not dropped

    store = Store(Path(db))
    try:
        [info] = store.list_briefings()
        annotate_hostile(store, info.id)
        add_raw_hostile(store, tmp_path)  # and one stored before any cleaning
    finally:
        store.close()

    listed = runner.invoke(cli, ["list", "--db", db], catch_exceptions=False)
    assert listed.exit_code == 0
    assert_inert(listed.stdout)
    lines = listed.stdout.splitlines()
    assert len(lines) == 3  # header and one line per briefing
    assert all("␛]0;" + TITLE_MARK in line for line in lines[1:])

    for fmt in ("md", "csv", "json"):
        exported = runner.invoke(cli, ["export", "--format", fmt, "--db", db],
                                 catch_exceptions=False)
        assert exported.exit_code == 0, exported.output
        assert_inert(exported.stdout)
        if fmt != "json":
            assert any(mark in exported.stdout for mark in PLACEHOLDERS)


def test_error_lines_naming_a_hostile_path_print_no_control(runner: CliRunner,
                                                            tmp_path: Path) -> None:
    db = str(tmp_path / "b.db")
    missing = str(tmp_path / "no\x1b]0;PWNED\x07such\x9b2J.md")
    result = runner.invoke(cli, ["import", missing, "--db", db], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("briefing-tui: error: ")
    assert_inert(result.stderr)
    # The name is shown (file names escaped by core/pathnames.py, other text as placeholders).
    assert "]0;PWNED" in result.stderr

    bad = tmp_path / "bin\x1b[2J.md"
    bad.write_bytes(b"\x00\x01binary")
    result = runner.invoke(cli, ["import", str(bad), "--db", db], catch_exceptions=False)
    assert result.exit_code == 1 and "binary file" in result.stderr
    assert_inert(result.stderr)
