"""#14.4: the speaker, topics and note dialogs dock beside the passage being tagged,
never over it; with no room on either side the text scrolls the passage up first."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widgets import Static

from briefing_tui.core.importer import import_paths
from briefing_tui.ui.screens.reader import ReaderScreen
from briefing_tui.ui.widgets.pickers import NoteEditor, PickerDialog, SpeakerPicker, TopicsPicker

PARAGRAPHS = [f"Paragraph {n} says the talks went on for hour {n}." for n in range(80)]
DIALOGS = [("t", SpeakerPicker), ("number_sign", TopicsPicker), ("c", NoteEditor)]


@pytest.fixture
def long_id(store, tmp_path: Path) -> str:
    path = tmp_path / "long.md"
    path.write_text("# Long talks\n\n" + "\n\n".join(PARAGRAPHS) + "\n", encoding="utf-8")
    [result] = import_paths(store, [path])
    return result.briefing_id


async def open_dialog(pilot, store, briefing_id: str, paragraph: int, screen_row: int,
                      key: str) -> tuple[ReaderScreen, Region, PickerDialog]:
    """Highlight ``paragraph`` scrolled to ``screen_row`` of the reader, press ``key``;
    return the reader, the passage's screen rows (as a region) and the dialog."""
    reader_screen = pilot.app.screen
    assert isinstance(reader_screen, ReaderScreen)
    reader = reader_screen.reader
    reader.focus()
    text = store.get_briefing(briefing_id).document.text
    start = text.index(PARAGRAPHS[paragraph])
    highlight = store.create_highlight(briefing_id, start, start + len(PARAGRAPHS[paragraph]))
    reader_screen.reload()
    reader.move_cursor(start)
    await pilot.pause()
    reader.scroll_offset_to_row(start, screen_row)
    await pilot.pause()
    await pilot.press(key)
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, PickerDialog)
    first, last = reader.rows_on_screen(highlight.start, highlight.end)
    assert 0 <= first <= last < reader.size.height, "the passage is on screen"
    passage = Region(0, reader.region.y + first, pilot.app.size.width, last - first + 1)
    return reader_screen, passage, dialog


def assert_clear(passage: Region, dialog: PickerDialog) -> None:
    box = dialog.query_one("#dialog").region
    assert not box.overlaps(passage), (box, passage)
    hint = dialog.query_one(".hint", Static).region
    assert box.contains_region(hint), "the box fits its hint: nothing cut off"


@pytest.mark.parametrize("row", [3, 18, 30])
@pytest.mark.parametrize(("key", "kind"), DIALOGS)
async def test_the_dialog_docks_beside_the_passage(make_app, store, long_id, key, kind,
                                                    row) -> None:
    for n in range(20):  # long lists: a centred box would cover most of the screen
        store.create_speaker(f"Speaker {n:02}")
    first = store.create_highlight(long_id, 0, 4)
    store.set_topics(first.id, [f"topic-{n:02}" for n in range(20)])
    async with make_app(long_id).run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        _, passage, dialog = await open_dialog(pilot, store, long_id, 30, row, key)
        assert isinstance(dialog, kind)
        assert_clear(passage, dialog)
        box = dialog.query_one("#dialog").region
        if row == 3:
            assert box.y > passage.y  # below it
        if row == 30:
            assert box.bottom <= passage.y  # above it


async def test_no_room_either_side_scrolls_the_passage_up_first(make_app, store,
                                                                 long_id) -> None:
    async with make_app(long_id).run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        _, passage, dialog = await open_dialog(pilot, store, long_id, 30, 8, "t")
        assert passage.y <= 3  # scrolled up near the reader's top
        assert_clear(passage, dialog)
