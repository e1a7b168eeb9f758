"""End to end (#13.5): search from the library in the installed `briefing-tui` in tmux.

The bundled samples, ``ctrl+f``, a Cyrillic word, ``enter``:
the reader opens the Ukrainian briefing with the cursor on the word (the reading position
stored on quitting says where), and the command line finds the same place.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.e2e.tmux import Tmux, clean_env, console_script

pytestmark = pytest.mark.e2e

SAMPLES = Path(__file__).resolve().parents[2] / "sample_briefings"


def test_ctrl_f_finds_a_cyrillic_word_and_enter_opens_the_reader_on_it(
        tmp_path: Path, tmux: Tmux) -> None:
    env = clean_env(tmp_path)
    app = console_script()
    subprocess.run([app, "import", str(SAMPLES)], env=env, check=True, capture_output=True)
    tmux.start([app], env, cwd=tmp_path)
    tmux.wait_for("Kremlin signals")  # the library
    tmux.keys("C-f")
    tmux.wait_for("Search all briefings")
    tmux.keys("окупації", literal=True)
    tmux.wait_for("1 match")
    tmux.keys("Enter")
    tmux.wait_for("0 highlights")  # the reader's status line
    tmux.keys("C-q")
    tmux.wait_for("__EXIT__0")

    found = subprocess.run([app, "search", "окупації", "--json"], env=env, check=True,
                           capture_output=True, text=True).stdout
    [hit] = [json.loads(line) for line in found.splitlines()]
    with sqlite3.connect(tmp_path / "briefings.db") as conn:
        [(offset,)] = conn.execute(
            "SELECT last_offset FROM reading_positions WHERE briefing_id = ?",
            (hit["briefing_id"],)).fetchall()
        text = conn.execute("SELECT reading_text FROM briefing_texts WHERE briefing_id = ?",
                            (hit["briefing_id"],)).fetchone()[0]
    assert offset == hit["start"]
    assert text[offset:hit["end"]] == "окупації"
