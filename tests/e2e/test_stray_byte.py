"""End to end: a byte that is not UTF-8 on the terminal's input ends nothing.

Textual's input thread used to die on it (``UnicodeDecodeError``) and take the app with it,
exit code 0, the note being typed lost. Here the installed `briefing-tui` in tmux gets
0x9B while the note editor is open: it keeps running, the note text stays (the byte shows
as U+FFFD where it came; the text is kept as a draft in the database), and ctrl+s saves it. Then the app is killed with a note open:
the next run's `c` brings the draft back.
"""

from __future__ import annotations

import os
import signal
import sqlite3
from pathlib import Path

import pytest

from tests.e2e.tmux import Tmux, clean_env, console_script
from tests.robustness.test_kill import child_pids

# Any briefing does: the project's own sample, so a bare clone runs this test too.
SEED = (Path(__file__).resolve().parents[2] / "sample_briefings"
        / "kremlin-signals-no-quick-truce.md")

NOTE = "typed before\N{REPLACEMENT CHARACTER} and after"

pytestmark = pytest.mark.e2e



def query(db: str, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_0x9b_while_typing_a_note_keeps_the_app_and_the_note(
        tmp_path: Path, tmux: Tmux) -> None:
    assert SEED.exists(), f"sample briefing missing: {SEED}"
    env = clean_env(tmp_path)
    db = env["BRIEFING_TUI_DB"]
    tmux.start([console_script(), str(SEED)], env, cwd=tmp_path)
    tmux.wait_for("0 highlights")
    tmux.keys("Enter")  # the sentence under the cursor
    tmux.wait_for("1 highlight")
    tmux.keys("c")
    tmux.wait_for("ctrl+s save")
    tmux.keys("typed before", literal=True)
    tmux.wait_for("typed before")
    tmux.send_bytes(b"\x9b")  # CSI in Latin-1; never valid UTF-8 on its own
    tmux.keys(" and after", literal=True)
    screen = tmux.wait_for(NOTE)
    assert "__EXIT__" not in screen and "Traceback" not in screen
    assert "ctrl+s save" in screen  # the editor is still open
    [app_pid] = child_pids(tmux.pane_pid())  # the app process is still there
    os.kill(app_pid, 0)
    assert query(db, "SELECT note FROM note_drafts") == [(NOTE,)]
    tmux.keys("C-s")
    tmux.wait_for("✎")  # the sidebar's note mark
    tmux.keys("C-q")
    tmux.wait_for("__EXIT__0")
    assert query(db, "SELECT note FROM highlights") == [(NOTE,)]
    assert query(db, "SELECT COUNT(*) FROM note_drafts") == [(0,)]
    # Its undo steps (create, set note) were its own: they went when it closed.
    assert query(db, "SELECT COUNT(*) FROM undo_steps") == [(0,)]


def test_a_note_open_when_the_app_is_killed_comes_back_as_a_draft(
        tmp_path: Path, tmux: Tmux) -> None:
    env = clean_env(tmp_path)
    tmux.start([console_script(), str(SEED)], env, cwd=tmp_path)
    tmux.wait_for("0 highlights")
    tmux.keys("Enter")
    tmux.wait_for("1 highlight")
    tmux.keys("c")
    tmux.wait_for("ctrl+s save")
    tmux.keys("not saved yet", literal=True)
    tmux.wait_for("not saved yet")
    [app_pid] = child_pids(tmux.pane_pid())
    os.kill(app_pid, signal.SIGKILL)
    tmux.wait_for("__EXIT__137")

    again = Tmux(width=120, height=40)
    try:
        again.start([console_script(), str(SEED)], env, cwd=tmp_path)
        again.wait_for("1 highlight")
        again.keys("c")  # the cursor starts inside the highlight
        screen = again.wait_for("unsaved draft restored")
        assert "not saved yet" in screen
        again.keys("Escape")  # cancel: the draft goes
        again.keys("C-q")
        again.wait_for("__EXIT__0")
    finally:
        again.kill()
    assert query(env["BRIEFING_TUI_DB"], "SELECT COUNT(*) FROM note_drafts") == [(0,)]
