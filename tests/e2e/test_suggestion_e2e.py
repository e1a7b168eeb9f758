"""End to end (issue 12): in tmux, with the cursor on "Peskov said … that …" in the seed
article, enter (highlight the sentence), ``t`` then ``enter`` tags Dmitry Peskov without
typing a letter; ``briefing-tui suggest`` prints the same speaker for that sentence."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.corpus import CORPUS, needs_corpus
from tests.e2e.tmux import Tmux, clean_env, console_script

SEED = CORPUS / "seed_isw_peskov_unn.txt"

pytestmark = [pytest.mark.e2e, needs_corpus]


def test_t_enter_takes_the_suggested_speaker(tmp_path: Path, tmux: Tmux) -> None:
    env = clean_env(tmp_path)
    app = console_script()
    tmux.start([app, str(SEED)], env, cwd=tmp_path)
    tmux.wait_for("0 highlights")
    tmux.keys("/")
    tmux.wait_for("find in the briefing")
    tmux.keys("Peskov said", literal=True)
    tmux.keys("Enter")
    tmux.keys("Enter")  # highlight the sentence under the cursor
    tmux.wait_for("1 highlight")
    tmux.keys("t")
    tmux.wait_for("suggested: “Peskov said”")
    tmux.keys("Enter")
    tmux.wait_for("speaker: Dmitry Peskov")
    tmux.keys("C-q")
    tmux.wait_for("__EXIT__0")

    db = Path(env["BRIEFING_TUI_DB"])
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT h.exact, s.name, s.role FROM highlights h "
                            "JOIN speakers s ON s.id = h.speaker_id").fetchall()
    assert len(rows) == 1
    exact, name, role = rows[0]
    assert exact.startswith("Peskov said") and (name, role) == ("Dmitry Peskov",
                                                               "Kremlin spokesman")
    printed = subprocess.run([app, "suggest", "incompatible", "--json"], capture_output=True,
                             text=True, check=True, env=env).stdout
    found = [json.loads(line) for line in printed.splitlines()]
    assert any(r["quote"].startswith("Peskov said") and r["speaker"] == "Dmitry Peskov"
               and r["speaker_id"] for r in found)
