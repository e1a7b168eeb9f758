"""Titles are stored whole and cut only where they are shown: the library's title column,
the reader's status line and the export prompt."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from briefing_tui.core.importer import import_paths
from briefing_tui.ui.screens.library import LibraryScreen
from briefing_tui.ui.widgets.pickers import PathPrompt
from tests.ui.test_export_folder import reader

SIZE = (100, 30)
LEDE = ("Moscow's aims in the conflict are at odds with the stated goal of the allies of "
        "achieving a durable settlement along the whole of the eastern border.")


def long_title_briefing(store, tmp_path: Path) -> str:
    path = tmp_path / "wire.txt"
    path.write_text(f"{LEDE} An agency writes.\n\nDetails\n\nBody text here.\n", encoding="utf-8")
    [result] = import_paths(store, [path])
    assert store.briefing_info(result.briefing_id).title == LEDE
    return result.briefing_id


async def test_the_export_prompt_cuts_a_long_title(make_app, store, tmp_path: Path) -> None:
    briefing_id = long_title_briefing(store, tmp_path)
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await reader(pilot)
        await pilot.press("e")
        await pilot.pause()
        prompt = pilot.app.screen
        assert isinstance(prompt, PathPrompt)
        assert prompt.prompt.startswith("Export “Moscow's aims in the conflict are at odds with")
        assert "…” as " in prompt.prompt
        assert LEDE not in prompt.prompt


async def test_the_library_cuts_the_whole_title_to_its_column(make_app, store,
                                                             tmp_path: Path) -> None:
    long_title_briefing(store, tmp_path)
    async with make_app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, LibraryScreen)
        table = screen.query_one(DataTable)
        cell = str(table.get_row_at(0)[0])
        assert cell.startswith("Moscow's aims") and cell.rstrip().endswith("…")
        assert len(cell) < len(LEDE)
