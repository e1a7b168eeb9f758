"""Team work in the app (#15): the palette's merge, conflicts and agreement."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input

from briefing_tui.core.merge import conflicts, merge
from briefing_tui.core.store import Store
from tests.hostile import PAYLOAD, UNSAFE
from tests.ui.conftest import notifications, offset_of
from tests.ui.test_keys_reader import FIRST, SIZE
from tests.ui.test_merge_live import copy_db


def bob_copy(store: Store, briefing_id: str, tmp_path: Path) -> tuple[Path, str]:
    """Bob's file: a copy of the test store with one more highlight of his."""
    bob_db = tmp_path / "bob.db"
    copy_db(tmp_path / "briefings.db", bob_db)
    with Store(bob_db, analyst="bob") as bob:
        start = offset_of(bob, briefing_id, FIRST)
        made = bob.create_highlight(briefing_id, start, start + len(FIRST))
        bob.set_note(made.id, PAYLOAD)
    return bob_db, made.id


async def test_palette_offers_the_team_commands(make_app, store, briefing_id) -> None:
    from briefing_tui.ui.commands import BriefingCommands

    async with make_app().run_test(size=SIZE) as pilot:
        names = [name for name, _, _ in BriefingCommands(pilot.app.screen).commands()]
        assert {"Merge another analyst's database", "Conflicts",
                "Agreement between analysts"} <= set(names)


async def test_merge_from_the_palette(make_app, store, briefing_id, tmp_path: Path) -> None:
    from briefing_tui.ui.team import merge_flow

    bob_db, theirs = bob_copy(store, briefing_id, tmp_path)
    async with make_app().run_test(size=SIZE) as pilot:
        merge_flow(pilot.app)
        await pilot.pause()
        prompt = pilot.app.screen.query_one(Input)
        prompt.value = str(bob_db)
        prompt.focus()
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        told = notifications(pilot.app)
        assert any("added: 1 highlights" in m for m in told), told
        assert store.highlight(theirs).created_by == "bob"


async def test_conflicts_screen_keeps_theirs(make_app, store, briefing_id,
                                             tmp_path: Path) -> None:
    from briefing_tui.ui.screens.conflicts import ConflictsScreen
    from briefing_tui.ui.team import show_conflicts

    start = offset_of(store, briefing_id, FIRST)
    shared = store.create_highlight(briefing_id, start, start + 9)
    bob_db = tmp_path / "bob.db"
    copy_db(tmp_path / "briefings.db", bob_db)
    with Store(bob_db, analyst="bob") as bob:
        bob.set_note(shared.id, "bob's note " + PAYLOAD)
    store.set_note(shared.id, "my note")
    merge(store, bob_db)
    assert len(conflicts(store)) == 1
    async with make_app().run_test(size=SIZE) as pilot:
        show_conflicts(pilot.app)
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ConflictsScreen)
        table = screen.query_one(DataTable)
        cells = [str(cell) for cell in table.get_row_at(0)]
        assert "my note" in cells[1] and "bob's note" in cells[2]
        assert not any(UNSAFE.search(cell) for cell in cells)
        await pilot.press("t")
        await pilot.pause()
        assert store.highlight(shared.id).note == "bob's note " + PAYLOAD
        assert conflicts(store) == []
        await pilot.press("escape")


async def test_agreement_from_the_palette(make_app, store, briefing_id,
                                          tmp_path: Path) -> None:
    from briefing_tui.ui.team import agreement_flow

    start = offset_of(store, briefing_id, FIRST)
    store.create_highlight(briefing_id, start, start + len(FIRST))  # tester's
    bob_db, _ = bob_copy(store, briefing_id, tmp_path)
    merge(store, bob_db)
    async with make_app().run_test(size=SIZE) as pilot:
        agreement_flow(pilot.app)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        told = notifications(pilot.app)
        assert any("bob and tester: highlighted: 1.00 kappa" in m for m in told), told
        report = (tmp_path / "agreement.md").read_text(encoding="utf-8")
        assert report.startswith("# Agreement: bob and tester")
