"""The speaker editor (issue 14.3): it opens on Name, tab follows the fields in the order
shown, and each speaker edit is one undo step of the screen it was made from, so ``u`` in
the reader undoes what the analyst just did there and nothing else."""

from __future__ import annotations

from textual.widgets import Input

from briefing_tui.ui.widgets.pickers import SpeakerEditor, SpeakerPicker
from tests.ui.conftest import type_text
from tests.ui.test_app_export import _annotated_reader  # a highlight, stance 2
from tests.ui.test_pickers import PESKOV, DialogApp

SIZE = (110, 32)


async def test_the_editor_opens_on_name_and_tab_goes_down_the_fields() -> None:
    editor = SpeakerEditor(PESKOV)
    app = DialogApp(editor)
    async with app.run_test() as pilot:
        await pilot.pause()
        order = [app.focused.id if app.focused else None]
        for _ in range(3):
            await pilot.press("tab")
            order.append(app.focused.id if app.focused else None)
        assert order == ["name", "role", "affiliation", "aliases"]
        # shown in that order too: the labels and fields top to bottom
        fields = [field.id for field in editor.query(Input)]
        assert fields == ["name", "role", "affiliation", "aliases"]
        assert [field.region.y for field in editor.query(Input)] == sorted(
            field.region.y for field in editor.query(Input))
        await pilot.press("shift+tab")
        assert app.focused is not None and app.focused.id == "affiliation"


async def test_a_speaker_edited_from_the_readers_palette_is_undone_by_u(
        make_app, store, briefing_id) -> None:
    speaker = store.create_speaker("Dmitry Peskov", role="Kremlin spokesman")
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        reader = await _annotated_reader(pilot, store, briefing_id)
        [made] = store.highlights(briefing_id)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "edit speaker")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SpeakerPicker)
        await type_text(pilot, "peskov")
        await pilot.press("enter")
        await pilot.pause()
        editor = pilot.app.screen
        assert isinstance(editor, SpeakerEditor)
        assert pilot.app.focused is editor.query_one("#name", Input)
        editor.query_one("#name", Input).value = "Dmitri Peskov"
        editor.query_one("#aliases", Input).value = "Peskov"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is reader
        assert store.speaker(speaker.id).name == "Dmitri Peskov"
        reader.reader.focus()
        await pilot.press("u")
        await pilot.pause()
        # the edit, and nothing else: the highlight keeps its stance
        assert store.speaker(speaker.id) == speaker
        assert store.highlight(made.id).stance_id == made.stance_id is not None
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert store.speaker(speaker.id).name == "Dmitri Peskov"
        assert store.speaker(speaker.id).aliases == ("Peskov",)


async def test_a_new_speaker_named_with_t_is_taken_back_by_one_u(
        make_app, store, briefing_id) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        reader = await _annotated_reader(pilot, store, briefing_id)
        [made] = store.highlights(briefing_id)
        await pilot.press("t")
        await pilot.pause()
        await type_text(pilot, "Reporter Two")
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.screen is reader
        assert [s.name for s in store.speakers()] == ["Reporter Two"]
        assert store.highlight(made.id).speaker_id is not None
        reader.reader.focus()
        await pilot.press("u")
        await pilot.pause()
        assert store.speakers() == []
        assert store.highlight(made.id).speaker_id is None
        assert store.highlight(made.id).stance_id is not None  # the step before stays


async def test_a_new_speaker_from_the_palette_is_stored_only_when_saved(
        make_app, store, briefing_id) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        reader = await _annotated_reader(pilot, store, briefing_id)
        pilot.app.edit_speaker("", briefing_id)
        await pilot.pause()
        await type_text(pilot, "Maria Zakharova")
        await pilot.press("enter")
        await pilot.pause()
        editor = pilot.app.screen
        assert isinstance(editor, SpeakerEditor) and editor.dialog_title == "New speaker"
        assert store.speakers() == []  # nothing stored yet
        await pilot.press("escape")
        await pilot.pause()
        assert store.speakers() == []
        pilot.app.edit_speaker("", briefing_id)
        await pilot.pause()
        await type_text(pilot, "Maria Zakharova")
        await pilot.press("enter")
        await pilot.pause()
        pilot.app.screen.query_one("#role", Input).value = "spokeswoman"
        await pilot.press("ctrl+s")
        await pilot.pause()
        [speaker] = store.speakers()
        assert (speaker.name, speaker.role) == ("Maria Zakharova", "spokeswoman")
        reader.reader.focus()
        await pilot.press("u")  # one step: the speaker with its role
        await pilot.pause()
        assert store.speakers() == []
        assert store.highlights(briefing_id)[0].stance_id is not None


async def test_a_new_speaker_renamed_to_an_existing_one_is_refused(
        make_app, store, briefing_id) -> None:
    from tests.ui.conftest import notifications

    existing = store.create_speaker("Ned Price")
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await _annotated_reader(pilot, store, briefing_id)
        pilot.app.edit_speaker("", briefing_id)
        await pilot.pause()
        await type_text(pilot, "Reporter Two")
        await pilot.press("enter")
        await pilot.pause()
        pilot.app.screen.query_one("#name", Input).value = "ned price"
        pilot.app.screen.query_one("#role", Input).value = "spokesperson"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert store.speakers() == [existing]
        assert any("already called 'Ned Price'" in n for n in notifications(pilot.app, "error"))
