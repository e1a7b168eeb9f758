"""Pilot tests of the modal dialogs: each key path and the value it dismisses with."""

from __future__ import annotations

import doctest
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static, TextArea

import briefing_tui.ui.widgets.pickers as pickers_module
from briefing_tui.core.models import Speaker
from briefing_tui.ui.widgets.pickers import (
    ConfirmDialog,
    NoteEditor,
    PathPrompt,
    SpeakerEditor,
    SpeakerPicker,
    TopicsPicker,
    speaker_rows,
)

PESKOV = Speaker("s1", "Dmitry Peskov", role="Kremlin spokesman")
WITKOFF = Speaker("s2", "Steve Witkoff", role="US special envoy", aliases=("Vitkoff",))
REPORTER_ONE = Speaker("s3", "Reporter One")
PUTIN = Speaker("s4", "Vladimir Putin", affiliation="Kremlin")
SPEAKERS = [PESKOV, WITKOFF, REPORTER_ONE, PUTIN]

UNSET = object()


class DialogApp(App[None]):
    """Pushes one dialog at mount and records what it dismissed with."""

    def __init__(self, dialog: Screen[Any]) -> None:
        super().__init__()
        self.dialog = dialog
        self.result: Any = UNSET

    def compose(self) -> ComposeResult:
        yield Static("base screen")

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self._record)

    def _record(self, result: Any) -> None:
        self.result = result


async def run(dialog: Screen[Any], *keys: str, text: str = "") -> DialogApp:
    """Run ``dialog`` in a test app, type ``text``, press ``keys``; return the app."""
    app = DialogApp(dialog)
    async with app.run_test() as pilot:
        await pilot.pause()
        await type_text(pilot, text)
        await pilot.press(*keys)
        await pilot.pause()
        app.dialog_was_open = app.screen is dialog  # type: ignore[attr-defined]
    return app


async def type_text(pilot: Any, text: str) -> None:
    await pilot.press(*["space" if ch == " " else ch for ch in text])


def row_texts(dialog: Screen[Any]) -> list[str]:
    option_list = dialog.query_one(OptionList)
    return [str(option_list.get_option_at_index(i).prompt) for i in range(option_list.option_count)]


# ------------------------------------------------------------ speaker rows (pure)


def test_rows_default_then_create_then_others() -> None:
    rows = speaker_rows(SPEAKERS, "pesk")
    assert [r.kind for r in rows][:2] == ["default", "create"]
    assert rows[0].speaker == PESKOV
    assert rows[1].name == "pesk"


def test_rows_create_first_without_default() -> None:
    rows = speaker_rows(SPEAKERS, "Reporter Two")
    assert rows[0].kind == "create" and rows[0].result == "Reporter Two"
    assert rows[1].speaker == REPORTER_ONE


def test_rows_no_create_for_exact_existing_name() -> None:
    rows = speaker_rows(SPEAKERS, "dmitry peskov")
    assert [r.kind for r in rows] == ["default"]


def test_rows_empty_query_lists_everyone_alphabetically_without_create() -> None:
    rows = speaker_rows(SPEAKERS, "")
    assert [r.kind for r in rows] == ["other"] * 4
    assert [r.result.name for r in rows] == [  # type: ignore[union-attr]
        "Dmitry Peskov", "Reporter One", "Steve Witkoff", "Vladimir Putin"]


# ------------------------------------------------------------ SpeakerPicker


async def test_speaker_typing_and_enter_takes_the_containing_match() -> None:
    app = await run(SpeakerPicker(SPEAKERS), "enter", text="peskov")
    assert app.result == PESKOV


async def test_speaker_alias_match() -> None:
    app = await run(SpeakerPicker(SPEAKERS), "enter", text="vitkoff")
    assert app.result == WITKOFF


async def test_speaker_create_new_name_when_only_a_similar_one_exists() -> None:
    app = await run(SpeakerPicker(SPEAKERS), "enter", text="Reporter Two")
    assert app.result == "Reporter Two"


