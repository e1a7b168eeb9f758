"""The codebook from the command palette (#16.1): import merges a file and the library's
``u`` takes it back; a file that is not a codebook is one error and changes nothing;
export writes the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from briefing_tui.core.codebook import (
    Codebook,
    CodebookSpeaker,
    CodebookStance,
    from_toml,
    to_toml,
)
from briefing_tui.ui.screens.library import LibraryScreen
from briefing_tui.ui.widgets.pickers import PathPrompt
from tests.hostile import PAYLOAD, UNSAFE
from tests.notices import notifications
from tests.ui.conftest import type_text

SIZE = (110, 32)


async def run_palette(pilot, command: str, path: Path) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await type_text(pilot, command)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause()
    prompt = pilot.app.screen
    assert isinstance(prompt, PathPrompt)
    prompt.query_one(Input).value = str(path)
    await pilot.press("enter")
    await pilot.pause()


async def test_import_from_the_palette_is_undone_by_the_librarys_u(
        make_app, store, briefing_id, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_TUI_EXPORT_DIR", str(tmp_path))
    book = tmp_path / "team.toml"
    book.write_text(to_toml(Codebook(
        stances=(CodebookStance("sceptical", 2, "#123456", "doubts it"),),
        speakers=(CodebookSpeaker(f"Envoy{PAYLOAD}", "envoy"),),
        topics=("crossings",))), encoding="utf-8")
    used = store.create_highlight(briefing_id, 0, 5)  # "opposes" is in use: it stays on 2
    store.set_stance(used.id, store.stance_by_key(2).id)
    before = (store.stances(), store.speakers(), store.topics())
    async with make_app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, LibraryScreen)
        await run_palette(pilot, "import codebook", book)
        assert isinstance(pilot.app.screen, LibraryScreen)
        assert store.stance_by_key(5).name == "sceptical"  # hotkey 2 is "opposes"
        [speaker] = store.speakers()
        assert speaker.name.startswith("Envoy␛]0;")
        [shown] = [n for n in notifications(pilot.app) if n.startswith("3 added")]
        assert "hotkey 2 is taken by 'opposes'" in shown and UNSAFE.search(shown) is None
        await pilot.press("u")
        await pilot.pause()
        assert (store.stances(), store.speakers(), store.topics()) == before
        # Not a codebook: one error, nothing changed.
        bad = tmp_path / "notes.toml"
        bad.write_text("title = 'minutes'\n", encoding="utf-8")
        await run_palette(pilot, "import codebook", bad)
        assert any("not a codebook" in n for n in notifications(pilot.app, "error"))
        assert (store.stances(), store.speakers(), store.topics()) == before
        out = tmp_path / "ours.toml"
        await run_palette(pilot, "export codebook", out)
        assert [s.name for s in from_toml(out.read_text(encoding="utf-8")).stances] == [
            s.name for s in store.stances()]
