"""Bad input on the command line: one clear stderr line, a non-zero exit, no traceback,
and the database byte for byte as it was.

Cases that need a real process (permissions as `nobody`, a lock held by another program,
the app's start-up) run the installed console script.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing_tui import paths
from briefing_tui.cli import cli
from briefing_tui.core.importer import import_paths
from briefing_tui.core.store import Store
from tests.e2e.tmux import console_script
from tests.robustness.badinput import (
    BAD_IMPORTS,
    BIG_BYTES,
    BIG_TITLE,
    as_nobody,
    expected,
    open_folder,
    write_big_briefing,
)
from tests.robustness.common import (
    BRIEFING,
    TITLE,
    files_digest,
    write_lock_held_by_another_program,
)

PREFIX = "briefing-tui: error: "


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.delenv(paths.DB_ENV, raising=False)
    monkeypatch.setattr(paths, "default_db_path", lambda: tmp_path / "default" / "briefings.db")
    return CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database with one briefing."""
    path = tmp_path / "briefings.db"
    source = tmp_path / "pause.md"
    source.write_text(BRIEFING, encoding="utf-8")
    with Store(path) as store:
        import_paths(store, [source])
    return path


def one_line_error(stderr: str, *fragments: str) -> str:
    """The single stderr line, checked for the prefix and every fragment."""
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(PREFIX), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    assert "Traceback" not in stderr
    return lines[0]


def invoke(runner: CliRunner, *args: str):
    return runner.invoke(cli, list(args), catch_exceptions=False)


def run_process(argv: list[str], env: dict[str, str] | None = None,
                timeout: float = 60) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "BRIEFING_TUI_CONFIG": "/nonexistent/config.toml", **(env or {})}
    return subprocess.run(argv, capture_output=True, text=True, env=full_env, timeout=timeout,
                          check=False, stdin=subprocess.DEVNULL)


# --------------------------------------------------------------------------- import


@pytest.mark.parametrize("case", list(BAD_IMPORTS))
def test_import_of_bad_input_is_one_line_and_leaves_the_database(
        runner: CliRunner, db: Path, tmp_path: Path, case: str) -> None:
    make, _ = BAD_IMPORTS[case]
    bad = make(tmp_path)
    before = files_digest(db)
    result = invoke(runner, "import", str(bad), "--db", str(db))
    assert result.exit_code == 1
    assert result.stdout == ""
    one_line_error(result.stderr, *expected(case, bad))
    assert files_digest(db) == before


