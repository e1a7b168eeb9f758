"""End to end (#14.7): find counts its matches in the status line, and the seed briefing
reopens where it was left, in the installed `briefing-tui` in tmux."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.corpus import CORPUS, needs_corpus
from tests.e2e.tmux import Tmux, clean_env, console_script

SEED = CORPUS / "seed_isw_peskov_unn.txt"

pytestmark = [pytest.mark.e2e, needs_corpus]


def test_find_counts_matches_and_the_briefing_reopens_where_it_was_left(
        tmp_path: Path, tmux: Tmux) -> None:
    env = clean_env(tmp_path)
    app = console_script()
    tmux.start([app, str(SEED)], env, cwd=tmp_path)
    tmux.wait_for("0 highlights")
    tmux.keys("/")
    tmux.wait_for("find in the briefing")
    tmux.keys("root causes", literal=True)
    tmux.keys("Enter")
    screen = tmux.wait_for("match 1 of ")
    total = re.search(r"match 1 of (\d+)", screen)
    assert total is not None and int(total.group(1)) > 1
    tmux.keys("n")
    tmux.wait_for(f"match 2 of {total.group(1)}")
    tmux.keys("G")
    tmux.wait_for("100%")
    tmux.keys("C-q")
    tmux.wait_for("__EXIT__0")

    tmux.kill()
    again = Tmux(width=120, height=40)
    try:
        again.start([app, str(SEED)], env, cwd=tmp_path)
        again.wait_for("100%")  # the cursor is back at the end, shown on screen
        again.keys("C-q")
        again.wait_for("__EXIT__0")
    finally:
        again.kill()
