"""Cold start of ``briefing-tui`` to the library screen vs a bare Textual app, as processes.

Both run under ``TEXTUAL_DRIVER=benchmarks.frames:ExitOnMarkerDriver``: Textual renders
frames as for a 120x40 truecolor terminal and the driver makes the app exit at the
first frame showing the marker (the library's first briefing title; the bare app's
label). Figure: spawn -> that first frame (what a user waits for: the screen is up);
spawn -> process exit is in ``extra``.

``briefing-tui`` runs the installed console script (next to this Python) on a
prepared database (``BRIEFING_TUI_DB``) holding the 10 KB briefing, with no config.
"""

from __future__ import annotations

import shutil
import statistics
from pathlib import Path

from benchmarks.fixtures import Fixtures
from benchmarks.harness import Bar, Figure, percentile
from benchmarks.procs import PYTHON, run_to_frame

NAMES = ["cold_start", "cold_start_bare"]
LIBRARY_MARKER = "Benchmark daily"  # the start of the briefing's title, in the library table
BARE_MARKER = "bare benchmark label"


def console_script() -> str:
    """The ``briefing-tui`` console script of this environment."""
    beside = Path(PYTHON).parent / "briefing-tui"
    found = str(beside) if beside.exists() else shutil.which("briefing-tui")
    if not found:
        raise ImportError("briefing_tui console script not installed", name="briefing_tui.cli")
    return found


def run(fx: Fixtures) -> list[Figure]:
    """Alternate the two processes; one warm-up round (disk cache, .pyc) first."""
    script = console_script()
    imp = fx.imported("10kb")
    env = {"BRIEFING_TUI_DB": str(imp.db)}
    app, bare, app_frame, bare_frame = [], [], [], []
    for rep in fx.config.rounds():
        whole, frame = run_to_frame([script], LIBRARY_MARKER, env)
        b_whole, b_frame = run_to_frame([PYTHON, "-m", "benchmarks.bare_app"], BARE_MARKER)
        if rep:
            app.append(whole * 1000)
            app_frame.append(frame * 1000)
            bare.append(b_whole * 1000)
            bare_frame.append(b_frame * 1000)
    # The figures are spawn -> first frame (what a user waits for, #17.4); spawn -> exit
    # (which adds our final collection and Textual's shutdown) stays in ``extra``.
    return [
        Figure("cold_start", samples=app_frame, reference="cold_start_bare",
               bar=Bar("ratio", 1.5),
               note=f"spawn -> library frame; p99 {percentile(app_frame, 99):.0f} ms;"
                    f" to exit {statistics.median(app):.0f} ms",
               extra={"to_exit_ms": statistics.median(app),
                      "p99": percentile(app_frame, 99)}),
        Figure("cold_start_bare", samples=bare_frame,
               note=f"spawn -> label frame; p99 {percentile(bare_frame, 99):.0f} ms;"
                    f" to exit {statistics.median(bare):.0f} ms",
               extra={"to_exit_ms": statistics.median(bare),
                      "p99": percentile(bare_frame, 99)}),
    ]