@pytest.mark.parametrize("case", list(BAD_IMPORTS))
def test_app_launch_with_a_bad_path_is_one_line_and_no_app(
        runner: CliRunner, db: Path, tmp_path: Path, case: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import briefing_tui.ui.app as app_module

    started: list[object] = []
    monkeypatch.setattr(app_module, "BriefingApp", lambda *a, **k: started.append(a))
    bad = BAD_IMPORTS[case][0](tmp_path)
    before = files_digest(db)
    result = invoke(runner, str(bad), "--db", str(db))
    assert result.exit_code == 1
    one_line_error(result.stderr, *expected(case, bad))
    assert started == []
    assert files_digest(db) == before


def test_a_50_mb_file_imports(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    big = write_big_briefing(tmp_path / "big.txt")
    assert big.stat().st_size == BIG_BYTES
    result = invoke(runner, "import", str(big), "--db", str(db))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"added      {BIG_TITLE}  (")
    with Store(db) as store:
        info = store.resolve_briefing(BIG_TITLE)
        assert len(store.get_briefing(info.id).document.text) > 45_000_000


# --------------------------------------------------------------------------- the database


def not_sqlite(tmp_path: Path) -> Path:
    path = tmp_path / "notes.db"
    path.write_text("# My notes\n\nThis is a Markdown file, not a database.\n" * 20)
    return path


def newer(tmp_path: Path) -> Path:
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE briefings (id TEXT PRIMARY KEY)")
    conn.execute("PRAGMA user_version = 42")
    conn.commit()
    conn.close()
    return path


BAD_DATABASES = {
    "not sqlite": (not_sqlite, "is not a briefing-tui database (not SQLite)"),
    "newer version": (newer, "is from a newer version of briefing-tui (schema 42"),
}
COMMANDS = {
    "import": lambda tmp: ["import", str(tmp / "pause.md")],
    "list": lambda tmp: ["list"],
    "export": lambda tmp: ["export"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("kind", list(BAD_DATABASES))
def test_bad_database_is_one_line_for_every_command(
        runner: CliRunner, tmp_path: Path, kind: str, command: str) -> None:
    (tmp_path / "pause.md").write_text(BRIEFING, encoding="utf-8")
    make, fragment = BAD_DATABASES[kind]
    path = make(tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    result = invoke(runner, *COMMANDS[command](tmp_path), "--db", str(path))
    assert result.exit_code == 1
    one_line_error(result.stderr, str(path), fragment)
    # Not a byte written, not even a -wal or -shm file beside it.
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before


@pytest.mark.parametrize("kind", list(BAD_DATABASES))
def test_app_on_a_bad_database_is_one_line_on_stderr_and_exit_1(tmp_path: Path,
                                                                kind: str) -> None:
    """The real console script, as a user starts the app: no traceback, no screen."""
    make, fragment = BAD_DATABASES[kind]
    path = make(tmp_path)
    before = path.read_bytes()
    result = run_process([console_script(), "--db", str(path)])
    assert result.returncode == 1
    one_line_error(result.stderr, fragment)
    assert result.stdout == ""  # the app never drew anything
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


# --------------------------------------------------------------------------- read-only


@pytest.mark.parametrize("where", ["file", "folder"])
def test_read_only_database_lists_and_exports_but_refuses_import(where: str) -> None:
    with open_folder() as folder:
        db = folder / "briefings.db"
        source = folder / "pause.md"
        source.write_text(BRIEFING, encoding="utf-8")
        with Store(db) as store:
            import_paths(store, [source])
        new = folder / "new.md"
        new.write_text("# A new briefing\n\nNothing happened.\n", encoding="utf-8")
        if where == "file":
            db.chmod(0o444)
        else:
            db.chmod(0o666)
            folder.chmod(0o555)
        before = files_digest(db)

        listed = run_process(as_nobody(["list", "--db", str(db)]))
        assert listed.returncode == 0, listed.stderr
        assert TITLE in listed.stdout
        exported = run_process(as_nobody(["export", "--db", str(db)]))
        assert exported.returncode == 0, exported.stderr
        assert f"# {TITLE}" in exported.stdout
        refused = run_process(as_nobody(["import", str(new), "--db", str(db)]))
        assert refused.returncode == 1
        one_line_error(refused.stderr, "database is read-only")
        assert files_digest(db) == before
        folder.chmod(0o755)


def test_new_database_in_a_read_only_folder_is_one_line() -> None:
    with open_folder() as folder:
        data = folder / "data"
        data.mkdir(mode=0o555)
        data.chmod(0o555)
        db = data / "briefings.db"
        source = folder / "pause.md"
        source.write_text(BRIEFING, encoding="utf-8")
        # import creates its database (list and export create none: they say it is missing)
        result = run_process(as_nobody(["import", str(source), "--db", str(db)]))
        assert result.returncode == 1
        one_line_error(result.stderr, f"cannot create {db}: the folder is read-only")
        assert list(data.iterdir()) == []
        listed = run_process(as_nobody(["list", "--db", str(db)]))
        assert listed.returncode == 1
        one_line_error(listed.stderr, f"no database at {db}")
        assert list(data.iterdir()) == []


# --------------------------------------------------------------------------- locked



def test_database_locked_by_another_program_is_one_line_after_the_busy_timeout(
        db: Path, tmp_path: Path) -> None:
    new = tmp_path / "new.md"
    new.write_text("# A new briefing\n\nNothing happened.\n", encoding="utf-8")
    before = files_digest(db)
    with write_lock_held_by_another_program(db):
        script = console_script()
        listed = run_process([script, "list", "--db", str(db)])  # reading still works
        assert listed.returncode == 0, listed.stderr
        assert TITLE in listed.stdout
        # Writing waits for the busy timeout (5 s), then gives up with one line: no hang.
        refused = run_process([script, "import", str(new), "--db", str(db)], timeout=30)
        assert refused.returncode == 1
        one_line_error(refused.stderr, "database is locked by another program (waited 5 s)")
        assert files_digest(db) == before
    # Once the other program lets go, the same import works.
    ok = run_process([console_script(), "import", str(new), "--db", str(db)])
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("added      A new briefing")


# --------------------------------------------------------------------------- export paths


def test_export_into_a_missing_folder_is_one_line(runner: CliRunner, db: Path,
                                                  tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "report.md"
    before = files_digest(db)
    result = invoke(runner, "export", "-o", str(target), "--db", str(db))
    assert result.exit_code == 1
    assert result.stdout == ""
    one_line_error(result.stderr, f"cannot write {target}: folder {target.parent} does not exist")
    assert not target.parent.exists()
    assert files_digest(db) == before


def test_export_without_permission_is_one_line() -> None:
    with open_folder() as folder:
        db = folder / "briefings.db"
        source = folder / "pause.md"
        source.write_text(BRIEFING, encoding="utf-8")
        with Store(db) as store:
            import_paths(store, [source])
        db.chmod(0o644)
        locked = folder / "reports"
        locked.mkdir()
        locked.chmod(0o555)
        target = locked / "report.md"
        before = files_digest(db)
        result = run_process(as_nobody(["export", "-o", str(target),
                                        "--db", str(db)]))
        assert result.returncode == 1
        one_line_error(result.stderr, f"cannot write {target}: Permission denied")
        assert list(locked.iterdir()) == []
        assert files_digest(db) == before
