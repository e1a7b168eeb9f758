"""Export from the app into a predictable folder: the config's ``[export] folder`` (or the
documents folder), a short name from the title and date, the whole path on screen."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest
from textual.widgets import Input, Label

from briefing_tui.ui.screens.reader import ReaderScreen
from briefing_tui.ui.settings import export_folder, export_name
from briefing_tui.ui.widgets.pickers import ConfirmDialog, PathPrompt
from tests.ui.conftest import type_text

SIZE = (100, 30)
NAME = "talks-stall-over-the-river-crossing-2025-03-20.md"


def test_the_folder_comes_from_the_environment_then_the_config_then_documents(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    monkeypatch.delenv("BRIEFING_TUI_EXPORT_DIR")
    assert export_folder(config) == Path(platformdirs.user_documents_dir()) / "briefing-tui"
    config.write_text('[keys]\n"app.help" = "f1"\n[export]\nfolder = "~/reports"\n',
                      encoding="utf-8")
    assert export_folder(config) == Path("~/reports").expanduser()
    config.write_text("[export\nbroken", encoding="utf-8")  # reported by the keymap
    assert export_folder(config).name == "briefing-tui"
    monkeypatch.setenv("BRIEFING_TUI_EXPORT_DIR", str(tmp_path / "here"))
    assert export_folder(config) == tmp_path / "here"


def test_the_name_is_the_title_cut_at_a_word_then_the_date() -> None:
    slug = "russia-s-goals-in-its-war-against-ukraine-are-incompatible-with-us-goals"
    assert export_name(slug, "2025-03-20T10:00:00", "md") == (
        "russia-s-goals-in-its-war-against-2025-03-20.md")
    assert export_name("short", "March 2025", "csv") == "short.csv"  # not an ISO date


async def reader(pilot) -> ReaderScreen:
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ReaderScreen)
    screen.reader.focus()
    return screen


async def test_e_proposes_the_whole_path_in_the_export_folder_and_makes_it(
        make_app, briefing_id, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "reports" / "briefings"  # missing: made on the first export
    monkeypatch.setenv("BRIEFING_TUI_EXPORT_DIR", str(folder))
    monkeypatch.chdir(tmp_path)
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await reader(pilot)
        await pilot.press("e")
        await pilot.pause()
        prompt = pilot.app.screen
        assert isinstance(prompt, PathPrompt)
        assert prompt.query_one(Input).value == str(folder / NAME)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert (folder / NAME).is_file()
        # A relative answer is taken in the export folder, not the working directory.
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "mine.md")
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert (folder / "mine.md").is_file()
        assert not (tmp_path / "mine.md").exists()


async def test_the_overwrite_question_shows_the_whole_path_wrapped(
        make_app, briefing_id, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / ("a-long-folder-name-for-the-analysts-reports-" * 2) / "2025"
    folder.mkdir(parents=True)
    (folder / NAME).write_text("keep", encoding="utf-8")
    monkeypatch.setenv("BRIEFING_TUI_EXPORT_DIR", str(folder))
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await reader(pilot)
        await pilot.press("e", "enter")
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        question = dialog.query_one(".question", Label)
        shown = "".join(question.render_line(y).text.strip()
                        for y in range(question.size.height))
        assert question.size.height > 1  # wrapped, not cut
        assert f"{folder / NAME}exists.Overwriteit?" == shown.replace(" ", "")
