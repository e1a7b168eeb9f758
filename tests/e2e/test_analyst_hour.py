"""End to end (#14): a new analyst's hour, by keys alone, in the installed console script.

Import the bundled briefings from the library, open the Kremlin analysis from the filter,
tag three speakers (the third through an alias added in the speaker editor), filter the
sidebar by ``peskov opposes``, edit a speaker and undo it, export from the app, quit, and
reopen the briefing at the same place. Then the SQLite file and the export are checked.
The bundled samples, not ../shared/corpus: this runs on a bare clone too.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.e2e.tmux import Tmux, clean_env, console_script

pytestmark = pytest.mark.e2e

SAMPLES = Path(__file__).resolve().parents[2] / "sample_briefings"
TITLE = "Kremlin signals no quick truce"


def find(tmux: Tmux, text: str) -> None:
    """Move the cursor to ``text`` with the reader's find line."""
    tmux.keys("/")
    tmux.wait_for("find in the briefing")
    tmux.keys(text, literal=True)
    tmux.keys("Enter")


def tag(tmux: Tmux, typed: str, shown: str, stance: str | None = None) -> None:
    """Highlight the sentence under the cursor, name its speaker by typing ``typed`` and
    taking the best match (``shown`` on the picker's first row), set a stance."""
    tmux.keys("s")
    tmux.keys("Enter")
    tmux.keys("t")
    tmux.wait_for("Name, alias or role")
    tmux.keys(typed, literal=True)
    tmux.wait_for(shown)
    tmux.keys("Enter")
    if stance:
        tmux.keys(stance)


def edit_speaker(tmux: Tmux, name: str) -> None:
    """Open the speaker editor on ``name`` from the command palette."""
    tmux.keys("C-p")
    tmux.keys("Edit speaker", literal=True)
    tmux.wait_for("Change a speaker")
    tmux.keys("Enter")
    tmux.wait_for("enter choose")  # the picker, holding the current highlight's speaker
    tmux.keys("C-u")  # clear it
    tmux.wait_for("Name, alias or role")
    tmux.keys(name, literal=True)
    tmux.keys("Enter")
    tmux.wait_for("Aliases")


def test_a_new_analysts_hour(tmp_path: Path, tmux: Tmux) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(SAMPLES, docs)
    env = clean_env(tmp_path)
    app = console_script()

    # Import the folder from the library; open the briefing from the filter with enter.
    tmux.start([app], env, cwd=tmp_path)
    tmux.wait_for("Library")
    tmux.keys("i")
    tmux.wait_for("Import a file or folder")
    tmux.keys(f"{docs}/", literal=True)
    tmux.keys("Enter")
    tmux.wait_for(TITLE)
    tmux.keys("/")
    tmux.keys("kremlin", literal=True)
    tmux.keys("Enter")
    tmux.wait_for("0 highlights")

    # Three speakers: Peskov and Polishchuk by name, Witkoff by the alias "Vitkoff".
    find(tmux, "Kremlin spokesman")
    tag(tmux, "Dmitry Peskov", "Create “Dmitry Peskov”", stance="2")
    tmux.wait_for("1 highlight")
    find(tmux, "A senior Russian")
    tag(tmux, "Oleksiy Polishchuk", "Create “Oleksiy Polishchuk”", stance="2")
    find(tmux, "US special envoy")
    tag(tmux, "Steve Witkoff", "Create “Steve Witkoff”", stance="1")
    tmux.wait_for("3 highlights")
    edit_speaker(tmux, "Steve Witkoff")
    for _ in range(3):  # Name → Role → Affiliation → Aliases
        tmux.keys("Tab")
    tmux.keys("Vitkoff", literal=True)
    tmux.keys("C-s")
    tmux.wait_for("Saved speaker Steve Witkoff")
    find(tmux, "The day after")
    tag(tmux, "vitkoff", "Steve Witkoff")
    tmux.wait_for("4 highlights")

    # The sidebar filter: both terms must match.
    tmux.keys("Tab")
    tmux.keys("f")
    tmux.wait_for("Filter highlights")
    tmux.keys("peskov opposes", literal=True)
    tmux.keys("Enter")
    tmux.wait_for("1 of 4")
    tmux.keys("f")
    tmux.wait_for("Filter highlights")
    tmux.keys("BSpace")  # the previous filter came selected: one key clears it
    tmux.keys("Enter")
    tmux.keys("Tab")

    # Edit a speaker, then undo exactly that.
    edit_speaker(tmux, "Oleksiy Polishchuk")
    tmux.keys("Tab")  # Name → Role
    tmux.keys("Foreign Ministry", literal=True)
    tmux.keys("C-s")
    tmux.wait_for("Saved speaker Oleksiy Polishchuk")
    db = sqlite3.connect(env["BRIEFING_TUI_DB"])
    role = "SELECT role FROM speakers WHERE name = 'Oleksiy Polishchuk'"
    assert db.execute(role).fetchone() == ("Foreign Ministry",)
    tmux.keys("u")
    tmux.wait_for("undone")
    assert db.execute(role).fetchone() == ("",)

    # Export from the app into the export folder; then leave the cursor somewhere.
    tmux.keys("e")
    tmux.wait_for("Export “Kremlin signals")
    tmux.keys("Enter")
    tmux.wait_for("Exported to")
    find(tmux, "Three questions to watch")
    tmux.keys("C-q")
    tmux.wait_for("__EXIT__0")

    exports = list((tmp_path / "exports").iterdir())
    assert [p.name for p in exports] == ["kremlin-signals-no-quick-truce-as-2025-03-20.md"]
    exported = exports[0].read_text(encoding="utf-8")
    for name in ("Dmitry Peskov", "Oleksiy Polishchuk", "Steve Witkoff"):
        assert f"## {name}" in exported
    rows = db.execute(
        """SELECT s.name, st.name FROM highlights h
           JOIN speakers s ON s.id = h.speaker_id LEFT JOIN stances st ON st.id = h.stance_id
           ORDER BY h.start""").fetchall()
    assert rows == [("Dmitry Peskov", "opposes"), ("Oleksiy Polishchuk", "opposes"),
                    ("Steve Witkoff", "supports"), ("Steve Witkoff", None)]
    assert db.execute("SELECT aliases FROM speakers WHERE name = 'Steve Witkoff'").fetchone()[0]\
        .count("Vitkoff") == 1
    [(offset,)] = db.execute("SELECT last_offset FROM reading_positions").fetchall()
    db.close()

    # Reopen: the library, enter on the filter, and the cursor is where it was left.
    again = Tmux(width=120, height=40)
    try:
        again.start([app], env, cwd=tmp_path)
        again.wait_for(TITLE)
        again.keys("/")
        again.keys("kremlin", literal=True)
        again.keys("Enter")
        screen = again.wait_for("4 highlights")
        assert "Three questions to watch" in screen
        again.keys("C-q")
        again.wait_for("__EXIT__0")
    finally:
        again.kill()
    assert offset > 0
