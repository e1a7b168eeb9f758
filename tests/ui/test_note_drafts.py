"""The note editor keeps what is typed as a draft until it is saved or cancelled.

An app that ends with the editor open (a crash, a closed terminal, ctrl+q) loses
nothing: the next `c` on that highlight, in this app or the next, starts from the draft.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static, TextArea

from briefing_tui.core.store import Store
from briefing_tui.ui.app import BriefingApp
from briefing_tui.ui.widgets.pickers import NoteEditor
from tests.ui.conftest import type_text
from tests.ui.test_keys_reader import FIRST, SIZE, highlight_text, open_reader


def editor_state(app: BriefingApp) -> tuple[str, str]:
    """The text in the open note editor and its hint line."""
    screen = app.screen
    assert isinstance(screen, NoteEditor), f"expected the note editor, got {screen!r}"
    return screen.query_one(TextArea).text, str(screen.query_one(".hint", Static).render())


async def test_a_note_typed_when_the_app_ends_comes_back_as_a_draft(
        make_app, store: Store, briefing_id: str, tmp_path: Path) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        highlight_id = await highlight_text(pilot, store, briefing_id, FIRST)
        await pilot.press("c")
        await pilot.pause()
        await type_text(pilot, "half a thought")
        await pilot.pause()
        # the app ends here with the editor open, nothing saved
    assert store.highlight(highlight_id).note == ""
    # The next process: another store on the same file.
    with Store(store.path) as later:
        app = BriefingApp(later, briefing_id, config_path=tmp_path / "none.toml")
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_reader(pilot)
            screen.reader.move_cursor(later.highlight(highlight_id).start)
            await pilot.press("c")
            await pilot.pause()
            text, hint = editor_state(app)
            assert text == "half a thought"
            assert "unsaved draft restored" in hint
            await type_text(pilot, " more")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert later.highlight(highlight_id).note == "half a thought more"
            assert later.note_draft(highlight_id) is None  # saved: no draft any more
            await pilot.press("c")
            await pilot.pause()
            text, hint = editor_state(app)
            assert text == "half a thought more"
            assert "restored" not in hint


async def test_escape_discards_the_draft(make_app, store: Store, briefing_id: str) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        highlight_id = await highlight_text(pilot, store, briefing_id, FIRST)
        await pilot.press("c")
        await pilot.pause()
        await type_text(pilot, "kept")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await type_text(pilot, " and more")
        await pilot.pause()
        assert store.note_draft(highlight_id) == "kept and more"
        await pilot.press("escape")
        await pilot.pause()
        assert store.note_draft(highlight_id) is None
        assert store.highlight(highlight_id).note == "kept"
        await pilot.press("c")
        await pilot.pause()
        assert editor_state(pilot.app)[0] == "kept"


async def test_typing_back_to_the_saved_note_leaves_no_draft(
        make_app, store: Store, briefing_id: str) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        highlight_id = await highlight_text(pilot, store, briefing_id, FIRST)
        await pilot.press("c")
        await pilot.pause()
        await type_text(pilot, "ab")
        await pilot.pause()
        assert store.note_draft(highlight_id) == "ab"
        await pilot.press("backspace", "backspace")
        await pilot.pause()
        assert store.note_draft(highlight_id) is None
