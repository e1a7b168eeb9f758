"""End to end: the installed `briefing-tui` in tmux, driven by keys alone.

The flow of issue 3: find "Peskov said", select the sentence, highlight it, name the speaker,
set stance 2 (opposes), write a note, quit; then check the SQLite file and the export, and
reopen to see the highlight in the sidebar.
"""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.corpus import CORPUS, needs_corpus
from tests.e2e.tmux import Tmux, clean_env, console_script

SEED = CORPUS / "seed_isw_peskov_unn.txt"
NOTE = "contradicts the US timeline"

pytestmark = [pytest.mark.e2e, needs_corpus]  # the flow finds words of the seed briefing



def test_highlight_speaker_stance_note_then_export(tmp_path: Path, tmux: Tmux) -> None:
    assert SEED.exists(), f"corpus file missing: {SEED}"
    env = clean_env(tmp_path)
    app = console_script()

    tmux.start([app, str(SEED)], env, cwd=tmp_path)
    tmux.wait_for("0 highlights")  # the reader (status line) is up

    tmux.keys("/")
    tmux.wait_for("find in the briefing")  # the find prompt has the keys
    tmux.keys("Peskov said", literal=True)
    tmux.keys("Enter")
    tmux.keys("s")
    tmux.keys("Enter")
    tmux.keys("t")
    tmux.wait_for("Speaker")
    tmux.keys("Dmitry Peskov", literal=True)
    tmux.wait_for("Create “Dmitry Peskov”")
    tmux.keys("Enter")
    tmux.keys("2")
    tmux.keys("c")
    tmux.wait_for("ctrl+s save")
    tmux.keys(NOTE, literal=True)
    tmux.keys("C-s")
    tmux.wait_for("opposes ✎")  # the sidebar shows stance and note mark
    tmux.keys("C-q")
    tmux.wait_for("__EXIT__0")

    db = sqlite3.connect(env["BRIEFING_TUI_DB"])
    rows = db.execute(
        """select h.exact, s.name, st.name, h.note from highlights h
           left join speakers s on s.id = h.speaker_id
           left join stances st on st.id = h.stance_id"""
    ).fetchall()
    db.close()
    assert len(rows) == 1, rows
    exact, speaker, stance, note = rows[0]
    assert exact.startswith("Peskov said ... that")
    assert exact.endswith("the article states.")
    assert (speaker, stance, note) == ("Dmitry Peskov", "opposes", NOTE)

    out = subprocess.run(
        [app, "export", str(SEED)], env=env, capture_output=True, text=True, check=True
    ).stdout
    section = out.split("## Dmitry Peskov", 1)[1]
    assert "Peskov said ... that" in section
    assert "- Stance: opposes" in section
    assert f"- Note: {NOTE}" in section

    # Reopen: the highlight is in the sidebar.
    tmux.kill()
    again = Tmux(width=120, height=40)
    try:
        again.start([app, str(SEED)], env, cwd=tmp_path)
        screen = again.wait_for("Dmitry Peskov")
        assert "opposes" in screen
        again.keys("C-q")
        again.wait_for("__EXIT__0")
    finally:
        again.kill()
