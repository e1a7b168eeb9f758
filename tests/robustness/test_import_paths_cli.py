"""The installed command on odd paths: a folder import skips what it cannot store with one
escaped line each and imports the rest, file by file; a path given on its own that cannot
be stored is one error line and the database is unchanged; a killed folder import keeps the
files it committed and a re-run adds the rest, without duplicates."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from briefing_tui.core.store import Store
from tests.e2e.tmux import console_script
from tests.robustness.common import db_state, logical_dump

GOOD = "# Talks resume\n\nThe envoy said talks would resume on Monday.\n"


def run(argv: list[str | bytes], timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    return subprocess.run([console_script(), *argv], capture_output=True, timeout=timeout,
                          env=env, check=False)


def folder(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    root.mkdir()
    (root / "good.md").write_text(GOOD, encoding="utf-8")
    return root


def test_folder_import_skips_a_bad_name_and_a_loop_with_a_line_each(tmp_path: Path) -> None:
    root = folder(tmp_path)
    with open(os.path.join(os.fsencode(root), b"caf\xff\x1b.md"), "w", encoding="utf-8") as f:
        f.write("# By a bad name\n\nText.\n")
    os.symlink("..", root / "loop")
    db = tmp_path / "b.db"
    done = run(["import", str(root), "--db", str(db)])
    assert done.returncode == 0, done.stderr
    out, err = done.stdout.decode(), done.stderr.decode()
    [line] = out.splitlines()
    assert line.startswith("added      Talks resume")
    assert err.splitlines() == [
        f"briefing-tui: skipped {root}/caf\\xff\\x1b.md: file name is not valid UTF-8",
        f"briefing-tui: skipped {root}/loop: symlink loop (leads back to a folder it is in)",
        "briefing-tui: 1 file: 1 added, 0 updated, 0 unchanged, 2 skipped",
    ]
    assert b"\x1b" not in done.stderr and b"\xff" not in done.stderr
    with Store(db) as store:
        assert [b.title for b in store.list_briefings()] == ["Talks resume"]


def test_a_bad_path_on_its_own_is_one_line_and_the_database_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    assert run(["import", str(folder(tmp_path)), "--db", str(db)]).returncode == 0
    before = logical_dump(db)
    bad = os.path.join(os.fsencode(tmp_path), b"caf\xff.md")
    with open(bad, "w", encoding="utf-8") as f:
        f.write("# By a bad name\n\nText.\n")
    os.symlink("loop-b.md", tmp_path / "loop-a.md")
    os.symlink("loop-a.md", tmp_path / "loop-b.md")
    for target, fragment in ((bad, "caf\\xff.md: file name is not valid UTF-8"),
                             (str(tmp_path / "loop-a.md"), "loop-a.md: symlink loop")):
        refused = run(["import", target, "--db", str(db)])
        assert refused.returncode == 1
        [line] = refused.stderr.decode().splitlines()
        assert line.startswith("briefing-tui: error: ") and fragment in line
        assert refused.stdout == b""
        assert logical_dump(db) == before


# Blocks the import in its fourth write, so the test can kill it there.
_PAUSING_IMPORT = """
import sys, time
from briefing_tui import cli
from briefing_tui.core.store import Store
real, calls = Store.add_briefing, []
def add_briefing(self, **kwargs):
    calls.append(1)
    if len(calls) == 4:
        time.sleep(120)
    return real(self, **kwargs)
Store.add_briefing = add_briefing
cli.main(sys.argv[1:])
"""


def test_a_killed_folder_import_keeps_what_it_committed_and_a_rerun_adds_the_rest(
        tmp_path: Path) -> None:
    root = tmp_path / "many"
    root.mkdir()
    for n in range(10):
        (root / f"{n:02}.md").write_text(f"# Briefing {n}\n\nText number {n}.\n",
                                         encoding="utf-8")
    db = tmp_path / "b.db"
    proc = subprocess.Popen([sys.executable, "-c", _PAUSING_IMPORT, "import", str(root),
                             "--db", str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout is not None
        printed = [proc.stdout.readline() for _ in range(3)]  # progress, as it goes
        assert [line.split()[:3] for line in printed] == [
            ["added", "Briefing", str(n)] for n in range(3)]
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    integrity, _foreign, _rows = db_state(db)
    assert integrity == "ok"
    with Store(db) as store:
        assert sorted(b.title for b in store.list_briefings()) == [
            f"Briefing {n}" for n in range(3)]

    again = run(["import", str(root), "--db", str(db)])
    assert again.returncode == 0, again.stderr
    actions = [line.split()[0] for line in again.stdout.decode().splitlines()]
    assert actions == ["unchanged"] * 3 + ["added"] * 7
    with Store(db) as store:
        infos = store.list_briefings()
    assert sorted(b.title for b in infos) == [f"Briefing {n}" for n in range(10)]
    assert len({b.path for b in infos}) == 10
