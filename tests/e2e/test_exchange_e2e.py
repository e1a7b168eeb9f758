"""End to end (#16): the installed `briefing-tui`: a team's codebook exported from one
database, imported into a fresh one from the app's command palette (tmux) and taken back
with the library's `u`; the JSON export brought back with `import-annotations`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from briefing_tui.core.store import Store
from briefing_tui.paths import samples_dir
from tests.e2e.tmux import Tmux, clean_env, console_script

pytestmark = pytest.mark.e2e


def seed(db: Path, app: str, env: dict[str, str]) -> None:
    subprocess.run([app, "import", str(samples_dir()), "--db", str(db)], env=env, check=True,
                   capture_output=True)
    with Store(db) as store:
        for info in store.list_briefings():
            h = store.create_highlight(info.id, 0, 20)
            store.set_new_speaker(h.id, "Dmitry Peskov", "Kremlin spokesman")
            store.set_stance(h.id, store.stance_by_key(2).id)
            store.set_topics(h.id, ["ceasefire"])
            store.set_note(h.id, "checked")


def test_codebook_and_annotations_move_between_databases(tmp_path: Path, tmux: Tmux) -> None:
    env = clean_env(tmp_path)
    app = console_script()
    team = tmp_path / "team.db"
    seed(team, app, env)
    book = tmp_path / "team-codebook.toml"
    subprocess.run([app, "codebook", "export", str(book), "--db", str(team)], env=env,
                   check=True, capture_output=True)
    annotations = tmp_path / "team.json"
    subprocess.run([app, "export", "--all", "--format", "json", "-o", str(annotations),
                    "--db", str(team)], env=env, check=True, capture_output=True)

    # A fresh database (the analyst's): the same briefings, then the codebook from the palette.
    mine = Path(env["BRIEFING_TUI_DB"])
    subprocess.run([app, "import", str(samples_dir())], env=env, check=True,
                   capture_output=True)
    tmux.start([app], env, cwd=tmp_path)
    tmux.wait_for("Library")
    tmux.keys("C-p")
    tmux.keys("Import codebook", literal=True)
    tmux.wait_for("Merge labels")
    tmux.keys("Enter")
    tmux.wait_for("Import the codebook")
    tmux.keys("C-u")
    tmux.keys(str(book), literal=True)
    tmux.keys("Enter")
    tmux.wait_for("2 added")  # Dmitry Peskov and #ceasefire
    with Store(mine) as store:
        assert [s.name for s in store.speakers()] == ["Dmitry Peskov"]
        assert store.topics() == ["ceasefire"]
    tmux.keys("u")
    tmux.wait_for("Undone: import codebook")
    with Store(mine) as store:
        assert store.speakers() == [] and store.topics() == []
    tmux.keys("C-q")
    tmux.wait_for("__EXIT__0")

    out = subprocess.run([app, "import-annotations", str(annotations)], env=env, check=True,
                         capture_output=True, text=True).stdout
    assert out.startswith("4 highlights added to 4 briefings (4 by position")
    theirs = subprocess.run([app, "matrix", "--format", "csv", "--db", str(team)], env=env,
                            check=True, capture_output=True, text=True).stdout
    ours = subprocess.run([app, "matrix", "--format", "csv"], env=env, check=True,
                          capture_output=True, text=True).stdout
    assert ours == theirs and "Dmitry Peskov,0,4,0,0,4" in ours
