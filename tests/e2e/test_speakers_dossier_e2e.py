"""End to end (#13.2, 13.3): library → speakers → dossier → reader and back, in tmux, on the
installed console script; then a merge with an alias-named duplicate, undone by ``u``.

Three highlights of Dmitry Peskov in two briefings of different dates (the bundled samples,
2022-04-17 and 2025-03-20) and one of a duplicate speaker called "Peskov" are stored through
the core first; the rest is keys. ``briefing-tui dossier`` prints the same statements.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from briefing_tui.core.importer import import_paths
from briefing_tui.core.store import Store
from tests.e2e.tmux import Tmux, clean_env, console_script

pytestmark = pytest.mark.e2e

SAMPLES = Path(__file__).resolve().parents[2] / "sample_briefings"
KREMLIN = "kremlin-signals-no-quick-truce.md"
ZELENSKY = "zelensky-rouble-occupation-uk.md"
QUOTES = {  # briefing file -> the passages marked (in the order of the text)
    ZELENSKY: ["Президент України Володимир Зеленський"],
    KREMLIN: ["Moscow and Washington are describing the same", "A sample analysis written"],
}


def seed(db: Path, docs: Path) -> None:
    """Import two samples; Peskov said three things, "Peskov" (a duplicate) one."""
    with Store(db) as store:
        ids = {Path(r.path).name: r.briefing_id
               for r in import_paths(store, [docs / KREMLIN, docs / ZELENSKY])}
        peskov = store.create_speaker("Dmitry Peskov", role="Kremlin spokesman",
                                      aliases=["Peskov"])
        dup = store.create_speaker("Peskov")
        opposes = store.stance_by_key(2)
        assert opposes is not None
        for name, quotes in QUOTES.items():
            text = store.get_briefing(ids[name]).document.text
            for quote in quotes:
                start = text.index(quote)
                hl = store.create_highlight(ids[name], start, start + len(quote))
                store.set_speaker(hl.id, peskov.id)
                store.set_stance(hl.id, opposes.id)
        text = store.get_briefing(ids[KREMLIN]).document.text
        start = text.index("Summary")
        store.set_speaker(store.create_highlight(ids[KREMLIN], start, start + 7).id, dup.id)


def test_library_speakers_dossier_reader_and_back_then_merge_and_undo(
        tmp_path: Path, tmux: Tmux) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(SAMPLES, docs)
    env = clean_env(tmp_path)
    db = Path(env["BRIEFING_TUI_DB"])
    seed(db, docs)
    app = console_script()

    printed = subprocess.run([app, "dossier", "Dmitry Peskov", "--db", str(db)],
                             capture_output=True, text=True, check=True, env=env).stdout
    assert "| 2022-04 |" in printed and "| 2025-03 |" in printed
    assert printed.index("2022-04-17 — ") < printed.index("2025-03-20 — Kremlin signals")
    assert printed.count("\n> ") == 3

    tmux.start([app], env, cwd=tmp_path)
    tmux.wait_for("Library")
    tmux.keys("S")
    tmux.wait_for("Speakers — 2 speakers")
    tmux.wait_for("Kremlin spokesman")
    tmux.keys("/")
    tmux.keys("dmitry", literal=True)
    tmux.wait_for("(1 shown)")
    tmux.keys("Enter")  # keeps the filter, the table gets the keys
    tmux.keys("Enter")
    screen = tmux.wait_for("3 statements")
    assert "Dossier — Dmitry Peskov" in screen
    assert "2022-04" in screen and "2025-03" in screen  # both periods of the stance over time
    assert screen.index("Президент України") < screen.index("Moscow and Washington")

    # The second statement (the Kremlin analysis): enter opens it at the highlight.
    tmux.keys("j")
    tmux.wait_for("2025-03-20 · Kremlin signals")
    tmux.keys("Enter")
    screen = tmux.wait_for("highlights")  # the reader's status line
    assert "Moscow and Washington are describing the same" in screen
    tmux.keys("Escape")
    screen = tmux.wait_for("Dossier — Dmitry Peskov")
    # The same row is selected: the detail line names its briefing.
    assert "2025-03-20 · Kremlin signals" in screen.splitlines()[-3] + screen.splitlines()[-2]

    # Back to the speakers; clear the filter; merge the duplicate "Peskov" in; u undoes it.
    tmux.keys("Escape")
    tmux.wait_for("(1 shown)")
    tmux.keys("Escape")
    tmux.wait_for("Speakers — 2 speakers")
    tmux.keys("m")
    tmux.wait_for("Name, alias or role")
    tmux.keys("Peskov", literal=True)
    tmux.keys("Enter")
    tmux.wait_for("Merge speakers")
    tmux.keys("y")
    tmux.wait_for("Speakers — 1 speaker")
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM speakers").fetchone() == (1,)
    assert con.execute("SELECT COUNT(DISTINCT speaker_id) FROM highlights").fetchone() == (1,)
    tmux.keys("u")
    tmux.wait_for("Speakers — 2 speakers")
    assert con.execute("SELECT name FROM speakers ORDER BY name").fetchall() == [
        ("Dmitry Peskov",), ("Peskov",)]
    con.close()
    tmux.keys("C-q")
    tmux.wait_for("__EXIT__0")