async def test_speaker_arrow_down_reaches_the_fuzzier_match() -> None:
    # row 0: Create "Reporter Two"; row 1: Reporter One (fuzzy)
    app = await run(SpeakerPicker(SPEAKERS), "down", "enter", text="Reporter Two")
    assert app.result == REPORTER_ONE


async def test_speaker_arrow_down_from_default_reaches_create() -> None:
    app = await run(SpeakerPicker(SPEAKERS), "down", "enter", text="peskov")
    assert app.result == "peskov"


async def test_speaker_up_goes_back_to_the_default() -> None:
    app = await run(SpeakerPicker(SPEAKERS), "down", "up", "enter", text="peskov")
    assert app.result == PESKOV


async def test_speaker_role_match_is_reachable_but_not_default() -> None:
    # "kremlin": no name contains it -> Create first, then Putin (affiliation is
    # exactly "Kremlin"), then Peskov (role "Kremlin spokesman")
    app = await run(SpeakerPicker(SPEAKERS), "enter", text="kremlin")
    assert app.result == "kremlin"
    app = await run(SpeakerPicker(SPEAKERS), "down", "enter", text="kremlin")
    assert app.result == PUTIN
    app = await run(SpeakerPicker(SPEAKERS), "down", "down", "enter", text="kremlin")
    assert app.result == PESKOV


async def test_speaker_escape_dismisses_none() -> None:
    app = await run(SpeakerPicker(SPEAKERS), "escape", text="peskov")
    assert app.result is None


async def test_speaker_initial_text_is_replaced_by_typing() -> None:
    app = await run(SpeakerPicker(SPEAKERS, initial="Reporter One"), "enter", text="putin")
    assert app.result == PUTIN


async def test_speaker_initial_text_enter_keeps_it() -> None:
    app = await run(SpeakerPicker(SPEAKERS, initial="Reporter One"), "enter")
    assert app.result == REPORTER_ONE


async def test_speaker_empty_query_enter_takes_first_alphabetical() -> None:
    app = await run(SpeakerPicker(SPEAKERS), "enter")
    assert app.result == PESKOV


async def test_speaker_enter_with_no_rows_does_nothing() -> None:
    app = await run(SpeakerPicker([]), "enter")
    assert app.result is UNSET
    assert app.dialog_was_open  # type: ignore[attr-defined]


async def test_speaker_list_shows_rows_in_order_and_keeps_focus_in_input() -> None:
    picker = SpeakerPicker(SPEAKERS)
    app = DialogApp(picker)
    async with app.run_test() as pilot:
        await pilot.pause()
        await type_text(pilot, "Reporter Two")
        await pilot.pause()
        rows = row_texts(picker)
        assert rows[0] == "+ Create “Reporter Two”"
        assert rows[1].startswith("Reporter One")
        assert picker.query_one(OptionList).highlighted == 0
        assert isinstance(app.focused, Input)


async def test_speaker_click_on_row_chooses_it() -> None:
    picker = SpeakerPicker(SPEAKERS)
    app = DialogApp(picker)
    async with app.run_test() as pilot:
        await pilot.pause()
        await type_text(pilot, "Reporter Two")
        await pilot.pause()
        await pilot.click(OptionList, offset=(2, 1))  # second row
        await pilot.pause()
    assert app.result == REPORTER_ONE


# ------------------------------------------------------------ TopicsPicker


TOPICS = ["ceasefire", "sanctions", "root-causes"]


async def test_topics_ctrl_s_keeps_the_preselected() -> None:
    app = await run(TopicsPicker(TOPICS, ["sanctions"]), "ctrl+s")
    assert app.result == ["sanctions"]


async def test_topics_enter_on_empty_input_is_done() -> None:
    app = await run(TopicsPicker(TOPICS, ["sanctions"]), "enter")
    assert app.result == ["sanctions"]


