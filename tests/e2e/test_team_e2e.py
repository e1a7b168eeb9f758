"""End to end (#15, Done-when): two analysts' files made with the installed `briefing-tui`;
the lead merges while the app has the file open (the reader shows Bob's highlight on its
next refresh), merging again changes nothing, `conflicts` lists the one conflict and
`agreement` prints kappa and alpha."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from briefing_tui.core.store import Store
from tests.e2e.tmux import Tmux, clean_env, console_script

pytestmark = pytest.mark.e2e

TEXT = ("# Talks at the river\n\nThe envoy said talks would resume on Monday. "
        "Moscow rejected the plan outright. Kyiv called the offer a trap.\n")


def mark(store: Store, bid: str, needle: str, stance_key: int | None = None) -> str:
    text = store.get_briefing(bid).document.text
    start = text.index(needle)
    h = store.create_highlight(bid, start, start + len(needle))
    if stance_key is not None:
        stance = store.stance_by_key(stance_key)
        assert stance is not None
        store.set_stance(h.id, stance.id)
    return h.id


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_two_analysts_merge_conflict_agreement(tmp_path: Path, tmux: Tmux) -> None:
    env = clean_env(tmp_path)
    app = console_script()
    src = tmp_path / "talks.md"
    src.write_text(TEXT, encoding="utf-8")
    alice_db, bob_db = tmp_path / "alice.db", tmp_path / "bob.db"
    alice_env = {**env, "BRIEFING_TUI_DB": str(alice_db), "BRIEFING_TUI_ANALYST": "alice"}
    subprocess.run([app, "import", str(src)], env=alice_env, check=True, capture_output=True)
    with Store(alice_db, analyst="alice") as alice:
        [info] = alice.list_briefings()
        shared = mark(alice, info.id, "talks would resume on Monday", 1)
    shutil.copy(alice_db, bob_db)
    with Store(bob_db, analyst="bob") as bob:
        stance = bob.stance_by_key(2)
        assert stance is not None
        bob.set_stance(shared, stance.id)
        mark(bob, info.id, "Kyiv called the offer a trap", 2)
    with Store(alice_db, analyst="alice") as alice:
        alice.set_note(shared, "alice: a date was promised")
        mark(alice, info.id, "Moscow rejected the plan", 2)

    tmux.start([app, str(src)], alice_env, cwd=tmp_path)  # the reader, open on Alice's file
    tmux.wait_for("Talks at the river")
    dry = subprocess.run([app, "--db", str(alice_db), "merge", str(bob_db), "--dry-run"],
                         env=env, check=True, capture_output=True, text=True).stdout
    assert "would add: 1 highlights" in dry and "conflicts: 1 new" in dry
    out = subprocess.run([app, "--db", str(alice_db), "merge", str(bob_db)], env=env,
                         check=True, capture_output=True, text=True).stdout
    assert "added: 1 highlights" in out and "conflicts: 1 new, 1 open" in out
    screen = tmux.wait_for("by bob")  # the reader's next refresh: Bob's highlight, his name
    assert "by alice" in screen
    tmux.keys("q")

    before = dump(alice_db)
    again = subprocess.run([app, "--db", str(alice_db), "merge", str(bob_db)], env=env,
                           check=True, capture_output=True, text=True).stdout
    assert "added: nothing" in again
    assert dump(alice_db) == before

    listed = subprocess.run([app, "--db", str(alice_db), "conflicts"], env=env, check=True,
                            capture_output=True, text=True).stdout
    assert "mine:   by alice" in listed and "theirs: by bob" in listed
    assert "1 conflicts" in listed

    report = subprocess.run([app, "agreement", str(alice_db), str(bob_db)], env=env,
                            check=True, capture_output=True, text=True).stdout
    assert "# Agreement: alice and bob" in report
    assert "| stance |" in report and "Cohen's kappa" in report
    assert "## Disagreements" in report
