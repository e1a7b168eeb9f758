"""Crash safety: a change on screen is a committed change.

A real process changes highlights through the store the way the reader screen does
(``store_driver.py``) and acknowledges every call that returned. The test kills it with
SIGKILL at random (seeded) moments, over and over, and after every kill checks that
SQLite's ``integrity_check`` is ``ok`` and that the database holds exactly the
acknowledged changes (plus, at most, the one call that was under way when it died).
A last test does the same to the real app in tmux after a highlight made by keys.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from briefing_tui.core.store import Store
from tests.e2e.tmux import Tmux, clean_env, console_script
from tests.robustness.common import DRIVER, db_state

SEED = 20250320
FORK_KILLS = 60  # kills of forked driver children (cheap: no interpreter start-up)
FRESH_KILLS = 8  # kills of freshly started processes, the first on a new database

@dataclass
class Round:
    """What one driver process acknowledged before it died."""

    acks: int = 0
    in_flight: tuple[str, str] | None = None  # (op, highlight id or "-") begun, not acked
    child: int | None = None
    status: int | None = None
    lines: list[str] = field(default_factory=list)


def apply_line(line: str, model: dict[str, dict], rnd: Round) -> None:
    """Update the expected state from one driver line."""
    rnd.lines.append(line)
    word, _, rest = line.partition(" ")
    if word == "BEGIN":
        _seq, op, target = rest.split(" ")
        rnd.in_flight = (op, target)
    elif word == "ACK":
        ack = json.loads(rest.split(" ", 1)[1])
        if ack["state"] is None:
            model.pop(ack["id"], None)
        else:
            model[ack["id"]] = ack["state"]
        rnd.acks += 1
        rnd.in_flight = None
    elif word in ("ERROR", "FAILED", "END"):
        raise AssertionError(f"driver: {line}\n" + "\n".join(rnd.lines[-5:]))


def check_after_kill(path: Path, model: dict[str, dict], rnd: Round) -> dict[str, dict]:
    """The database is sound and holds every acknowledged change; return its state."""
    integrity, foreign, rows = db_state(path)
    assert integrity == "ok"
    assert foreign == []
    differing = {hid for hid in model.keys() | rows.keys() if model.get(hid) != rows.get(hid)}
    if differing:
        # Only the call under way may have committed without its ACK reaching us.
        assert rnd.in_flight is not None, (differing, rnd.lines[-3:])
        assert len(differing) == 1, differing
        [hid] = differing
        op, target = rnd.in_flight
        if op == "create":
            assert hid not in model and hid in rows
        else:
            assert hid == target, (hid, rnd.in_flight)
    return rows


# --------------------------------------------------------------------------- the loops



def test_sigkill_at_random_moments_loses_no_acknowledged_change(
        tmp_path: Path, briefing_file: Path) -> None:
    db = tmp_path / "briefings.db"
    rng = random.Random(SEED)
    model: dict[str, dict] = {}
    began = time.monotonic()
    kills = in_flight = acked = 0

    # 1. Fresh processes: interpreter start, first creation of the database, import, work.
    for n in range(FRESH_KILLS):
        proc = subprocess.Popen(
            [sys.executable, str(DRIVER), "run", str(db), str(briefing_file), str(SEED + n)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.0, 1.2))
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL, (proc.returncode, out, err)
        assert "Traceback" not in err, err
        rnd = Round()
        for line in out.splitlines():
            apply_line(line, model, rnd)
        if db.exists() and db.stat().st_size:
            model = check_after_kill(db, model, rnd)
        kills += 1
        in_flight += rnd.in_flight is not None
        acked += rnd.acks
    # Killed or not during its creation, the database opens (and is created if missing).
    with Store(db) as store:
        assert len(store.stances()) == 4

    # 2. A fork server: each child opens the store and works until the SIGKILL.
    server = subprocess.Popen(
        [sys.executable, str(DRIVER), "serve", str(db), str(briefing_file)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        bufsize=1)
    assert server.stdin is not None and server.stdout is not None
    try:
        for n in range(FORK_KILLS):
            target = rng.choice([0, 0, 1, 2, 5, 10, 30, 60, 120])  # 0: during Store() open
            delay = rng.choice([0.0, 0.0, rng.uniform(0, 0.002), rng.uniform(0, 0.02)])
            server.stdin.write(f"run {SEED + 1000 + n}\n")
            server.stdin.flush()
            rnd = Round()
            killed = False
            while True:
                line = server.stdout.readline()
                assert line, f"fork server died: {server.stderr.read()}"
                line = line.rstrip("\n")
                if line.startswith("CHILD "):
                    rnd.child = int(line.split()[1])
                elif line.startswith("EXIT "):
                    rnd.status = int(line.split()[2])
                    break
                else:
                    apply_line(line, model, rnd)
                if not killed and rnd.child is not None and rnd.acks >= target:
                    if delay:
                        time.sleep(delay)
                    os.kill(rnd.child, signal.SIGKILL)
                    killed = True
            assert os.WIFSIGNALED(rnd.status) and os.WTERMSIG(rnd.status) == signal.SIGKILL
            model = check_after_kill(db, model, rnd)
            kills += 1
            in_flight += rnd.in_flight is not None
            acked += rnd.acks
        server.stdin.write("quit\n")
        server.stdin.flush()
        assert server.wait(timeout=30) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

    elapsed = time.monotonic() - began
    print(f"\n[kill test] {kills} SIGKILLs, {acked} acknowledged changes, "
          f"{in_flight} kills with a call under way, final highlights: {len(model)}, "
          f"{elapsed:.1f} s")
    assert kills >= 50
    assert acked > 0
    # After all that, the store still works: undo and redo the last step. Undo is per
    # instance, so a new one has none of the killed processes' steps: it makes its own.
    with Store(db) as store:
        [info] = store.list_briefings()
        assert len(store.highlights(info.id)) == len(model)
        assert not store.can_undo(info.id)
        made = store.create_highlight(info.id, 0, 1)
        assert store.undo(info.id) == "create highlight"
        assert store.redo(info.id) == "create highlight"
        assert store.highlight(made.id).start == 0
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# --------------------------------------------------------------------------- the real app


def child_pids(pid: int) -> list[int]:
    """Direct children of ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after the last ')'.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            found.append(int(entry.name))
    return found


