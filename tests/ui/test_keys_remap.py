"""Remapping keys from the config file, and the help screen that lists them."""

from __future__ import annotations

from pathlib import Path

from textual.binding import Binding

from briefing_tui.ui.app import BriefingApp
from briefing_tui.ui.screens.help import HelpScreen, help_groups, help_rows
from briefing_tui.ui.screens.reader import ReaderScreen
from briefing_tui.ui.widgets.pickers import NoteEditor
from tests.ui.conftest import offset_of

SIZE = (100, 30)
FIRST = "The envoy met both delegations on Monday."


def write_config(path: Path, entries: dict[str, str]) -> None:
    lines = ["[keys]"] + [f'"{key}" = "{value}"' for key, value in entries.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


async def test_remapped_annotation_key_takes_effect(store, briefing_id, config_path) -> None:
    write_config(config_path, {"annot.note": "m"})
    app = BriefingApp(store, briefing_id, config_path=config_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        screen.reader.focus()
        screen.reader.move_cursor(offset_of(store, briefing_id, FIRST))
        await pilot.press("enter")
        await pilot.press("c")  # no longer the note key
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)


async def test_remapped_reader_motion_takes_effect(store, briefing_id, config_path) -> None:
    write_config(config_path, {"reader.word_next": "ctrl+f"})
    app = BriefingApp(store, briefing_id, config_path=config_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.reader.focus()
        screen.reader.move_cursor(0)
        await pilot.press("w")
        await pilot.pause()
        assert screen.reader.cursor == 0
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert screen.reader.cursor > 0


async def test_env_variable_points_to_the_config(store, briefing_id, tmp_path, monkeypatch) -> None:
    config = tmp_path / "elsewhere.toml"
    write_config(config, {"app.help": "f1"})
    monkeypatch.setenv("BRIEFING_TUI_CONFIG", str(config))
    app = BriefingApp(store, briefing_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.reader.focus()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_question_mark_opens_help_and_escape_closes(make_app, briefing_id) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader = pilot.app.screen
        reader.reader.focus()
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        text = help_screen.key_text()
        for line in ("^q | Quit", "? | Help", "⏎ | Highlight", "t | Speaker", "# | Topics",
                     "u | Undo", "^r | Redo", "] | Next highlight", "tab | Sidebar",
                     "2 | Stance: opposes", "9 | Stance 9", "j  ↓ | Next row",
                     "Library", "Sidebar (tab)", "a | Re-attach"):
            assert line in text, line
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is reader


async def test_help_lists_the_remapped_key(store, briefing_id, config_path) -> None:
    write_config(config_path, {"annot.note": "m", "reader.down": "ctrl+n"})
    app = BriefingApp(store, briefing_id, config_path=config_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.reader.focus()
        await pilot.press("question_mark")
        await pilot.pause()
        text = app.screen.key_text()
        assert "m | Note | annot.note" in text
        assert "c | Note" not in text
        assert "^n | Next row | reader.down" in text


def test_every_binding_of_ours_has_an_id_and_a_description() -> None:
    for group, bindings in help_groups(BriefingApp):
        for binding in Binding.make_bindings(bindings):
            assert binding.id, (group, binding)
            assert binding.id.split(".")[0] in {
                "app", "library", "reader", "annot", "sidebar", "orphans", "speakers",
                "dossier", "search", "matrix", "highlights", "review"}, binding.id
            assert binding.description, binding.id


def test_help_rows_group_keys_of_one_id_and_apply_the_keymap() -> None:
    bindings = [Binding("j,down", "down", "Next row", id="reader.down"),
                Binding("question_mark", "help", "Help", id="app.help")]
    rows = help_rows(bindings, {"app.help": "f1,?"})
    assert [(r.binding_id, r.keys, r.description) for r in rows] == [
        ("reader.down", ("j", "down"), "Next row"),
        ("app.help", ("f1", "question_mark"), "Help"),
    ]
