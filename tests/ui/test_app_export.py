"""Export from the app (key e and the command palette) and the speaker editor command."""

from __future__ import annotations

import json
from pathlib import Path

from briefing_tui.ui.screens.reader import ReaderScreen
from briefing_tui.ui.widgets.pickers import ConfirmDialog, PathPrompt
from tests.ui.conftest import notifications, offset_of, type_text

SIZE = (100, 30)
SLUG = "talks-stall-over-the-river-crossing-2025-03-20"  # title slug, then the date
FIRST = "The envoy met both delegations on Monday."


async def _annotated_reader(pilot, store, briefing_id) -> ReaderScreen:
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ReaderScreen)
    screen.reader.focus()
    screen.reader.move_cursor(offset_of(store, briefing_id, FIRST))
    await pilot.press("enter", "2")
    await pilot.pause()
    return screen


async def test_e_writes_markdown_to_the_default_path(make_app, store, briefing_id,
                                                     tmp_path: Path) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await _annotated_reader(pilot, store, briefing_id)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PathPrompt)
        await pilot.press("enter")  # accept the default
        await pilot.pause()
        target = tmp_path / f"{SLUG}.md"
        text = target.read_text(encoding="utf-8")
        assert "# Talks stall over the river crossing" in text
        assert FIRST in text
        assert "opposes" in text
        assert any(str(target) in m for m in notifications(pilot.app))


async def test_e_asks_before_overwriting(make_app, store, briefing_id, tmp_path: Path) -> None:
    target = tmp_path / f"{SLUG}.md"
    target.write_text("keep me", encoding="utf-8")
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await _annotated_reader(pilot, store, briefing_id)
        await pilot.press("e", "enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert target.read_text(encoding="utf-8") == "keep me"
        await pilot.press("e", "enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert FIRST in target.read_text(encoding="utf-8")


async def test_e_into_a_missing_folder_is_a_message(make_app, store, briefing_id) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        screen = await _annotated_reader(pilot, store, briefing_id)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "nowhere/out.md")
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.screen is screen
        assert any("does not exist" in m for m in notifications(pilot.app))
        assert "does not exist" in str(screen.query_one("#status").render())


async def test_export_json_and_all(make_app, store, briefing_id, second_briefing_id,
                                   tmp_path: Path) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await _annotated_reader(pilot, store, briefing_id)
        pilot.app.export_briefing(briefing_id, "json")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        data = json.loads((tmp_path / f"{SLUG}.json").read_text(encoding="utf-8"))
        assert FIRST in json.dumps(data, ensure_ascii=False)
        pilot.app.export_all()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        text = (tmp_path / "briefings.md").read_text(encoding="utf-8")
        assert "Talks stall over the river crossing" in text
        assert "Grain corridor review" in text


async def test_palette_lists_the_commands(make_app, store, briefing_id) -> None:
    from briefing_tui.ui.commands import BriefingCommands

    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        screen = await _annotated_reader(pilot, store, briefing_id)
        names = [name for name, _help, _callback in BriefingCommands(screen).commands()]
        assert names == [
            "Export briefing as Markdown",
            "Export briefing as JSON",
            "Export briefing as CSV",
            "Edit briefing metadata",
            "Export all briefings (Markdown)",
            "Speaker × stance matrix",
            "Edit speaker",
            "Speakers",
            "Show orphans",
            "Import codebook",
            "Export codebook",
            "Help",
        ]


async def test_palette_export_csv_runs_from_ctrl_p(make_app, store, briefing_id,
                                                   tmp_path: Path) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await _annotated_reader(pilot, store, briefing_id)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "export briefing as csv")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PathPrompt)
        await pilot.press("enter")
        await pilot.pause()
        text = (tmp_path / f"{SLUG}.csv").read_text(encoding="utf-8")
        assert "opposes" in text


async def test_edit_speaker_sets_role_and_aliases(make_app, store, briefing_id) -> None:
    speaker = store.create_speaker("Dmitry Peskov")
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await _annotated_reader(pilot, store, briefing_id)
        pilot.app.edit_speaker()
        await pilot.pause()
        await type_text(pilot, "peskov")
        await pilot.press("enter")
        await pilot.pause()
        editor = pilot.app.screen
        from textual.widgets import Input

        editor.query_one("#role", Input).value = "Kremlin spokesman"
        editor.query_one("#aliases", Input).value = "Peskov, Dmitri Peskov"
        await pilot.press("ctrl+s")
        await pilot.pause()
        updated = store.speaker(speaker.id)
        assert updated.role == "Kremlin spokesman"
        assert set(updated.aliases) == {"Peskov", "Dmitri Peskov"}
