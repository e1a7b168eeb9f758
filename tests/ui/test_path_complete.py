"""The library's import prompt completes paths with tab (core.pathcomplete underneath)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from briefing_tui.core.pathcomplete import complete_path
from briefing_tui.ui.widgets.pickers import PathPrompt
from tests.hostile import PAYLOAD
from tests.ui.conftest import BRIEFING_MD, type_text

SIZE = (100, 30)


def test_completion_shares_the_common_part_and_ends_a_lone_folder_with_a_slash(
        tmp_path: Path) -> None:
    (tmp_path / "weekly").mkdir()
    (tmp_path / "week-12.md").write_text("x", encoding="utf-8")
    (tmp_path / "week-13.md").write_text("x", encoding="utf-8")
    (tmp_path / ".weekend").mkdir()
    found = complete_path(f"{tmp_path}/wee")
    assert found.completed == f"{tmp_path}/week"
    assert found.candidates == ("week-12.md", "week-13.md", "weekly/")  # no hidden entry
    assert complete_path(f"{tmp_path}/weekl").completed == f"{tmp_path}/weekly/"
    assert complete_path(f"{tmp_path}/.wee").candidates == (".weekend/",)
    assert complete_path(f"{tmp_path}/none").candidates == ()
    assert complete_path(f"{tmp_path}/missing/x").completed == f"{tmp_path}/missing/x"


async def test_tab_completes_in_the_import_prompt_and_lists_the_matches(
        make_app, store, tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "talks.md").write_text(BRIEFING_MD, encoding="utf-8")
    hostile = PAYLOAD.replace("/", "")  # a file name holds no slash
    (folder / f"tal{hostile}.md").write_text(BRIEFING_MD, encoding="utf-8")
    async with make_app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        prompt = pilot.app.screen
        assert isinstance(prompt, PathPrompt)
        await type_text(pilot, f"{tmp_path}/in")
        await pilot.press("tab")
        await pilot.pause()
        field = prompt.query_one(Input)
        assert field.value == f"{folder}/"
        assert field.cursor_position == len(field.value)
        await pilot.press("t", "tab")
        await pilot.pause()
        assert field.value == f"{folder}/tal"  # two match: their common part
        hint = str(prompt.query_one(".hint", Static).render())
        assert "2 matches" in hint and "talks.md" in hint
        assert "\x1b" not in hint and "␛" in hint  # a hostile file name shows as placeholders
        await pilot.press("k", "tab", "enter")
        await pilot.pause(0.5)
        assert [b.title for b in store.list_briefings()] == ["Talks stall over the river crossing"]
