"""End to end (#17): in tmux, a briefing of 1,500 highlights (more than the reader reads
before its first frame) opens where the analyst left it, with the highlights there and
the count of all of them; the whole list follows (``G`` then ``[`` reaches the last
highlight, far from where it opened) and a stance set there is stored."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from briefing_tui.core.importer import import_paths
from briefing_tui.core.store import Store
from briefing_tui.ui.screens.reader_sync import WHOLE_UP_TO
from tests.e2e.tmux import Tmux, clean_env, console_script

pytestmark = pytest.mark.e2e

COUNT = 1500


def _sentence(n: int) -> str:
    return f"Entry {n:04d} was filed by the desk."


def test_a_long_list_opens_at_once_and_then_whole(tmp_path: Path, tmux: Tmux) -> None:
    assert COUNT > WHOLE_UP_TO
    env = clean_env(tmp_path)
    path = tmp_path / "long.md"
    body = "\n\n".join(" ".join(_sentence(p * 10 + i) for i in range(10))
                       for p in range(COUNT // 10))
    path.write_text(f"---\ntitle: Long list\n---\n\n{body}\n", encoding="utf-8")
    db = Path(env["BRIEFING_TUI_DB"])
    with Store(db) as store:
        [result] = import_paths(store, [path])
        bid = result.briefing_id
        text = store.get_briefing(bid).document.text
        position = 0
        for n in range(COUNT):
            position = text.find(_sentence(n), position)
            store.create_highlight(bid, position, position + len(_sentence(n)))
        store.save_reading_position(bid, text.find(_sentence(COUNT // 2)))

    tmux.start([console_script(), str(path)], env, cwd=tmp_path)
    screen = tmux.wait_for(f"{COUNT} highlights")
    assert f"Entry {COUNT // 2:04d}" in screen  # opened where it was left
    tmux.keys("G")
    tmux.keys("[")  # the last highlight: read by the worker, not by the first screen
    tmux.keys("2")  # its stance
    tmux.wait_for("stance:")
    tmux.keys("C-q")
    tmux.wait_for("__EXIT__0")
    with sqlite3.connect(db) as conn:
        [(exact, stance)] = conn.execute(
            "SELECT h.exact, s.key FROM highlights h JOIN stances s ON s.id = h.stance_id"
        ).fetchall()
    assert exact == _sentence(COUNT - 1)
    assert stance == 2
