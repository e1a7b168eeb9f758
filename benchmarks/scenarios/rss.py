"""Peak RSS with the 5 MB briefing open vs the floor, each in its own process.

``python -m benchmarks.rss_child`` opens the app (``BriefingApp`` on the imported
briefing) or the floor (:class:`benchmarks.floor.FloorApp` over the same reading
text, read from a file and split into lines), waits for the first frame showing the
document and reports ``VmHWM``. ``rss_5mb_end``: after ``G`` (the end of the text
shown too), for a reader that builds its line index lazily.
"""

from __future__ import annotations

import json

from benchmarks.fixtures import Fixtures
from benchmarks.harness import Bar, Figure
from benchmarks.procs import PYTHON, run_json

NAMES = ["rss_5mb", "rss_5mb_floor", "rss_5mb_end", "rss_5mb_end_floor"]


def run(fx: Fixtures) -> list[Figure]:
    """Alternate app and floor processes."""
    imp = fx.imported("5mb")
    text_file = fx.reading_text_file("5mb")
    samples: dict[str, list[float]] = {name: [] for name in NAMES}
    for _ in range(max(1, fx.config.repeats - 2)):  # RSS is steady: fewer runs suffice
        imp.at_start()  # the last run ended at G: it would reopen there
        app = json.loads(run_json([PYTHON, "-m", "benchmarks.rss_child", "app", str(imp.db),
                                   imp.briefing_id]))
        floor = json.loads(run_json([PYTHON, "-m", "benchmarks.rss_child", "floor",
                                     str(text_file)]))
        samples["rss_5mb"].append(app["open_kib"] / 1024)
        samples["rss_5mb_end"].append(app["end_kib"] / 1024)
        samples["rss_5mb_floor"].append(floor["open_kib"] / 1024)
        samples["rss_5mb_end_floor"].append(floor["end_kib"] / 1024)
    size = f"{fx.config.size('5mb'):,} B"
    return [
        Figure("rss_5mb", unit="MB", samples=samples["rss_5mb"], reference="rss_5mb_floor",
               bar=Bar("ratio", 1.5), note=f"{size}, first screen"),
        Figure("rss_5mb_floor", unit="MB", samples=samples["rss_5mb_floor"], note=size),
        Figure("rss_5mb_end", unit="MB", samples=samples["rss_5mb_end"],
               reference="rss_5mb_end_floor", note=f"{size}, after G"),
        Figure("rss_5mb_end_floor", unit="MB", samples=samples["rss_5mb_end_floor"],
               note=f"{size}, after G"),
    ]
