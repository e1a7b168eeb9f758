"""Source edits seen from the app: a changed file opens from its stored copy with a banner
offering the re-import (R), a deleted one still opens, and orphans are counted and handled
everywhere, end to end from an edited file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import DataTable

from briefing_tui.cli import cli
from briefing_tui.core.importer import import_paths
from briefing_tui.core.models import ANCHORED, ORPHANED
from briefing_tui.core.store import Store
from briefing_tui.ui.app import BriefingApp
from briefing_tui.ui.screens.library import LibraryScreen
from briefing_tui.ui.screens.orphans import OrphansScreen
from briefing_tui.ui.screens.reader import ReaderScreen
from tests.notices import notifications
from tests.robustness.common import BRIEFING, TITLE, files_digest

SIZE = (110, 30)
KEPT = "His deputy was more careful."
LOST = "He called the proposal \"a list of demands\" and left early."
NEW = "A third delegation arrived late on Wednesday."
# The edit: a new paragraph before everything (every offset moves), one sentence removed.
EDITED = BRIEFING.replace(
    "# Ministers trade terms for a pause\n",
    "# Ministers trade terms for a pause\n\n" + NEW + "\n",
).replace(" " + LOST, "")


@pytest.fixture
def briefing_file(tmp_path: Path) -> Path:
    path = tmp_path / "docs" / "pause.md"
    path.parent.mkdir()
    path.write_text(BRIEFING, encoding="utf-8")
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "briefings.db"


@pytest.fixture
def store(db: Path):
    with Store(db) as opened:
        yield opened


@pytest.fixture
def annotated(store: Store, briefing_file: Path) -> dict[str, str]:
    """The briefing imported with two highlights: one on text that stays, one on text
    the edit removes (stance, note)."""
    [result] = import_paths(store, [briefing_file])
    bid = result.briefing_id
    text = store.get_briefing(bid).document.text
    ids = {"briefing": bid}
    for name, quote in (("kept", KEPT), ("lost", LOST)):
        start = text.index(quote)
        ids[name] = store.create_highlight(bid, start, start + len(quote)).id
    store.set_stance(ids["lost"], store.stance_by_key(2).id)
    store.set_note(ids["lost"], "walked out")
    return ids


def edit_file(path: Path) -> None:
    assert LOST in BRIEFING and LOST not in EDITED and NEW in EDITED
    path.write_text(EDITED, encoding="utf-8")


def make_app(store: Store, tmp_path: Path) -> BriefingApp:
    return BriefingApp(store, config_path=tmp_path / "no-config.toml")


async def open_from_library(pilot) -> None:
    """Press enter on the (only) briefing in the library."""
    await pilot.pause()
    assert isinstance(pilot.app.screen, LibraryScreen)
    await pilot.press("enter")
    await pilot.pause()


async def banner_then_reimport(pilot) -> ReaderScreen:
    """The changed-file check puts its banner on the reader; R re-imports."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ReaderScreen)
    assert "pause.md changed on disk" in banner(screen)
    await pilot.press("R")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert pilot.app.screen is screen and not screen.query("#source-banner")
    return screen


def banner(screen: ReaderScreen) -> str:
    return str(screen.query_one("#source-banner").render())


def status(screen: ReaderScreen) -> str:
    return str(screen.query_one("#status").render())


def notes(app) -> list[str]:
    return notifications(app)


async def test_changed_file_shows_a_banner_and_r_reimports_and_reanchors(
        store: Store, annotated: dict, briefing_file: Path, tmp_path: Path) -> None:
    edit_file(briefing_file)
    async with make_app(store, tmp_path).run_test(size=SIZE) as pilot:
        await open_from_library(pilot)
        assert isinstance(pilot.app.screen, ReaderScreen)  # the stored copy, at once
        assert NEW not in pilot.app.screen.document.text
        assert store.briefing_info(annotated["briefing"]).revision == 1  # nothing yet
        screen = await banner_then_reimport(pilot)
        assert NEW in screen.document.text  # the new text is shown
        line = status(screen)
        assert "re-imported: 1 highlight re-anchored, 1 orphaned" in line
        assert "1 highlight" in line and "1 orphan" in line
        assert any("1 orphaned" in m for m in notes(pilot.app))
    info = store.briefing_info(annotated["briefing"])
    assert (info.revision, info.orphan_count, info.highlight_count) == (2, 1, 2)
    kept = store.highlight(annotated["kept"])
    assert kept.status == ANCHORED and kept.exact == KEPT
    text = store.get_briefing(info.id).document.text
    assert text[kept.start:kept.end] == KEPT
    lost = store.highlight(annotated["lost"])
    assert (lost.status, lost.exact, lost.note) == (ORPHANED, LOST, "walked out")


async def test_changed_file_left_alone_keeps_the_stored_copy_and_changes_nothing(
        store: Store, annotated: dict, briefing_file: Path, db: Path, tmp_path: Path) -> None:
    edit_file(briefing_file)
    stored_text = store.get_briefing(annotated["briefing"]).document.text
    before = files_digest(db)
    async with make_app(store, tmp_path).run_test(size=SIZE) as pilot:
        await open_from_library(pilot)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ReaderScreen)
        assert "pause.md changed on disk" in banner(screen)
        assert screen.document.text == stored_text
        assert "2 highlights" in status(screen) and "orphan" not in status(screen)
    assert files_digest(db) == before
    assert store.briefing_info(annotated["briefing"]).revision == 1


