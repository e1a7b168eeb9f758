"""Export a briefing with 10k highlights to Markdown, JSON and CSV.

Reference ``export_rows_10k``: the same highlights fetched with one SQL query and
``json.dumps``-ed (what any exporter must at least do).
"""

from __future__ import annotations

import gc
import json
from time import perf_counter

from benchmarks.fixtures import Fixtures
from benchmarks.harness import Bar, Figure
from briefing_tui.core.export import EXPORT_FORMATS, FORMATS  # the one list of formats

NAMES = [f"export_{fmt}_10k" for fmt in FORMATS] + ["export_rows_10k"]
EXPORT_BAR = Bar("max", 1000.0)  # ms


def run(fx: Fixtures) -> list[Figure]:
    """Each format and the reference, alternating, one warm-up round first."""
    from briefing_tui.core.store import Store

    imp = fx.highlight_db("10k", briefings=1)
    samples: dict[str, list[float]] = {name: [] for name in NAMES}
    sizes: dict[str, int] = {}
    with Store(imp.db) as store:
        for rep in fx.config.rounds():
            for fmt in FORMATS:
                gc.collect()
                t0 = perf_counter()
                text = EXPORT_FORMATS[fmt].render(store, [imp.briefing_id], "speaker")
                took = perf_counter() - t0
                sizes[fmt] = len(text)
                if rep:
                    samples[f"export_{fmt}_10k"].append(took * 1000)
            gc.collect()
            t0 = perf_counter()
            cursor = store.conn.execute("SELECT * FROM highlights WHERE briefing_id = ?",
                                        (imp.briefing_id,))
            columns = [c[0] for c in cursor.description]
            json.dumps([dict(zip(columns, row, strict=True)) for row in cursor])
            if rep:
                samples["export_rows_10k"].append((perf_counter() - t0) * 1000)
    count = f"{fx.config.count('10k'):,} highlights"
    figures = [Figure(f"export_{fmt}_10k", samples=samples[f"export_{fmt}_10k"],
                      reference="export_rows_10k", bar=EXPORT_BAR,
                      note=f"{count}, {sizes[fmt]:,} chars") for fmt in FORMATS]
    figures.append(Figure("export_rows_10k", samples=samples["export_rows_10k"],
                          note=f"{count}: SELECT + json.dumps"))
    return figures
