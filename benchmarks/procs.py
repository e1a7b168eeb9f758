"""Running a benchmark subject as a whole process (cold start, peak RSS)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from time import perf_counter

from benchmarks.frames import SIZE

REPO = Path(__file__).resolve().parent.parent


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a measured process: this repo importable, 120x40, truecolor."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    env.update(COLUMNS=str(SIZE[0]), LINES=str(SIZE[1]), TEXTUAL_COLOR_SYSTEM="truecolor")
    env.update(extra)
    return env


def run_to_frame(command: list[str], marker: str, env: dict[str, str] | None = None,
                 timeout: float = 60.0) -> tuple[float, float]:
    """Run ``command`` until its first frame shows ``marker`` and it exits.

    The process runs a Textual app under ``benchmarks.frames.ExitOnMarkerDriver``
    (set through ``TEXTUAL_DRIVER``). Returns ``(whole, to_frame)`` in seconds: spawn
    to exit, and spawn to the marker frame.

    The process may write bytecode even when this one's environment says
    ``PYTHONDONTWRITEBYTECODE``: an installed package comes compiled (pip compiles it),
    as Textual does here, and so must this repository's modules once a warm-up run has
    imported them; else every measured start of ``briefing-tui`` (an editable install)
    would compile its modules from source while the bare Textual app would not.
    """
    with tempfile.TemporaryDirectory(prefix="bench-proc-") as tmp:
        stamp = Path(tmp) / "frame"
        env = child_env(TEXTUAL_DRIVER="benchmarks.frames:ExitOnMarkerDriver",
                        BENCH_EXIT_MARKER=marker, BENCH_FRAME_FILE=str(stamp), **(env or {}))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        wall0, t0 = time.time(), perf_counter()
        proc = subprocess.Popen(command, env=env, cwd=REPO, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
            raise RuntimeError(f"{command[-1]}: no frame showing {marker!r} in {timeout:g} s"
                               f" ({_tail(err)})") from None
        whole = perf_counter() - t0
        if proc.returncode != 0 or not stamp.exists():
            raise RuntimeError(f"{' '.join(command)} exited {proc.returncode} without showing "
                               f"{marker!r}: {_tail(err)}")
        return whole, float(stamp.read_text()) - wall0


def run_json(command: list[str], timeout: float = 300.0) -> str:
    """Run a helper process and return its last stdout line."""
    proc = subprocess.run(command, check=False, env=child_env(), cwd=REPO,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])} exited {proc.returncode}:"
                           f" {_tail(proc.stderr)}")
    return proc.stdout.strip().splitlines()[-1]


def _tail(text: str | None) -> str:
    lines = [line for line in (text or "").strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else "no output"


PYTHON = sys.executable