async def test_unchanged_file_opens_without_asking(
        store: Store, annotated: dict, tmp_path: Path) -> None:
    async with make_app(store, tmp_path).run_test(size=SIZE) as pilot:
        await open_from_library(pilot)
        assert isinstance(pilot.app.screen, ReaderScreen)
        assert notes(pilot.app) == []


async def test_deleted_file_opens_the_stored_copy_without_complaint(
        store: Store, annotated: dict, briefing_file: Path, db: Path, tmp_path: Path) -> None:
    briefing_file.unlink()
    briefing_file.parent.rmdir()
    before = files_digest(db)
    async with make_app(store, tmp_path).run_test(size=SIZE) as pilot:
        await open_from_library(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ReaderScreen)
        assert LOST in screen.document.text
        assert "2 highlights" in status(screen)
        assert notes(pilot.app) == []
        # it works as usual: a new highlight is saved
        screen.reader.focus()
        screen.reader.move_cursor(screen.document.text.index("Nothing has been signed"))
        await pilot.press("enter")
        await pilot.pause()
        assert "3 highlights" in status(screen)
    assert files_digest(db) != before
    assert len(store.highlights(annotated["briefing"])) == 3


async def test_file_turned_unreadable_opens_the_stored_copy_with_a_warning(
        store: Store, annotated: dict, briefing_file: Path, db: Path, tmp_path: Path) -> None:
    briefing_file.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    before = files_digest(db)
    async with make_app(store, tmp_path).run_test(size=SIZE) as pilot:
        await open_from_library(pilot)
        assert isinstance(pilot.app.screen, ReaderScreen)
        [warning] = notes(pilot.app)
        assert "binary file" in warning and "showing the stored copy" in warning
    assert files_digest(db) == before


async def test_reimport_refused_by_a_read_only_database_is_a_message(
        annotated: dict, briefing_file: Path, db: Path, tmp_path: Path) -> None:
    edit_file(briefing_file)
    before = files_digest(db)
    with Store(db, readonly=True) as readonly:
        async with make_app(readonly, tmp_path).run_test(size=SIZE) as pilot:
            await open_from_library(pilot)
            screen = await banner_then_reimport(pilot)
            assert LOST in screen.document.text
            assert "not re-imported: showing the stored copy" in status(screen)
            assert any("read-only" in m for m in notes(pilot.app))
    assert files_digest(db) == before


async def test_orphans_end_to_end_from_an_edited_file(
        store: Store, annotated: dict, briefing_file: Path, db: Path, tmp_path: Path) -> None:
    """Edit the file, re-import it in the app, then: library column, `list` column, status
    line, Orphans view, re-attach and delete, both undone."""
    edit_file(briefing_file)
    lost_id = annotated["lost"]
    async with make_app(store, tmp_path).run_test(size=SIZE) as pilot:
        await open_from_library(pilot)
        reader = await banner_then_reimport(pilot)
        assert "1 orphan" in status(reader)
        assert [e.orphaned for e in reader.sidebar.entries if e.highlight_id == lost_id] == [True]

        # The Orphans view lists it with its stance and note; a re-attaches it to the
        # selection, u undoes that.
        reader.reader.focus()
        start = reader.document.text.index(NEW)
        reader.reader.select_span(start, start + len(NEW))
        await pilot.press("o")
        await pilot.pause()
        orphans = pilot.app.screen
        assert isinstance(orphans, OrphansScreen)
        table = orphans.query_one("#orphans-table", DataTable)
        assert table.row_count == 1
        assert [str(c) for c in table.get_row_at(0)][3:] == ["opposes", "walked out"]
        await pilot.press("a")
        await pilot.pause()
        assert pilot.app.screen is reader
        again = store.highlight(lost_id)
        assert (again.status, again.exact, again.note) == (ANCHORED, NEW, "walked out")
        assert "orphan" not in status(reader)
        await pilot.press("u")
        await pilot.pause()
        assert store.highlight(lost_id).status == ORPHANED
        assert store.highlight(lost_id).exact == LOST
        assert "1 orphan" in status(reader)

        # x in the Orphans view deletes it, u brings it back.
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert lost_id not in {h.id for h in store.highlights(annotated["briefing"])}
        await pilot.press("escape")
        await pilot.pause()
        assert "orphan" not in status(reader)
        await pilot.press("u")
        await pilot.pause()
        assert store.highlight(lost_id).status == ORPHANED
        assert "1 orphan" in status(reader)

        # The library counts it (column "Orphans").
        await pilot.press("escape")
        await pilot.pause()
        library = pilot.app.screen
        assert isinstance(library, LibraryScreen)
        table = library.query_one("#briefings", DataTable)
        row = [str(c) for c in table.get_row_at(0)]
        assert row[3:] == ["2", "1", ""]  # highlights, orphans, changed

    # And so does `briefing-tui list` (column "orphans").
    store.close()
    result = CliRunner().invoke(cli, ["list", "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    header, line = result.stdout.splitlines()
    assert header.split()[:4] == ["id", "published", "highlights", "orphans"]
    assert line.split()[2:4] == ["2", "1"]
    assert line.endswith(TITLE)
