"""``python -m benchmarks.rss_child floor TEXT_FILE | app DB BRIEFING_ID``: peak RSS.

Opens the floor (over the lines of TEXT_FILE) or the briefing in ``BriefingApp``,
waits for the first frame showing the document, lets it settle, then presses ``G``
(end of the text) and settles again. Prints one JSON line: peak RSS in KiB after
opening and after the end was shown (``VmHWM`` of /proc/self/status, else
``ru_maxrss``).
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
from pathlib import Path

from benchmarks.corpora import FIRST_SCREEN_MARKER
from benchmarks.driving import key_event
from benchmarks.frames import SIZE, FrameRecorder, prepare_app


def peak_kib() -> int:
    """The process's peak resident set size so far, in KiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


async def measure(argv: list[str]) -> dict[str, int]:
    """Open, settle, go to the end, settle; the peaks."""
    if argv[0] == "floor":
        from benchmarks.floor import FloorApp

        app = FloorApp(Path(argv[1]).read_text(encoding="utf-8").split("\n"))
    else:
        from briefing_tui.core.store import Store
        from briefing_tui.ui.app import BriefingApp

        app = BriefingApp(Store(argv[1]), argv[2])
    recorder = FrameRecorder(marker=FIRST_SCREEN_MARKER)
    prepare_app(app, recorder)
    async with app.run_test(headless=False, size=SIZE):
        await recorder.wait_marker()
        await recorder.settle(0.2)
        opened = peak_kib()
        app.post_message(key_event("G"))
        await recorder.settle(0.3)
        end = peak_kib()
    return {"open_kib": opened, "end_kib": end}


if __name__ == "__main__":
    result = asyncio.run(measure(sys.argv[1:]))
    print(json.dumps(result), file=sys.__stdout__, flush=True)
