"""Pilot (issue 13.2, 13.3): S opens the speakers screen from the library and the reader,
``/`` filters it, enter opens a speaker's dossier (statements by date, stance over time),
enter there opens the reader at that highlight and escape comes back to the same row;
``m`` merges two speakers and ``u`` undoes it; hostile names render inert."""

from __future__ import annotations

import json

from textual.widgets import DataTable

from briefing_tui.core.store import Store
from briefing_tui.ui.screens.dossier import DossierScreen
from briefing_tui.ui.screens.library import LibraryScreen
from briefing_tui.ui.screens.reader import ReaderScreen
from briefing_tui.ui.screens.speakers import SpeakersScreen
from briefing_tui.ui.widgets.pickers import ConfirmDialog, SpeakerPicker
from tests.hostile import PAYLOAD
from tests.ui.conftest import offset_of, type_text
from tests.ui.test_hostile_render import assert_inert

SIZE = (130, 40)


def statements(store: Store, briefing_id: str, second_briefing_id: str) -> dict[str, str]:
    """Peskov: two statements in the March briefing, one in the February one (opposes);
    a duplicate "D. Peskov" with one; Zakharova with none. Returns the speaker ids."""
    peskov = store.create_speaker("Dmitry Peskov", role="Kremlin spokesman")
    dup = store.create_speaker("D. Peskov", aliases=["Peskov"])
    zakharova = store.create_speaker("Maria Zakharova")
    opposes = store.stance_by_key(2)
    assert opposes is not None
    for bid, needle, who in (
        (briefing_id, "We are not ready to sign", peskov),
        (briefing_id, "The proposal, he said", peskov),
        (second_briefing_id, "Insurers remain cautious", peskov),
        (briefing_id, "Nobody expects a quick result", dup),
    ):
        start = offset_of(store, bid, needle)
        hl = store.create_highlight(bid, start, start + len(needle))
        store.set_speaker(hl.id, who.id)
        store.set_stance(hl.id, opposes.id)
    return {"peskov": peskov.id, "dup": dup.id, "zakharova": zakharova.id}


async def settle(pilot) -> None:
    """Let the counting and loading workers (started after a frame) finish and report."""
    for _ in range(2):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def table_names(screen: SpeakersScreen) -> list[str]:
    return [s.speaker.name for s in screen.summaries]


async def open_speakers(pilot) -> SpeakersScreen:
    await pilot.pause()
    await pilot.press("S")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SpeakersScreen)
    screen.query_one("#speakers-table", DataTable).focus()
    return screen


async def test_speakers_filter_dossier_reader_and_back_to_the_same_row(
        make_app, store, briefing_id, second_briefing_id) -> None:
    ids = statements(store, briefing_id, second_briefing_id)
    async with make_app().run_test(size=SIZE) as pilot:
        assert isinstance(pilot.app.screen, LibraryScreen)
        screen = await open_speakers(pilot)
        assert table_names(screen) == ["D. Peskov", "Dmitry Peskov", "Maria Zakharova"]
        table = screen.query_one("#speakers-table", DataTable)
        assert table.row_count == 3
        peskov = next(s for s in screen.summaries if s.speaker.id == ids["peskov"])
        assert (peskov.statements, peskov.briefings, peskov.first, peskov.last) == (
            3, 2, "2025-02-11", "2025-03-20")
        # / filters by name, alias, role
        await pilot.press("slash")
        await type_text(pilot, "kremlin")
        await pilot.pause()
        assert table_names(screen) == ["Dmitry Peskov"] and table.row_count == 1
        await pilot.press("enter")  # keeps the filter, keys back to the table
        await pilot.pause()
        assert pilot.app.focused is table
        await pilot.press("enter")
        await settle(pilot)
        dossier = pilot.app.screen
        assert isinstance(dossier, DossierScreen)
        assert [i.briefing.published for i in dossier.items] == [
            "2025-02-11", "2025-03-20", "2025-03-20"]
        timeline = str(dossier.query_one("#dossier-timeline").render())
        assert "2025-W07" in timeline and "2025-W12" in timeline  # by week: 37 days
        dossier.statements.focus()
        await pilot.press("j", "j")
        await pilot.pause()
        third = dossier.items[2]
        assert dossier.statements.selected_id == third.id
        await pilot.press("enter")
        await pilot.pause(0.3)
        reader = pilot.app.screen
        assert isinstance(reader, ReaderScreen) and reader.briefing_id == briefing_id
        assert reader.reader.cursor == third.start
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is dossier
        assert dossier.statements.selected_id == third.id  # the same row
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is screen
        await pilot.press("escape")  # clears the filter
        await pilot.pause()
        assert table.row_count == 3
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, LibraryScreen)


