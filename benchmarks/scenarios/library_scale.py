"""The library at scale: the speaker × stance matrix and the library screen.

A library of 2,000 briefings (100,000 characters of reading text each, ≈ 200 MB) with
200,000 highlights (speakers, stances, topics as :func:`fill_highlights` writes them),
built here through ``Store.add_briefing`` and one bulk insert of highlights; the
``--quick`` run uses 40 briefings of 5,000 characters and 2,000 highlights.

- ``matrix_200k``: :func:`briefing_tui.core.queries.matrix` over the whole library
  (one grouped statement), and ``matrix_topic_200k`` with a topic and a date range;
  bar: 150 ms.
- ``matrix_screen_200k``: the matrix screen's first frame showing its grid, app start
  included (no bar: the count is the part that grows).
- ``library_2000`` / ``library_50``: the app started on the library screen, to the first
  frame showing the first briefing's title, with 2,000 and with 50 briefings (50 with
  5,000 highlights: enough to fill the first screen, as 2,000 do); bar: ratio ≤ 1.5×.
  ``library_20`` (20 briefings, 2,000 highlights) draws 20 rows where the others draw a
  screenful (DataTable renders ~0.35 ms a row): reported, no bar.
"""

from __future__ import annotations

import asyncio
import gc
from time import perf_counter

from benchmarks.driving import time_first_frame
from benchmarks.fixtures import Fixtures, _quiesce, fill_highlights
from benchmarks.harness import Bar, Figure

NAMES = ["matrix_200k", "matrix_topic_200k", "matrix_screen_200k", "library_20",
         "library_50", "library_2000"]
MATRIX_BAR = Bar("max", 150.0)
LIBRARY_BAR = Bar("ratio", 1.5)
MARKER = "Briefing 0000"  # the first title of the library (titles sort)


def _sizes(fx: Fixtures) -> tuple[int, int, int]:
    """(briefings, highlights, characters per briefing) of the big library."""
    return (40, 2_000, 5_000) if fx.config.quick else (2_000, 200_000, 100_000)


def build_library(fx: Fixtures, briefings: int, highlights: int, chars: int) -> object:
    """A database of ``briefings`` dated briefings sharing one text, and ``highlights``."""
    from briefing_tui.core.document import parse_text
    from briefing_tui.core.store import Store

    base = fx.reading_text("1mb")
    text = (base * (1 + chars // max(1, len(base))))[:chars]
    document = parse_text(text)
    db = fx.work / f"library-{briefings}-{highlights}.db"
    with Store(db) as store:
        ids = []
        for i in range(briefings):
            year, day = 2022 + (i // 336) % 4, i % 336
            info = store.add_briefing(
                title=f"Briefing {i:04d} on the talks", source=f"Wire {i % 7}",
                published=f"{year}-{1 + day // 28:02d}-{1 + day % 28:02d}", url="",
                path="", fmt="text", source_text=text, document=document,
                content_hash=f"scale-{i}")
            ids.append(info.id)
        fill_highlights(store, ids, text, highlights)
    _quiesce()
    return db


def _time_calls(call: object, repeats: int) -> list[float]:
    samples = []
    for rep in range(repeats + 1):
        gc.collect()
        t0 = perf_counter()
        call()  # type: ignore[operator]
        took = perf_counter() - t0
        if rep:  # round 0 warms the page cache
            samples.append(took * 1000)
    return samples


def _library_app(db: object) -> object:
    from briefing_tui.core.store import Store
    from briefing_tui.ui.app import BriefingApp

    return BriefingApp(Store(db))  # type: ignore[arg-type]


def _matrix_app(db: object) -> object:
    from textual.app import App

    from briefing_tui.core.store import Store
    from briefing_tui.ui.screens.matrix import MatrixScreen

    class MatrixApp(App[None]):
        def __init__(self) -> None:
            super().__init__()
            self.store = Store(db)  # type: ignore[arg-type]

        def get_default_screen(self) -> MatrixScreen:
            return MatrixScreen()

        def report_error(self, error: BaseException) -> None:
            raise error

    return MatrixApp()


async def _frames(fx: Fixtures, apps: dict[str, object], marker: dict[str, str]
                  ) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {label: [] for label in apps}
    for rep in range(fx.config.rounds().start, 3 * fx.config.repeats + 1):
        for label, make in apps.items():
            took = await time_first_frame(make, marker[label])  # type: ignore[arg-type]
            if rep:
                out[label].append(took * 1000)
    return out


def run(fx: Fixtures) -> list[Figure]:
    """Build the two libraries, then time the matrix and the library screen."""
    from briefing_tui.core import queries
    from briefing_tui.core.store import Store

    count, total, chars = _sizes(fx)
    big = build_library(fx, count, total, chars)
    small = build_library(fx, 20, 2_000, chars)
    screenful = build_library(fx, 50, 5_000, chars)
    reps = 3 * fx.config.repeats
    with Store(big) as store:  # type: ignore[arg-type]
        plain = _time_calls(lambda: queries.matrix(store), reps)
        filtered = _time_calls(lambda: queries.matrix(store, queries.HighlightQuery(
            topic="ceasefire", published_from="2023-01", published_to="2024-06")), reps)
        rows = len(queries.matrix(store).rows)
    frames = asyncio.run(_frames(
        fx, {"matrix_screen_200k": lambda: _matrix_app(big),
             "library_20": lambda: _library_app(small),
             "library_50": lambda: _library_app(screenful),
             "library_2000": lambda: _library_app(big)},
        {"matrix_screen_200k": "Speaker × stance", "library_20": MARKER,
         "library_50": MARKER, "library_2000": MARKER}))
    note = f"{count:,} briefings, {total:,} highlights"
    return [
        Figure("matrix_200k", samples=plain, bar=MATRIX_BAR,
               note=f"{note}, {rows} rows; one grouped statement"),
        Figure("matrix_topic_200k", samples=filtered, bar=MATRIX_BAR,
               note=f"{note}; a topic and a date range"),
        Figure("matrix_screen_200k", samples=frames["matrix_screen_200k"],
               note=f"{note}; app start to the grid's first frame"),
        Figure("library_20", samples=frames["library_20"],
               note="20 briefings, 2,000 highlights; app start to the first frame (20 rows"
                    " drawn)"),
        Figure("library_50", samples=frames["library_50"],
               note="50 briefings, 5,000 highlights; app start to the first frame (a"
                    " screenful of rows drawn)"),
        Figure("library_2000", samples=frames["library_2000"], reference="library_50",
               bar=LIBRARY_BAR, note=f"{note}; app start to the first frame"),
    ]
