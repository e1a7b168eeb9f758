"""``briefing-tui import FOLDER`` says how far it is on stderr (a line redrawn in place on a
terminal, a line every N files in a log); stdout keeps one line per file for scripts, and
file names from the folder reach the terminal escaped."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing_tui import cli as cli_mod
from briefing_tui.cli import cli
from tests.hostile import UNSAFE as CONTROLS

ESC = "\x1b"


def folder(tmp_path: Path, count: int) -> Path:
    root = tmp_path / "many"
    root.mkdir()
    for n in range(count):
        (root / f"{n:02}.md").write_text(f"# Briefing {n}\n\nText {n}.\n", encoding="utf-8")
    return root


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_a_log_gets_a_progress_line_every_n_files_and_stdout_is_unchanged(
        tmp_path: Path, monkeypatch) -> None:
    root = folder(tmp_path, 5)
    monkeypatch.setattr(cli_mod._ImportProgress, "EVERY", 2)
    result = run("import", str(root), "--db", str(tmp_path / "a.db"))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        "briefing-tui: [2/5] checking files", "briefing-tui: [4/5] checking files",
        "briefing-tui: [5/5] checking files", "briefing-tui: [2/5] importing files",
        "briefing-tui: [4/5] importing files", "briefing-tui: [5/5] importing files",
        "briefing-tui: 5 files: 5 added, 0 updated, 0 unchanged"]
    # stdout: exactly the lines an import without progress prints, one per file.
    monkeypatch.setattr(cli_mod._ImportProgress, "EVERY", 10_000)
    quiet = run("import", str(root), "--db", str(tmp_path / "b.db"))
    shape = re.compile(r"added      Briefing \d  \([0-9a-f]{8}\)")
    assert len(result.stdout.splitlines()) == 5
    assert all(shape.fullmatch(line) for line in result.stdout.splitlines())
    assert ([line[:22] for line in result.stdout.splitlines()]
            == [line[:22] for line in quiet.stdout.splitlines()])
    assert quiet.stderr.splitlines() == ["briefing-tui: 5 files: 5 added, 0 updated, 0 unchanged"]


def test_a_small_folder_in_a_log_has_no_progress_lines(tmp_path: Path) -> None:
    result = run("import", str(folder(tmp_path, 3)), "--db", str(tmp_path / "a.db"))
    assert result.stderr == "briefing-tui: 3 files: 3 added, 0 updated, 0 unchanged\n"


class _TTY(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture()
def tty_stderr() -> _TTY:
    return _TTY()


def progress_on(err: _TTY, monkeypatch) -> cli_mod._ImportProgress:
    """An ``_ImportProgress`` writing to ``err`` as to a terminal (set in the test itself:
    pytest's capture puts its own stderr back between a fixture and the test)."""
    monkeypatch.setattr("sys.stderr", err)
    return cli_mod._ImportProgress()


def test_a_terminal_gets_one_line_redrawn_in_place_and_erased(tmp_path: Path,
                                                             tty_stderr: _TTY,
        monkeypatch) -> None:
    progress = progress_on(tty_stderr, monkeypatch)
    assert progress.tty
    progress.show("checking", 1, 120, tmp_path / "first-long-name.md")
    progress.show("importing", 12, 120, tmp_path / "b.md")
    progress.clear()
    out = tty_stderr.getvalue()
    assert "\n" not in out
    frames = out.split("\r")
    assert frames[1] == "[  1/120] checking first-long-name.md"
    # The shorter line covers the longer one with spaces.
    assert frames[2].rstrip() == "[ 12/120] importing b.md"
    assert len(frames[2]) == len(frames[1])
    assert frames[3].strip() == "" and out.endswith("\r")


def test_hostile_file_names_reach_the_terminal_escaped(tmp_path: Path, tty_stderr: _TTY,
        monkeypatch) -> None:
    progress = progress_on(tty_stderr, monkeypatch)
    for name in (f"{ESC}]0;pwned\a{ESC}[2J.md", "bidi\u202egnp.md", "c1\x9bx.md"):
        progress.show("importing", 1, 2, tmp_path / name)
    out = tty_stderr.getvalue().replace("\r", "")
    assert not CONTROLS.search(out), repr(out)
    assert "\\x1b]0;pwned" in out


def test_a_single_file_shows_no_progress(tmp_path: Path, tty_stderr: _TTY,
        monkeypatch) -> None:
    progress = progress_on(tty_stderr, monkeypatch)
    progress.show("importing", 1, 1, tmp_path / "a.md")
    progress.clear()
    assert tty_stderr.getvalue() == ""
