"""``briefing-tui FILE`` of a stored briefing, 50 MB vs 1 MB: spawn -> first frame
showing its text, as processes (``benchmarks.procs.run_to_frame``).

The file was imported before (the database holds it); ``open_path_{label}`` opens it as it
is on disk, ``open_path_50mb_touched`` after its modification time changed (same bytes):
the changed-file check then hashes the file in a worker while the stored copy is shown.
Figure: spawn -> the frame showing the briefing's first screen (what the user waits for);
spawn -> exit is in ``extra``.
"""

from __future__ import annotations

import os

from benchmarks.corpora import FIRST_SCREEN_MARKER
from benchmarks.fixtures import Fixtures
from benchmarks.harness import Bar, Figure
from benchmarks.procs import run_to_frame
from benchmarks.scenarios.cold_start import console_script

NAMES = ["open_path_50mb", "open_path_1mb", "open_path_50mb_touched"]


def run(fx: Fixtures) -> list[Figure]:
    """Alternate the three opens; one warm-up round first."""
    script = console_script()
    big, small = fx.imported("50mb"), fx.imported("1mb")
    frames: dict[str, list[float]] = {name: [] for name in NAMES}
    wholes: dict[str, list[float]] = {name: [] for name in NAMES}
    env = {"BRIEFING_TUI_CONFIG": str(fx.work / "no-config.toml")}
    for rep in fx.config.rounds():
        for name, imp, touch in (("open_path_50mb", big, False), ("open_path_1mb", small, False),
                                 ("open_path_50mb_touched", big, True)):
            imp.at_start()
            if touch:
                stat = imp.source.stat()
                os.utime(imp.source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
            whole, frame = run_to_frame([script, str(imp.source), "--db", str(imp.db)],
                                        FIRST_SCREEN_MARKER, env, timeout=120)
            if rep:
                frames[name].append(frame * 1000)
                wholes[name].append(whole * 1000)
    sizes = {name: (big if "50mb" in name else small).source.stat().st_size for name in NAMES}

    def figure(name: str, reference: str | None = None, bar: Bar | None = None,
               note: str = "") -> Figure:
        mid = sorted(wholes[name])[len(wholes[name]) // 2]
        return Figure(name, samples=frames[name], reference=reference, bar=bar,
                      note=f"{sizes[name]:,} B{note}; spawn to exit {mid:.0f} ms",
                      extra={"to_exit_ms": mid})

    return [
        figure("open_path_50mb", "open_path_1mb", Bar("ratio", 1.5)),
        figure("open_path_1mb"),
        figure("open_path_50mb_touched", "open_path_1mb", note=", mtime changed"),
    ]
