"""``briefing-tui [PATH ...] [--db FILE] [--analyst NAME]`` opens the app without click
(briefing_tui/launch.py, #17.4 cold start); every other command line goes to click.

Both ways open the app through ``launch.open_app``: the same imports, the same lines on
stderr, the same errors (tests/test_cli.py drives the click way).
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import ClassVar

import pytest

from briefing_tui import launch, paths
from briefing_tui.cli import cli
from briefing_tui.core.analyst import current_analyst, set_analyst

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "sample_briefings"


class FakeApp:
    """Stands in for BriefingApp: records how it was built and run."""

    made: ClassVar[list[object]] = []

    def __init__(self, store, open_briefing_id=None) -> None:
        FakeApp.made.append((len(store.list_briefings()), open_briefing_id, current_analyst()))

    def run(self) -> None:
        FakeApp.made.append("ran")


@pytest.fixture(autouse=True)
def fake_app(monkeypatch, tmp_path: Path):
    import briefing_tui.ui.app as app_module

    monkeypatch.delenv(paths.DB_ENV, raising=False)
    monkeypatch.setattr(paths, "default_db_path", lambda: tmp_path / "default" / "briefings.db")
    monkeypatch.setattr(app_module, "BriefingApp", FakeApp)
    FakeApp.made = []
    yield FakeApp
    set_analyst(None)


def launched(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as done:
        launch.main(argv)
    return done.value.code


def test_the_command_names_are_clicks() -> None:
    assert set(cli.commands) == launch.COMMANDS


@pytest.mark.parametrize(("argv", "expected"), [
    ([], (None, None, [])),
    (["a.md", "b.md"], (None, None, ["a.md", "b.md"])),
    (["a.md", "--db", "x.db", "--analyst", "Ana"], ("x.db", "Ana", ["a.md"])),
    (["--db", "x.db", "--db", "y.db"], ("y.db", None, [])),  # the last one, as click
    (["a.md", "list"], (None, None, ["a.md", "list"])),  # a PATH after the first
])
def test_what_opens_the_app_is_parsed_here(argv, expected) -> None:
    assert launch.app_arguments(argv) == expected


@pytest.mark.parametrize("argv", [
    ["list"], ["import", "a.md"], ["--help"], ["-h"], ["--version"], ["--bogus"], ["--"],
    ["-"], ["--db=x.db"], ["--db"], ["--db", "--analyst", "x"], ["--db", ""], ["a.md", "-x"],
])
def test_anything_else_goes_to_click(argv) -> None:
    assert launch.app_arguments(argv) is None


def test_a_folder_as_database_goes_to_click_which_says_so(tmp_path: Path, capsys) -> None:
    assert launch.app_arguments(["--db", str(tmp_path)]) is None
    assert launched(["--db", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err


def test_the_library_opens(tmp_path: Path, capsys) -> None:
    db = tmp_path / "x.db"
    gc.unfreeze()
    assert launched(["--db", str(db), "--analyst", "  Ana  "]) == 0
    assert FakeApp.made == [(0, None, "Ana"), "ran"]
    assert capsys.readouterr().err == ""  # no samples in a --db file
    assert gc.get_freeze_count() > 0  # the process ends: no final collection (startup_gc)
    gc.unfreeze()


def test_paths_are_imported_and_the_first_opens(tmp_path: Path, capsys) -> None:
    db = tmp_path / "x.db"
    first = SAMPLES / "kremlin-signals-no-quick-truce.md"
    assert launched([str(first), str(SAMPLES / "us-warns-of-kherson-annexation-plans.txt"),
                     "--db", str(db)]) == 0
    (count, opened, _), ran = FakeApp.made
    assert (count, ran) == (2, "ran") and opened is not None
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and err[0].startswith("added      Kremlin signals no quick truce")
    FakeApp.made = []
    assert launched(["--db", str(db), str(first)]) == 0  # stored: opens its stored copy
    assert FakeApp.made[0][1] == opened
    assert capsys.readouterr().err == ""


def test_the_first_start_on_the_default_database_imports_the_samples(capsys) -> None:
    assert launched([]) == 0
    assert FakeApp.made[0][0] == 4
    assert "first run: imported 4 sample briefings" in capsys.readouterr().err


def test_an_error_is_one_line_as_from_click(tmp_path: Path, capsys) -> None:
    db = tmp_path / "not-a-database.db"
    db.write_text("no SQLite here\n" * 100, encoding="utf-8")
    assert launched(["--db", str(db)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("briefing-tui: error: ")
    assert FakeApp.made == []
    # The click way (a PATH named "--" first) says the same.
    assert launched(["--db", str(db), "--"]) == 1
    assert capsys.readouterr().err.splitlines() == lines


def test_click_options_still_work_through_the_console_script(capsys) -> None:
    assert launched(["--version"]) == 0
    assert capsys.readouterr().out.startswith("briefing-tui, version ")
