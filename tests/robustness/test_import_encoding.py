"""A briefing imported with ``--encoding``: the store remembers the codec, so opening it in
the app re-reads the file with it (no "not valid UTF-8" warning, no banner while the file
is unchanged; the banner, and a re-import in that codec, once it changed).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing_tui.cli import cli
from briefing_tui.core.importer import import_paths
from briefing_tui.core.store import Store
from briefing_tui.ui.app import BriefingApp
from briefing_tui.ui.screens.library import LibraryScreen
from briefing_tui.ui.screens.reader import ReaderScreen
from tests.notices import notifications

SIZE = (110, 30)
TEXT = "# Café talks stall\n\nThe minister’s aide said “no deal” before the résumé session.\n"
ADDED = "A late délégation arrived on Wednesday.\n"


@pytest.fixture
def latin_file(tmp_path: Path) -> Path:
    path = tmp_path / "docs" / "cafe.md"
    path.parent.mkdir()
    path.write_bytes(TEXT.encode("cp1252"))
    with pytest.raises(UnicodeDecodeError):  # the point: not UTF-8
        path.read_bytes().decode("utf-8")
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "briefings.db"


def cli_import(db: Path, path: Path) -> None:
    result = CliRunner().invoke(cli, ["import", str(path), "--encoding", "cp1252",
                                      "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def notes(app) -> list[str]:
    return notifications(app)


async def open_from_library(pilot) -> None:
    await pilot.pause()
    assert isinstance(pilot.app.screen, LibraryScreen)
    pilot.app.screen.query_one("#briefings").focus()
    await pilot.press("enter")
    await pilot.pause()


def test_import_records_the_codec_by_its_canonical_name(tmp_path: Path,
                                                       latin_file: Path) -> None:
    utf8 = tmp_path / "docs" / "plain.md"
    utf8.write_text("# Plain\n\nText.\n", encoding="utf-8")
    with Store(tmp_path / "b.db") as store:
        [latin] = import_paths(store, [latin_file], encoding="CP1252")
        [plain] = import_paths(store, [utf8])
        assert store.briefing_info(latin.briefing_id).encoding == "cp1252"
        assert store.briefing_info(plain.briefing_id).encoding == "utf-8"


async def test_unchanged_cp1252_file_opens_without_question_or_warning(
        db: Path, latin_file: Path, tmp_path: Path) -> None:
    cli_import(db, latin_file)
    with Store(db) as store:
        [info] = store.list_briefings()
        assert info.encoding == "cp1252"
        app = BriefingApp(store, config_path=tmp_path / "no-config.toml")
        async with app.run_test(size=SIZE) as pilot:
            await open_from_library(pilot)
            screen = pilot.app.screen
            assert isinstance(screen, ReaderScreen)
            assert "Café talks stall" in screen.document.text
            assert not any("UTF-8" in m or "stored copy" in m for m in notes(pilot.app))
            assert notes(pilot.app) == []
        assert store.briefing_info(info.id).revision == 1


async def test_changed_cp1252_file_offers_and_reimports_in_that_codec(
        db: Path, latin_file: Path, tmp_path: Path) -> None:
    cli_import(db, latin_file)
    latin_file.write_bytes((TEXT + "\n" + ADDED).encode("cp1252"))
    with Store(db) as store:
        [info] = store.list_briefings()
        app = BriefingApp(store, config_path=tmp_path / "no-config.toml")
        async with app.run_test(size=SIZE) as pilot:
            await open_from_library(pilot)
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            screen = pilot.app.screen
            assert isinstance(screen, ReaderScreen)
            banner = str(screen.query_one("#source-banner").render())
            assert "cafe.md changed on disk" in banner
            await pilot.press("R")
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            assert "A late délégation arrived" in screen.document.text
            assert not any("UTF-8" in m for m in notes(pilot.app))
        after = store.briefing_info(info.id)
        assert (after.revision, after.encoding) == (2, "cp1252")
