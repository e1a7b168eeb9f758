"""Open an imported briefing: App start -> first frame showing the document, vs the floor.

The floor is :class:`benchmarks.floor.FloorApp` over the same reading text, split into
lines before the clock starts. The briefing is freshly imported, without highlights
(the sidebar and key-press scenarios cover those). The app gets a freshly opened ``Store`` (opened before
the clock; the app reads the briefing from it on mount, as ``briefing-tui PATH`` does).
Runs alternate app and floor after one unmeasured warm-up of each. ``open_10kb``
shows the part of the cost that does not depend on the briefing's size.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from benchmarks.corpora import FIRST_SCREEN_MARKER
from benchmarks.driving import time_first_frame
from benchmarks.fixtures import Fixtures
from benchmarks.floor import FloorApp
from benchmarks.harness import Bar, Figure

LABELS = ("5mb", "20mb", "10kb")
NAMES = [n for label in LABELS for n in (f"open_{label}", f"open_{label}_floor")]
BARS = {"5mb": Bar("ratio", 1.5)}


async def _measure(fx: Fixtures, label: str) -> list[Figure]:
    from briefing_tui.core.store import Store
    from briefing_tui.ui.app import BriefingApp

    imp = fx.imported(label)
    imp.at_start()  # opening a briefing at its start is what the floor does
    lines = fx.reading_text(label).split("\n")
    config_path = Path(fx.work) / "no-config.toml"
    app_samples, floor_samples = [], []
    for rep in fx.config.rounds():
        store = Store(imp.db)
        try:
            app_s = await time_first_frame(
                lambda store=store: BriefingApp(store, imp.briefing_id, config_path=config_path),
                FIRST_SCREEN_MARKER)
        finally:
            store.close()
        floor_s = await time_first_frame(lambda: FloorApp(lines), FIRST_SCREEN_MARKER)
        if rep:  # the first round warms imports and caches
            app_samples.append(app_s * 1000)
            floor_samples.append(floor_s * 1000)
    size = f"{fx.config.size(label):,} B"
    return [
        Figure(f"open_{label}", samples=app_samples, reference=f"open_{label}_floor",
               bar=BARS.get(label), note=size),
        Figure(f"open_{label}_floor", samples=floor_samples, note=f"{size}, {len(lines):,} lines"),
    ]


def run(fx: Fixtures) -> list[Figure]:
    """Open the 5 MB, 20 MB and 10 KB briefings and their floors."""
    figures: list[Figure] = []
    for label in LABELS:
        figures += asyncio.run(_measure(fx, label))
    return figures