@pytest.mark.e2e
def test_sigkill_of_the_app_in_tmux_keeps_the_highlight(tmp_path: Path,
                                                        briefing_file: Path) -> None:
    env = clean_env(tmp_path)
    app = console_script()
    tmux = Tmux(width=120, height=30)
    try:
        tmux.start([app, str(briefing_file)], env, cwd=tmp_path)
        tmux.wait_for("0 highlights")
        tmux.keys("j", "j", "j")
        tmux.keys("Enter")  # the sentence under the cursor
        tmux.wait_for("1 highlight")
        tmux.keys("2")
        tmux.wait_for("stance: opposes")
        [app_pid] = child_pids(tmux.pane_pid())
        os.kill(app_pid, signal.SIGKILL)
        tmux.wait_for("__EXIT__137")  # 128 + SIGKILL: no clean shutdown ran
    finally:
        tmux.kill()

    integrity, foreign, rows = db_state(Path(env["BRIEFING_TUI_DB"]))
    assert (integrity, foreign) == ("ok", [])
    assert len(rows) == 1
    with Store(env["BRIEFING_TUI_DB"]) as store:
        [info] = store.list_briefings()
        [highlight] = store.highlights(info.id)
        assert highlight.stance_id == store.stance_by_key(2).id
        assert highlight.exact.strip()

    # Reopen the app on that database: the highlight is there.
    again = Tmux(width=120, height=30)
    try:
        again.start([app, str(briefing_file)], env, cwd=tmp_path)
        again.wait_for("1 highlight")
        again.wait_for("opposes")  # the sidebar entry with its stance
        again.keys("C-q")
        again.wait_for("__EXIT__0")
    finally:
        again.kill()


def test_the_check_catches_a_lost_or_unexpected_change(tmp_path: Path,
                                                       briefing_file: Path) -> None:
    """The kill loop's check is not vacuous: a missing ACKed change fails it."""
    from briefing_tui.core.importer import import_paths

    db = tmp_path / "b.db"
    with Store(db) as store:
        [result] = import_paths(store, [briefing_file])
        made = store.create_highlight(result.briefing_id, 0, 9)
    _, _, rows = db_state(db)
    model = {made.id: dict(rows[made.id])}
    assert check_after_kill(db, model, Round()) == rows

    lost = {**model, "acked-but-missing": dict(rows[made.id])}
    with pytest.raises(AssertionError):
        check_after_kill(db, lost, Round())
    changed = {made.id: {**rows[made.id], "note": "acked note"}}
    with pytest.raises(AssertionError):
        check_after_kill(db, changed, Round())
    # ...unless that very call was under way when the process died.
    assert check_after_kill(db, changed, Round(in_flight=("note", made.id))) == rows
    with pytest.raises(AssertionError):
        check_after_kill(db, changed, Round(in_flight=("note", "another-highlight")))
