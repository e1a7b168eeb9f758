"""The speaker picker's suggestion (issue 12.2): the attribution engine's speaker for the
current highlight is the first row, marked with its cue, and enter on an empty query
takes it; once something is typed, the default again contains what was typed."""

from __future__ import annotations

from pathlib import Path

from briefing_tui.core.attribution import Proposal
from briefing_tui.core.importer import import_paths
from briefing_tui.core.models import Speaker
from briefing_tui.ui.screens.reader import ReaderScreen
from briefing_tui.ui.widgets.pickers import SpeakerPicker, speaker_rows
from tests.hostile import UNSAFE
from tests.ui.conftest import offset_of, type_text

SIZE = (110, 32)
LAVROV = Speaker("s1", "Sergey Lavrov", "Foreign Minister")
PESKOV = Speaker("s2", "Dmitry Peskov", "Kremlin spokesman", aliases=("Peskov",))
WIRE = ("Peskov on the talks\n\nKremlin spokesman Dmitry Peskov spoke to a Russian outlet.\n\n"
        'Peskov said ... that "everything is progressing very well" regarding the talks, '
        "but there would be no immediate results.\n")


def _proposal(speaker: str, speaker_id: str | None, cue: str, role: str = "") -> Proposal:
    return Proposal(0, 10, speaker, role, speaker_id, cue, "indirect", 0.85)


def test_the_suggestion_is_the_first_row_with_its_cue_only_on_an_empty_query() -> None:
    suggestion = _proposal("Dmitry Peskov", "s2", "Peskov said")
    rows = speaker_rows([LAVROV, PESKOV], "", suggestion)
    assert [(r.kind, r.speaker) for r in rows] == [("suggested", PESKOV), ("other", LAVROV)]
    assert rows[0].cue == "Peskov said" and rows[0].result == PESKOV
    typed = speaker_rows([LAVROV, PESKOV], "lav", suggestion)
    assert typed[0].kind == "default" and typed[0].speaker == LAVROV


def test_a_suggested_new_speaker_is_made_with_its_role_and_shows_no_control() -> None:
    hostile = _proposal("Dmitry \x1b]0;X\x07Peskov", None, "Pes\u202ekov said\x9b2J",
                        role="Kremlin\x07 spokesman")
    [row] = speaker_rows([], "", hostile)
    assert row.speaker is None
    result = row.result
    assert isinstance(result, Speaker) and result.id == ""
    assert UNSAFE.search(result.name + result.role + row.cue) is None


async def test_t_then_enter_tags_the_suggested_speaker_without_typing(
        make_app, store, tmp_path: Path) -> None:
    path = tmp_path / "wire.txt"
    path.write_text(WIRE, encoding="utf-8")
    [result] = import_paths(store, [path])
    briefing_id = result.briefing_id
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ReaderScreen)
        screen.reader.focus()
        screen.reader.move_cursor(offset_of(store, briefing_id, "Peskov said"))
        await pilot.press("enter")  # highlight the sentence
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        picker = pilot.app.screen
        assert isinstance(picker, SpeakerPicker)
        assert picker.rows[0].kind == "suggested" and picker.rows[0].cue == "Peskov said"
        await pilot.press("enter")
        await pilot.pause()
        [made] = store.highlights(briefing_id)
        assert made.speaker_id is not None
        speaker = store.speaker(made.speaker_id)
        assert (speaker.name, speaker.role) == ("Dmitry Peskov", "Kremlin spokesman")
        # typing still means what was typed: a new name is not replaced by the suggestion
        await pilot.press("t")
        await pilot.pause()
        await type_text(pilot, "Reporter Two")
        await pilot.press("enter")
        await pilot.pause()
        assert store.speaker(store.highlights(briefing_id)[0].speaker_id).name == "Reporter Two"
