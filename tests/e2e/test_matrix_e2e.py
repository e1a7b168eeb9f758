"""End to end: the installed `briefing-tui` in tmux — dates read from the text at import,
the library → `M` matrix → a cell's highlights → the reader at one → back, and
`briefing-tui matrix` printing the same counts."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from briefing_tui.core.store import Store
from tests.e2e.tmux import Tmux, clean_env, console_script

pytestmark = pytest.mark.e2e

UKRAINIAN = "# Звернення\n\n17 квітня 2022 року\n\nМи не погодимося на перемир'я без гарантій.\n"
ENGLISH = ("Press Briefing – May 31, 2022\n\nJane Roe, Spokesperson\n\n"
           "MS ROE: We support the talks. We will not accept a freeze.\n")


def seed(tmp_path: Path, env: dict[str, str], app: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "address.md").write_text(UKRAINIAN, encoding="utf-8")
    (folder / "briefing.txt").write_text(ENGLISH, encoding="utf-8")
    subprocess.run([app, "import", str(folder)], env=env, check=True, capture_output=True)
    with Store(env["BRIEFING_TUI_DB"]) as store:
        by_title = {b.title: b for b in store.list_briefings()}
        assert by_title["Звернення"].published == "2022-04-17"
        assert by_title["Press Briefing – May 31, 2022"].published == "2022-05-31"
        for title, needle, key in (("Звернення", "Ми не погодимося", 2),
                                   ("Press Briefing – May 31, 2022", "We support the talks", 1),
                                   ("Press Briefing – May 31, 2022", "We will not accept", 2)):
            text = store.get_briefing(by_title[title].id).document.text
            start = text.index(needle)
            h = store.create_highlight(by_title[title].id, start, start + len(needle))
            speaker = store.find_speaker("Jane Roe") or store.create_speaker("Jane Roe")
            store.set_speaker(h.id, speaker.id)
            stance = store.stance_by_key(key)
            assert stance is not None
            store.set_stance(h.id, stance.id)


def test_library_matrix_cell_reader_and_back(tmp_path: Path, tmux: Tmux) -> None:
    env = clean_env(tmp_path)
    app = console_script()
    seed(tmp_path, env, app)

    out = subprocess.run([app, "matrix", "--format", "csv"], env=env, check=True,
                         capture_output=True, text=True).stdout
    assert "Jane Roe,1,2,0,0,3" in out

    tmux.start([app], env, cwd=tmp_path)
    tmux.wait_for("2022-04-17")  # the library shows the date read from the text
    tmux.keys("M")
    screen = tmux.wait_for("Speaker × stance")
    assert "Jane Roe" in screen
    tmux.keys("Right")  # the cursor starts on supports; opposes
    tmux.keys("Enter")
    screen = tmux.wait_for("2 highlights")
    assert "Ми не погодимося" in screen and "We will not accept" in screen
    tmux.keys("Enter")  # the oldest first: the address of 17 April
    tmux.wait_for("перемир")
    tmux.keys("Escape")
    tmux.wait_for("2 highlights")
    tmux.keys("Escape")
    tmux.wait_for("Speaker × stance")
    tmux.keys("Escape")
    tmux.wait_for("Library")
    tmux.keys("C-q")
    tmux.wait_for("__EXIT__0")