async def test_S_from_the_reader_and_the_dossiers_filter_by_stance_and_topic(
        make_app, store, briefing_id, second_briefing_id) -> None:
    ids = statements(store, briefing_id, second_briefing_id)
    [first, *_rest] = [h for h in store.highlights(briefing_id)
                       if h.speaker_id == ids["peskov"]]
    store.set_topics(first.id, ["ceasefire"])
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        assert isinstance(pilot.app.screen, ReaderScreen)
        screen = await open_speakers(pilot)
        screen.select_speaker(ids["peskov"])
        await pilot.press("enter")
        await settle(pilot)
        dossier = pilot.app.screen
        assert isinstance(dossier, DossierScreen)
        dossier.statements.set_filter("#ceasefire")
        await pilot.pause()
        assert [e.highlight_id for e in dossier.statements.visible_entries] == [first.id]
        title = str(dossier.query_one("#dossier-title").render())
        assert "1 statement of 3" in title
        dossier.statements.set_filter("supports")
        await pilot.pause()
        assert dossier.statements.visible_entries == []
        dossier.statements.set_filter("opposes")
        await pilot.pause()
        assert len(dossier.statements.visible_entries) == 3


async def test_merge_two_speakers_then_u_undoes_it(
        make_app, store, briefing_id, second_briefing_id) -> None:
    ids = statements(store, briefing_id, second_briefing_id)
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await open_speakers(pilot)
        screen.select_speaker(ids["peskov"])
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SpeakerPicker)
        await type_text(pilot, "D. Peskov")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert pilot.app.screen is screen
        assert table_names(screen) == ["Dmitry Peskov", "Maria Zakharova"]
        [peskov, _z] = screen.summaries
        assert peskov.statements == 4
        assert peskov.speaker.aliases == ("D. Peskov", "Peskov")
        assert screen.selected_speaker_id == ids["peskov"]
        await pilot.press("u")
        await settle(pilot)
        assert table_names(screen) == ["D. Peskov", "Dmitry Peskov", "Maria Zakharova"]
        assert store.speaker(ids["dup"]).aliases == ("Peskov",)
        assert [s.statements for s in screen.summaries] == [1, 3, 0]
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert table_names(screen) == ["Dmitry Peskov", "Maria Zakharova"]


async def test_edit_a_speaker_from_the_speakers_screen_and_undo(
        make_app, store, briefing_id, second_briefing_id) -> None:
    ids = statements(store, briefing_id, second_briefing_id)
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await open_speakers(pilot)
        screen.select_speaker(ids["zakharova"])
        await pilot.press("e")
        await pilot.pause()
        editor = pilot.app.screen
        editor.query_one("#role").value = "MFA spokeswoman"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert store.speaker(ids["zakharova"]).role == "MFA spokeswoman"
        assert "MFA spokeswoman" in [s.speaker.role for s in screen.summaries]
        await pilot.press("u")
        await pilot.pause()
        assert store.speaker(ids["zakharova"]).role == ""


async def test_hostile_speaker_title_topic_and_note_render_inert(
        make_app, store, briefing_id, second_briefing_id) -> None:
    ids = statements(store, briefing_id, second_briefing_id)
    [first, *_rest] = [h for h in store.highlights(briefing_id)
                       if h.speaker_id == ids["peskov"]]
    store.set_topics(first.id, ["ceasefire"])
    # Raw, as a database written before names were cleaned can hold them.
    store.conn.execute("UPDATE speakers SET name = ?, role = ?, affiliation = ?, aliases = ?"
                       " WHERE id = ?", ("Peskov " + PAYLOAD, PAYLOAD, PAYLOAD,
                                         json.dumps([PAYLOAD]), ids["peskov"]))
    store.conn.execute("UPDATE briefings SET title = ?", ("Title " + PAYLOAD,))
    store.conn.execute("UPDATE highlights SET note = ?, exact = ?", (PAYLOAD, PAYLOAD))
    store.conn.execute("UPDATE topics SET name = ?", (PAYLOAD,))
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await open_speakers(pilot)
        assert_inert(pilot.app, shown=("Peskov",))
        screen.select_speaker(ids["peskov"])
        await pilot.press("enter")
        await settle(pilot)
        dossier = pilot.app.screen
        assert isinstance(dossier, DossierScreen)
        dossier.statements.select_highlight(first.id)
        await pilot.pause()
        assert_inert(pilot.app, shown=("Peskov", "Note:", "[bold]mark[/bold]"))