async def test_topics_space_toggles_highlighted_row() -> None:
    # rows alphabetical: ceasefire, root-causes, sanctions
    app = await run(TopicsPicker(TOPICS, ["sanctions"]), "space", "down", "down", "space", "ctrl+s")
    assert app.result == ["ceasefire"]


async def test_topics_typing_filters_and_enter_toggles_then_clears() -> None:
    picker = TopicsPicker(TOPICS, [])
    app = DialogApp(picker)
    async with app.run_test() as pilot:
        await pilot.pause()
        await type_text(pilot, "sanc")
        await pilot.pause()
        assert row_texts(picker) == ["[ ] #sanctions", "+ Create “#sanc”"]
        await pilot.press("enter")
        await pilot.pause()
        assert picker.query_one(Input).value == ""
        assert "[x] #sanctions" in row_texts(picker)
        await pilot.press("enter")  # empty input: done
        await pilot.pause()
    assert app.result == ["sanctions"]


async def test_topics_create_new_topic_with_enter() -> None:
    app = await run(TopicsPicker(TOPICS, ["ceasefire"]), "enter", "enter", text="#timeline")
    assert app.result == ["ceasefire", "timeline"]


async def test_topics_create_row_when_no_match_is_first_and_ctrl_s_takes_it() -> None:
    app = await run(TopicsPicker(TOPICS, []), "ctrl+s", text="energy")
    assert app.result == ["energy"]


async def test_topics_a_space_after_typed_text_is_part_of_the_name_shown_as_saved() -> None:
    """#14.5: "root causes" never becomes "rootcauses": the picker shows the folded
    name before it is saved, and that name is what comes back."""
    picker = TopicsPicker(["ceasefire"], [])
    app = DialogApp(picker)
    async with app.run_test() as pilot:
        await pilot.pause()
        await type_text(pilot, "Root causes")
        await pilot.pause()
        assert picker.query_one(Input).value == "Root causes"
        assert row_texts(picker) == ["+ Create “#root-causes”"]
        await pilot.press("enter", "enter")
        await pilot.pause()
    assert app.result == ["root-causes"]


async def test_topics_space_on_an_empty_field_still_toggles() -> None:
    app = await run(TopicsPicker(TOPICS, []), "space", "ctrl+s")
    assert app.result == ["ceasefire"]


async def test_topics_arrow_to_create_row_when_a_topic_contains_the_text() -> None:
    # "cease" matches ceasefire (row 0); row 1 is Create "#cease"
    app = await run(TopicsPicker(TOPICS, []), "down", "enter", "ctrl+s", text="cease")
    assert app.result == ["cease"]


async def test_topics_escape_dismisses_none() -> None:
    app = await run(TopicsPicker(TOPICS, ["ceasefire"]), "space", "escape")
    assert app.result is None


async def test_topics_selected_unknown_to_all_topics_is_listed() -> None:
    picker = TopicsPicker(["a"], ["b"])
    app = DialogApp(picker)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert row_texts(picker) == ["[ ] #a", "[x] #b"]


# ------------------------------------------------------------ NoteEditor


async def test_note_ctrl_s_saves_the_edited_text() -> None:
    app = await run(NoteEditor("first"), "enter", "x", "ctrl+s", text=" more")
    assert app.result == "first more\nx"


async def test_note_escape_cancels() -> None:
    app = await run(NoteEditor("keep"), "escape", text="junk")
    assert app.result is None


async def test_note_editor_focuses_the_text_area() -> None:
    editor = NoteEditor("x")
    app = DialogApp(editor)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.focused, TextArea)


# ------------------------------------------------------------ ConfirmDialog


@pytest.mark.parametrize(
    ("keys", "expected"),
    [(("y",), True), (("enter",), True), (("n",), False), (("escape",), False),
     (("tab", "enter"), False), (("right", "enter"), False)],
)
async def test_confirm(keys: tuple[str, ...], expected: bool) -> None:
    app = await run(ConfirmDialog("Overwrite notes.md?"), *keys)
    assert app.result is expected


# ------------------------------------------------------------ PathPrompt


