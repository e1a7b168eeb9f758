"""Peak RSS of importing the 50 MB briefing, per byte of the file, as its own process.

``python -m benchmarks.import_rss_child`` imports the file into a fresh database and
reports its peak resident set (``VmHWM``). Figure: peak RSS / file size (``×``; the issue's
bar: under 6× the file); the peak over the process's baseline (the interpreter and the
importer's modules, the same for any file) is in ``extra``. The 5 MB briefing's ratio is
reported beside it (the baseline weighs more there).

The corpus holds some wide characters (CJK, emoji): Python then keeps each text as 4
bytes a character, so a copy of the text costs 4× the (mostly ASCII) file.
"""

from __future__ import annotations

import json

from benchmarks.fixtures import Fixtures
from benchmarks.harness import Bar, Figure
from benchmarks.procs import PYTHON, run_json

LABELS = ("50mb", "5mb")
NAMES = [f"import_rss_{label}" for label in LABELS]


def run(fx: Fixtures) -> list[Figure]:
    """A process per import; RSS is steady, so fewer rounds than timings."""
    figures: list[Figure] = []
    for label in LABELS:
        source = fx.corpus(label)
        size = source.stat().st_size
        ratios, over = [], []
        for rep in range(max(1, fx.config.repeats - 3)):
            db = fx.work / f"import-rss-{label}-{rep}.db"
            measured = json.loads(run_json([PYTHON, "-m", "benchmarks.import_rss_child",
                                            str(source), str(db)], timeout=900))
            for path in db.parent.glob(db.name + "*"):
                path.unlink()
            ratios.append(measured["peak_kib"] * 1024 / size)
            over.append((measured["peak_kib"] - measured["base_kib"]) * 1024 / size)
        mid = sorted(over)[len(over) // 2]
        figures.append(Figure(
            f"import_rss_{label}", unit="×", samples=ratios,
            bar=Bar("max", 6) if label == "50mb" else None,
            note=f"{size:,} B file; {mid:.1f}× over the process's baseline",
            extra={"over_baseline": mid}))
    return figures
