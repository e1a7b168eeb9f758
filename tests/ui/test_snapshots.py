"""Snapshots (pytest-textual-snapshot) of the real screens at 100x30, on fixed data.

Regenerate after an intended visual change with
``pytest tests/ui/test_snapshots.py --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path

from briefing_tui.core.store import Store
from briefing_tui.ui.app import BriefingApp
from tests.ui.conftest import offset_of, type_text

SIZE = (100, 30)


def annotate(store: Store, briefing_id: str) -> None:
    """Highlights of several stances, a speaker, topics and a note; fixed, no clock on screen."""
    peskov = store.create_speaker("Deputy Minister", role="Foreign ministry")
    envoy = store.create_speaker("The Envoy")
    for needle, key, speaker, topics, note in [
        ("The envoy met both delegations on Monday.", 4, envoy, (), ""),
        ('"We are not ready to sign anything today,"', 2, peskov, ("ceasefire",), "firm no"),
        ('a ceasefire "must start with the crossings."', 3, peskov, ("ceasefire", "crossings"), ""),
        ("The proposal, he said, was a step back.", 1, None, (), ""),
        ("Talks resume on Friday in the capital.", None, None, (), ""),
    ]:
        start = offset_of(store, briefing_id, needle)
        made = store.create_highlight(briefing_id, start, start + len(needle))
        if key is not None:
            store.set_stance(made.id, store.stance_by_key(key).id)
        if speaker is not None:
            store.set_speaker(made.id, speaker.id)
        if topics:
            store.set_topics(made.id, topics)
        if note:
            store.set_note(made.id, note)


def build(store: Store, briefing_id: str | None, config_path: Path) -> BriefingApp:
    return BriefingApp(store, briefing_id, config_path=config_path)


def test_library(snap_compare, store, briefing_id, second_briefing_id, config_path) -> None:
    annotate(store, briefing_id)
    assert snap_compare(build(store, None, config_path), terminal_size=SIZE)


def test_reader_with_highlights(snap_compare, store, briefing_id, config_path) -> None:
    annotate(store, briefing_id)

    async def place_cursor(pilot) -> None:
        await pilot.pause()
        screen = pilot.app.screen
        screen.reader.focus()
        screen.reader.move_cursor(offset_of(store, briefing_id, "We are not ready"))
        await pilot.pause()

    assert snap_compare(build(store, briefing_id, config_path), terminal_size=SIZE,
                        run_before=place_cursor)


def test_speaker_picker_open(snap_compare, store, briefing_id, config_path) -> None:
    annotate(store, briefing_id)
    store.create_speaker("Dmitry Peskov", role="Kremlin spokesman", aliases=("Peskov",))

    async def open_picker(pilot) -> None:
        await pilot.pause()
        screen = pilot.app.screen
        screen.reader.focus()
        screen.reader.move_cursor(offset_of(store, briefing_id, "Observers noted"))
        await pilot.press("enter", "t")
        await pilot.pause()
        await type_text(pilot, "dep")
        await pilot.pause()

    assert snap_compare(build(store, briefing_id, config_path), terminal_size=SIZE,
                        run_before=open_picker)


def test_help_screen(snap_compare, store, briefing_id, config_path) -> None:
    config_path.write_text('[keys]\n"annot.note" = "m"\n', encoding="utf-8")

    async def open_help(pilot) -> None:
        await pilot.pause()
        pilot.app.screen.reader.focus()
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(build(store, briefing_id, config_path), terminal_size=SIZE,
                        run_before=open_help)
