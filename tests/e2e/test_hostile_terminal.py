"""End to end: a hostile briefing never drives the real terminal.

tmux stands in for the terminal and records what an obeyed escape would do: OSC 0/2
set ``#{pane_title}``, OSC 52 (with ``set-clipboard on``) makes a paste buffer. The real
console script imports the hostile file, lists, exports every format to stdout, then
the app shows the library, the reader, the sidebar and the status line; the screen
shows placeholders, the title is unchanged and no paste buffer exists.
"""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest

from briefing_tui.core.importer import import_paths
from briefing_tui.core.store import Store
from tests.e2e.tmux import Tmux, clean_env, console_script
from tests.hostile import TITLE_MARK, annotate_hostile, write_hostile

pytestmark = pytest.mark.e2e



def buffers(tmux: Tmux) -> str:
    """Every paste buffer tmux holds (what an obeyed OSC 52 would have made)."""
    return tmux.command("list-buffers", "-F", "#{buffer_name}: #{buffer_sample}")


def test_hostile_briefing_changes_no_title_writes_no_clipboard(tmp_path: Path,
                                                               tmux: Tmux) -> None:
    path = write_hostile(tmp_path)
    env = clean_env(tmp_path)
    # Highlights with hostile speakers, topics and notes, stored as typed input was before
    # any cleaning; the CLI below imports the same file again ("unchanged").
    store = Store(Path(env["BRIEFING_TUI_DB"]))
    try:
        [result] = import_paths(store, [path])
        annotate_hostile(store, result.briefing_id)
        count = len(store.highlights(result.briefing_id))
    finally:
        store.close()
    app = console_script()
    cli = [f"{shlex.join([app, *args])}" for args in (
        ["import", str(path)], ["list"], ["export", "--format", "md"],
        ["export", "--format", "csv"], ["export", "--format", "json"],
        ["import", str(tmp_path / "no\x1b]0;PWNED-TITLE\x07such.md")],
    )]
    # The first second lets the options below take effect before anything is printed.
    script = "sleep 1; " + "; ".join(cli) + f"; echo __CLI_DONE__; sleep 1; exec {app}"
    tmux.start(["sh", "-c", script], env, cwd=tmp_path)
    tmux.command("set", "-g", "set-clipboard", "on")  # tmux obeys OSC 52 into a buffer
    tmux.command("set", "-g", "allow-rename", "on")
    title = tmux.command("display", "-p", "-t", tmux.session, "#{pane_title}").strip()
    assert TITLE_MARK not in title

    def untouched() -> None:
        """No title change and no clipboard write so far."""
        assert tmux.command("display", "-p", "-t", tmux.session,
                            "#{pane_title}").strip() == title
        assert buffers(tmux) == ""

    tmux.wait_for("__CLI_DONE__", timeout=60)  # the CLI commands ran
    tmux.wait_for("⏎ Open", timeout=30)  # the app is up: the library
    # The library row shows the escape as placeholders.
    tmux.wait_for("Hostile␛]0;")
    untouched()
    tmux.keys("Enter", pause=1.0)  # open it: the reader, sidebar and status line
    screen = tmux.wait_for(f"· 0% · {count} highlights")
    untouched()
    assert "␛]52;c;" in screen and "\ufffd2J" in screen
    tmux.keys("Tab", pause=1.0)  # the sidebar
    tmux.wait_for("⏎ Jump to")
    tmux.keys("j", "k", pause=1.0)
    untouched()
    screen = tmux.screen()
    # Sidebar rows: hostile quotes and speaker names, shown as placeholders.
    assert "▌ The minister said ␛]52;c;" in screen and "▌ =HYPERLINK(" in screen
    tmux.keys("C-q", pause=1.0)
    history = subprocess.run(
        ["tmux", "-L", tmux.socket, "capture-pane", "-p", "-S", "-", "-t", tmux.session],
        capture_output=True, text=True, check=True).stdout
    assert "__CLI_DONE__" in history
    assert "briefing-tui: error: no such file or folder" in history
    untouched()
    assert "␛]0;PWNED-TITLE␇" in history  # the CLI printed placeholders too
