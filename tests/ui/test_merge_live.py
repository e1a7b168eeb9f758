"""Merging into the database the app has open (#15.4): the reader shows the merged
highlights on its next refresh, neither side errs on a lock."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from pathlib import Path

from briefing_tui.core.store import Store
from tests.ui.conftest import offset_of
from tests.ui.test_keys_reader import FIRST, SIZE, open_reader

REPO = Path(__file__).resolve().parents[2]


def copy_db(source: Path, target: Path) -> None:
    """A consistent copy of a database that is open (WAL and all): SQLite's backup."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


async def test_a_merge_by_another_process_shows_on_the_next_refresh(
        make_app, store, briefing_id, tmp_path: Path) -> None:
    db = tmp_path / "briefings.db"
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        screen = await open_reader(pilot)
        mine = screen.store.create_highlight(briefing_id, 0, 5)  # the app's own, "tester"
        await pilot.pause()
        copy_db(db, tmp_path / "bob.db")
        with Store(tmp_path / "bob.db", analyst="bob") as bob:
            start = offset_of(bob, briefing_id, FIRST)
            theirs = bob.create_highlight(briefing_id, start, start + len(FIRST))
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "briefing_tui", "--db", str(db), "--analyst", "lead",
            "merge", str(tmp_path / "bob.db"), cwd=REPO,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await asyncio.wait_for(process.communicate(), 120)
        assert process.returncode == 0, err.decode()
        assert "added: 1 highlights" in out.decode()
        screen.poll_store()  # what the timer does every POLL_SECONDS
        await pilot.pause()
        assert {h.id for h in screen.highlights} == {mine.id, theirs.id}
        entries = {e.highlight_id: e for e in screen.sidebar.entries}
        assert entries[theirs.id].analyst == "bob"
        # and the app goes on writing to the merged database
        screen.store.set_note(theirs.id, "seen by the lead")
        assert screen.store.highlight(theirs.id).updated_by == "tester"
