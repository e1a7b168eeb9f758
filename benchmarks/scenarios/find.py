"""The first ``/`` find of a session in a 50 MB briefing vs a 1 MB one (#17.4).

Through the real UI: a fresh app per sample on the imported briefing, the cursor put
in the middle of the text; ``/`` and the query are posted (not measured: the find line
opens, the word is typed), then ``enter`` is measured, posted -> the first frame showing
the cursor on the match (the whole find: case-insensitive search from the cursor, the
matches drawn; in a long text the count follows from a worker, see
``ReaderView.find``). No find ran before in the process's app: nothing is cached.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from benchmarks.corpora import FIRST_SCREEN_MARKER
from benchmarks.driving import Session, key_event
from benchmarks.fixtures import Fixtures
from benchmarks.harness import Bar, Figure, percentile

LABELS = ("50mb", "1mb")
NAMES = [f"find_first_{label}" for label in LABELS]
BAR = Bar("ratio", 1.2)
QUERY = "ceasefire"  # a word of the corpus's paragraphs (benchmarks/corpora.py)


async def _first_find(fx: Fixtures, label: str) -> float:
    """A fresh app on ``label``'s briefing: the first find's latency (ms)."""
    from briefing_tui.core.store import Store
    from briefing_tui.ui.app import BriefingApp
    from briefing_tui.ui.widgets.reader_view import ReaderView

    imp = fx.imported(label)
    imp.at_start()
    with Store(imp.db) as store:
        app = BriefingApp(store, imp.briefing_id, config_path=Path(fx.work) / "no-config.toml")
        async with Session(app, FIRST_SCREEN_MARKER) as s:
            reader = s.app.screen.query_one(ReaderView)
            reader.focus()
            await s.settle()
            reader.move_cursor(len(reader.document.text) // 2, center=True)
            await s.settle()
            for key in ("slash", *QUERY):
                s.app.post_message(key_event(key))
                await s.settle()
            s.watch(lambda: (reader.cursor, reader.scroll_offset.y))
            return (await s.press("enter")).latency * 1000


def run(fx: Fixtures) -> list[Figure]:
    """The sizes alternating, one sample per fresh app (after a warm-up round)."""
    samples: dict[str, list[float]] = {label: [] for label in LABELS}
    for rep in fx.config.rounds():
        for label in LABELS:
            took = asyncio.run(_first_find(fx, label))
            if rep:
                samples[label].append(took)
    figures = []
    for label in LABELS:
        ref = "find_first_1mb" if label != "1mb" else None
        values = samples[label]
        figures.append(Figure(
            f"find_first_{label}", samples=values, reference=ref, bar=BAR if ref else None,
            note=f"/{QUERY} enter from mid-text, a session's first find: key -> frame;"
                 f" p50 {percentile(values, 50):.1f} p99 {percentile(values, 99):.1f} ms"))
    return figures