async def test_the_palette_opens_the_speakers_and_help_lists_their_keys(
        make_app, store, briefing_id, second_briefing_id) -> None:
    statements(store, briefing_id, second_briefing_id)
    async with make_app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "speakers")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SpeakersScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        text = pilot.app.screen.key_text()
        for row in ("S | Speakers | library.speakers", "S | Speakers | annot.speakers",
                    "m | Merge | speakers.merge", "u | Undo | speakers.undo",
                    "⏎ | Dossier | speakers.open", "/ | Filter | dossier.filter"):
            assert row in text, row


async def test_the_dossiers_first_screen_reads_a_page_and_the_whole_timeline(
        make_app, store, briefing_id, second_briefing_id, monkeypatch) -> None:
    from briefing_tui.ui.screens import dossier as dossier_screen

    ids = statements(store, briefing_id, second_briefing_id)
    monkeypatch.setattr(dossier_screen, "FIRST_PAGE", 2)
    reads: list[bool] = []
    whole = DossierScreen._load_all
    monkeypatch.setattr(DossierScreen, "_load_all", lambda self: reads.append(True))
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await open_speakers(pilot)
        screen.select_speaker(ids["peskov"])
        await pilot.press("enter")
        await settle(pilot)
        dossier = pilot.app.screen
        assert isinstance(dossier, DossierScreen)
        assert len(dossier.items) == 2 and not dossier.loaded and reads == [True]
        assert "3 statements" in str(dossier.query_one("#dossier-title").render())
        timeline = str(dossier.query_one("#dossier-timeline").render())
        assert "2025-W07" in timeline and "opposes 2" in timeline  # all three counted
        whole(dossier)  # the worker, as it runs once the first screen is up
        await settle(pilot)
        assert len(dossier.items) == 3 and dossier.loaded


def test_a_speakers_counts_show_as_pending_until_read() -> None:
    from briefing_tui.core.models import Speaker, Stance
    from briefing_tui.core.queries import SpeakerSummary
    from briefing_tui.ui.screens.speakers import PENDING, summary_cells

    stances = [Stance("s1", 1, "supports", "#2e9e44"), Stance("s2", 2, "opposes", "#zzz")]
    summary = SpeakerSummary(Speaker("p", "Dmitry Peskov"), 3, 2, "2025-02-11", "2025-03-20",
                             {"s2": 3})
    cells = [cell.plain for cell in summary_cells(summary, stances)]
    assert cells[4:] == ["3", "2", "2025-02-11", "2025-03-20", "·", "3"]
    pending = [cell.plain for cell in summary_cells(summary, stances, counted=False)]
    assert pending[:4] == cells[:4] and pending[4:] == [PENDING] * 6


def test_a_long_timeline_keeps_the_periods_with_statements() -> None:
    from datetime import date

    from briefing_tui.core.dossier import PeriodRow
    from briefing_tui.core.models import Stance
    from briefing_tui.ui.screens.dossier import timeline_text

    opposes = Stance("o", 2, "opposes", "#d64545")
    rows = [PeriodRow(f"2022-{m:02d}", date(2022, m, 1), {"o": 1} if m in (1, 12) else {})
            for m in range(1, 13)]
    text = timeline_text(rows, [opposes], limit=4).plain
    assert "2022-01" in text and "2022-12" in text and "2022-06" not in text
    assert "2 of 12 periods" in text
    assert "2022-06" in timeline_text(rows, [opposes], limit=12).plain  # gaps when it fits


async def test_slash_in_the_dossier_asks_for_a_filter_by_stance_or_topic(
        make_app, store, briefing_id, second_briefing_id) -> None:
    from briefing_tui.ui.widgets.pickers import PathPrompt

    ids = statements(store, briefing_id, second_briefing_id)
    async with make_app().run_test(size=SIZE) as pilot:
        screen = await open_speakers(pilot)
        screen.select_speaker(ids["peskov"])
        await pilot.press("enter")
        await settle(pilot)
        dossier = pilot.app.screen
        assert isinstance(dossier, DossierScreen)
        dossier.statements.focus()
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PathPrompt)
        await type_text(pilot, "grain")  # the February briefing's title
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen is dossier
        assert [e.highlight_id for e in dossier.statements.visible_entries] == [
            dossier.items[0].id]
        timeline = str(dossier.query_one("#dossier-timeline").render())
        assert "2025-W07" in timeline and "2025-W12" not in timeline  # follows the filter