async def test_path_prompt_enter_accepts_the_default() -> None:
    app = await run(PathPrompt("Export to", "kremlin.md"), "enter")
    assert app.result == "kremlin.md"


async def test_path_prompt_edits_at_the_end() -> None:
    app = await run(PathPrompt("Export to", "out/kremlin"), "enter", text=".md")
    assert app.result == "out/kremlin.md"


async def test_path_prompt_escape_is_none() -> None:
    app = await run(PathPrompt("Export to", "kremlin.md"), "escape")
    assert app.result is None


async def test_path_prompt_empty_is_none_unless_allowed() -> None:
    app = await run(PathPrompt("Export to", ""), "enter")
    assert app.result is None
    app = await run(PathPrompt("Filter", "", allow_empty=True), "enter")
    assert app.result == ""


# ------------------------------------------------------------ SpeakerEditor


async def test_speaker_editor_saves_with_enter() -> None:
    app = await run(SpeakerEditor(WITKOFF), "tab", "tab", "enter", text=" Jr")
    # focus starts in the name; the typed text goes there
    assert app.result == {
        "name": "Steve Witkoff Jr",
        "role": "US special envoy",
        "affiliation": "",
        "aliases": ("Vitkoff",),
    }


async def test_speaker_editor_aliases_are_split_and_cleaned() -> None:
    editor = SpeakerEditor(PESKOV)
    app = DialogApp(editor)
    async with app.run_test() as pilot:
        await pilot.pause()
        editor.query_one("#aliases", Input).value = "Peskov , Песков,, peskov, Dmitry Peskov"
        editor.query_one("#affiliation", Input).value = "  Kremlin  "
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.result == {
        "name": "Dmitry Peskov",
        "role": "Kremlin spokesman",
        "affiliation": "Kremlin",
        "aliases": ("Peskov", "Песков"),
    }


async def test_speaker_editor_refuses_a_blank_name() -> None:
    editor = SpeakerEditor(PESKOV)
    app = DialogApp(editor)
    async with app.run_test() as pilot:
        await pilot.pause()
        editor.query_one("#name", Input).value = "   "
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.result is UNSET
        assert app.screen is editor
        assert "empty" in str(editor.query_one("#error", Static).render())
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None


# ------------------------------------------------------------ docs


def test_pickers_doctests_pass() -> None:
    result = doctest.testmod(pickers_module)
    assert result.attempted > 0
    assert result.failed == 0


def test_every_binding_has_an_id_and_a_description() -> None:
    for dialog in (SpeakerPicker, TopicsPicker, NoteEditor, ConfirmDialog, PathPrompt,
                   SpeakerEditor):
        for binding in dialog.BINDINGS:
            assert binding.id, (dialog, binding)  # type: ignore[union-attr]
            assert binding.description, (dialog, binding)  # type: ignore[union-attr]
        assert dialog.__doc__ and "| Key(s) |" in dialog.__doc__


async def test_speaker_picker_shows_a_bounded_list_at_5000_speakers() -> None:
    """#17.2: at any registry size the list holds MAX_SPEAKER_ROWS rows and counts the
    rest; typing narrows it and the best match stays first."""
    from tests.core.test_speaker_index import registry

    many = [*registry(5000), PESKOV]
    picker = SpeakerPicker(many)
    app = DialogApp(picker)
    async with app.run_test() as pilot:
        await pilot.pause()
        options = picker.query_one(OptionList)
        limit = pickers_module.MAX_SPEAKER_ROWS
        assert options.option_count == limit + 1
        last = options.get_option_at_index(limit)
        assert last.disabled and str(last.prompt) == f"… {len(many) - limit} more: type to narrow"
        await type_text(pilot, "peskov")
        await pilot.pause()
        assert options.option_count <= limit
        assert str(options.get_option_at_index(0).prompt).startswith("Dmitry Peskov")
        await pilot.press("enter")
        await pilot.pause()
    assert app.result == PESKOV
