"""On the seed article (corpus): the cursor on "Peskov said … that …", enter, t, enter tags
Dmitry Peskov without typing a letter (issue 12, Done when)."""

from __future__ import annotations

from briefing_tui.core.importer import import_paths
from briefing_tui.ui.screens.reader import ReaderScreen
from briefing_tui.ui.widgets.pickers import SpeakerPicker
from tests.corpus import CORPUS, needs_corpus
from tests.ui.conftest import offset_of


@needs_corpus
async def test_t_enter_tags_peskov_in_the_seed_article(make_app, store) -> None:
    [result] = import_paths(store, [CORPUS / "seed_isw_peskov_unn.txt"])
    briefing_id = result.briefing_id
    async with make_app(briefing_id).run_test(size=(110, 32)) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ReaderScreen)
        screen.reader.focus()
        screen.reader.move_cursor(offset_of(store, briefing_id, "Peskov said ..."))
        await pilot.press("enter", "t")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SpeakerPicker)
        await pilot.press("enter")
        await pilot.pause()
        [made] = store.highlights(briefing_id)
        assert made.speaker_id is not None
        assert store.speaker(made.speaker_id).name == "Dmitry Peskov"
