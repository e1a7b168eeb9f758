"""The speakers screen and a dossier (issue 13.7) on a library the benchmark builds.

The library: 2,000 dated briefings and 200,000 highlights (``--quick``: 40 and a few
thousand), one speaker of which said 10,000 (quick: the "10k" count). Timed from
constructing the app to the first frame showing:

- ``speakers_2000``: the speakers screen (every speaker with counts per stance; the
  marker is the heavy speaker's name in the table), bar ≤ 150 ms;
- ``dossier_10k``: that speaker's dossier (stance over time and the statements; the
  marker starts the earliest statement's quote), bar ≤ 150 ms.

The speakers screen lists the speakers at once and counts them in a worker once the first
screen is up (``speakers_counted_2000``: to the frame showing the counts); the dossier reads
its first 200 statements and the whole stance over time (one grouped statement) before the
first screen, every statement in a worker after it (``dossier_all_10k``: that read alone).

References, the same screens on a library of 20 briefings: ``speakers_20`` and
``dossier_100`` (a speaker with 100 highlights): the ratios say how much the size costs.
"""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path
from time import perf_counter

from benchmarks.driving import time_first_frame
from benchmarks.fixtures import Fixtures, Library
from benchmarks.harness import Bar, Figure

NAMES = ["speakers_2000", "speakers_20", "speakers_counted_2000", "dossier_10k",
         "dossier_100", "dossier_all_10k"]
BAR = Bar("max", 150.0)  # ms to the first screen
MARKER = "QX-7731"
HEAVY_NAME = "Heavy Speaker"


def _app(db: Path, screen: str, speaker_id: str = ""):
    from briefing_tui.core.store import Store
    from briefing_tui.ui.app import BriefingApp
    from briefing_tui.ui.screens.dossier import DossierScreen
    from briefing_tui.ui.screens.speakers import SpeakersScreen

    class ScreenApp(BriefingApp):
        """The app with the screen under test as its first screen (as the library is)."""

        def get_default_screen(self):  # type: ignore[no-untyped-def]
            if screen in ("speakers", "counted"):
                return SpeakersScreen()
            return DossierScreen(self.store.speaker(speaker_id))

        def _purge_deleted(self) -> None:  # no background write while timing
            return None

    store = Store(db)
    return ScreenApp(store, config_path=db.parent / "no-config.toml"), store


async def _times(fx: Fixtures, cases: dict[str, tuple[Library, str]]) -> dict[str, list[float]]:
    """First-frame times of each case, the cases alternating, one warm-up round."""
    out: dict[str, list[float]] = {name: [] for name in cases}
    for rep in fx.config.rounds():
        for name, (library, screen) in cases.items():
            stores: list = []

            def make(library: Library = library, screen: str = screen,
                     stores: list = stores):  # type: ignore[no-untyped-def]
                app, store = _app(library.db, screen, library.heavy_speaker_id)
                stores.append(store)
                return app

            marker = {"speakers": HEAVY_NAME, "dossier": library.marker,
                      "counted": str(library.heavy)}[screen]
            took = await time_first_frame(make, marker)
            for store in stores:
                store.close()
            if rep:
                out[name].append(took * 1000)
    return out


def run(fx: Fixtures) -> list[Figure]:
    """Both screens on the big library and on the small one."""
    config = fx.config
    big = fx.library(40 if config.quick else 2000, 2 * config.count("100k"),
                     config.count("10k"), MARKER)
    small = fx.library(20, 20 * config.count("100"), config.count("100"), MARKER)
    times = asyncio.run(_times(fx, {
        "speakers_2000": (big, "speakers"), "speakers_20": (small, "speakers"),
        "speakers_counted_2000": (big, "counted"),
        "dossier_10k": (big, "dossier"), "dossier_100": (small, "dossier"),
    }))
    times["dossier_all_10k"] = _read_all(fx, big)
    about_big = f"{big.briefings:,} briefings, {big.highlights:,} highlights"
    about_small = f"{small.briefings:,} briefings, {small.highlights:,} highlights"
    return [
        Figure("speakers_2000", samples=times["speakers_2000"], reference="speakers_20",
               bar=BAR, note=f"{about_big}: first screen"),
        Figure("speakers_20", samples=times["speakers_20"], note=about_small),
        Figure("speakers_counted_2000", samples=times["speakers_counted_2000"],
               reference="speakers_2000",
               note="the counts shown (a worker reads them once the first screen is up)"),
        Figure("dossier_10k", samples=times["dossier_10k"], reference="dossier_100", bar=BAR,
               note=f"{big.heavy:,} statements of one speaker, {about_big}"),
        Figure("dossier_100", samples=times["dossier_100"],
               note=f"{small.heavy:,} statements, {about_small}"),
        Figure("dossier_all_10k", samples=times["dossier_all_10k"], reference="dossier_10k",
               note="every statement read (the worker after the first screen): core.dossier"),
    ]


def _read_all(fx: Fixtures, library: Library) -> list[float]:
    """What the dossier's worker does after the first screen: read every statement."""
    from briefing_tui.core.dossier import dossier
    from briefing_tui.core.store import Store

    samples = []
    with Store(library.db) as store:
        speaker = store.speaker(library.heavy_speaker_id)
        for rep in fx.config.rounds():
            gc.collect()
            t0 = perf_counter()
            dossier(store, speaker)
            if rep:
                samples.append((perf_counter() - t0) * 1000)
    return samples
