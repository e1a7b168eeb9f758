"""A tiny driver for the real `briefing-tui` console script inside tmux."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path


def console_script() -> str:
    """The installed `briefing-tui` next to this interpreter (the venv under test)."""
    here = Path(sys.executable).parent / "briefing-tui"
    if here.exists():
        return str(here)
    found = shutil.which("briefing-tui")
    if found is None:
        raise RuntimeError("briefing-tui is not installed in this environment")
    return found


class Tmux:
    """One tmux server (own socket) with one session running a command."""

    def __init__(self, width: int = 120, height: int = 40) -> None:
        self.socket = f"bt-e2e-{uuid.uuid4().hex[:8]}"
        self.session = "e2e"
        self.width = width
        self.height = height

    def _tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True
        )
        return result.stdout

    def start(self, argv: list[str], env: dict[str, str], cwd: Path | None = None) -> None:
        """Run ``argv`` in a new session; when it exits, print a marker with its exit code."""
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        command = f"env -i {exports} {shlex.join(argv)}; echo __EXIT__$?; sleep 600"
        self._tmux(
            "new-session", "-d", "-s", self.session,
            "-x", str(self.width), "-y", str(self.height),
            *(["-c", str(cwd)] if cwd else []), command,
        )

    def keys(self, *keys: str, literal: bool = False, pause: float = 0.25) -> None:
        """Send keys (tmux key names like Enter, Escape, C-s; or literal text)."""
        args = ["send-keys", "-t", self.session]
        if literal:
            args.append("-l")
        self._tmux(*args, *keys)
        time.sleep(pause)

    def send_bytes(self, data: bytes, pause: float = 0.25) -> None:
        """Send raw bytes to the app's terminal input, as they are (``send-keys -H``):
        bytes no key produces, such as one that is not UTF-8."""
        self._tmux("send-keys", "-t", self.session, "-H", *(f"{b:02x}" for b in data))
        time.sleep(pause)

    def screen(self, *, escapes: bool = False) -> str:
        """The visible pane as text (with SGR escapes when asked)."""
        args = ["capture-pane", "-p", "-t", self.session]
        if escapes:
            args.append("-e")
        return self._tmux(*args)

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        """Poll the screen until ``text`` shows; return the screen."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared on screen:\n{screen}")

    def command(self, *args: str) -> str:
        """Any tmux command on this server (``command("show-buffer")``); its stdout."""
        return self._tmux(*args)

    def pane_pid(self) -> int:
        """The pid of the shell running the command (the app is its child)."""
        return int(self._tmux("list-panes", "-t", self.session, "-F", "#{pane_pid}").split()[0])

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True,
                       check=False)


def clean_env(tmp: Path) -> dict[str, str]:
    """Environment for the app under test: own db, config and data dirs, a sane terminal."""
    return {
        "BRIEFING_TUI_DB": str(tmp / "briefings.db"),
        "BRIEFING_TUI_CONFIG": str(tmp / "config.toml"),
        "XDG_DATA_HOME": str(tmp / "data"),
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "BRIEFING_TUI_EXPORT_DIR": str(tmp / "exports"),
        "HOME": os.environ.get("HOME", str(tmp)),
        "PATH": os.environ.get("PATH", ""),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }
