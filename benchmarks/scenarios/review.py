"""The review queue (``a``) at 5 MB: a key while the queue fills, against the same key
without it, and proposals for one sentence.

``review_key_filling_5mb``: ``j`` in the text (the cursor a row down, posted as a key and
timed to the frame showing it, as :mod:`benchmarks.scenarios.keys` does) while the queue's
worker reads the 5 MB briefing; ``review_key_closed_5mb``: the same key, same spots, same
app, queue closed. Alternated spot by spot (closed, filling, filling, closed, ...), each
sample of "filling" taken while the worker was still reading (it starts again when it is
done). Bar: ratio ≤ 1.2.

``review_propose_at_5mb``: :meth:`Attributor.propose_at` for one sentence at sentences
spread through the 5 MB briefing (bar 5 ms; ``attrib_sentence_5mb`` measures the same with
no registry, this one with a registry of speakers as the picker has it).
``review_fill_5mb``: from ``a`` to the full queue (no bar: the queue opens at once and fills).
"""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path
from time import perf_counter

from benchmarks.corpora import FIRST_SCREEN_MARKER
from benchmarks.driving import Effect, Session
from benchmarks.fixtures import Fixtures
from benchmarks.harness import Bar, Figure

NAMES = ["review_key_closed_5mb", "review_key_filling_5mb", "review_key_open_5mb",
         "review_propose_at_5mb", "review_fill_5mb"]
KEY_BAR = Bar("ratio", 1.2)
SENTENCE_BAR = Bar("max", 5.0)  # ms
SPOTS = 48  # per run (alternated closed / filling)


def _spot(text: str, fraction: float) -> int:
    at = int(len(text) * fraction)
    return text.rfind("\n", 0, at) + 1


async def _keys(fx: Fixtures, spots: int
                ) -> tuple[list[Effect], list[Effect], list[Effect], float | None]:
    from briefing_tui.core.store import Store
    from briefing_tui.ui.app import BriefingApp
    from briefing_tui.ui.screens.reader import ReaderScreen
    from briefing_tui.ui.widgets.review_list import ReviewList

    imp = fx.imported("5mb")
    imp.at_start()
    closed: list[Effect] = []
    filling: list[Effect] = []
    opened: list[Effect] = []
    fill_ms: float | None = None
    with Store(imp.db) as store:
        app = BriefingApp(store, imp.briefing_id, config_path=Path(fx.work) / "no-config.toml")
        async with Session(app, FIRST_SCREEN_MARKER) as s:
            screen = s.app.screen
            assert isinstance(screen, ReaderScreen)
            reader = screen.reader
            reader.focus()
            s.watch(lambda: (reader.cursor, reader.scroll_offset.y, s.app.size))
            text = reader.document.text
            # The whole fill, once: from `a` to the last proposal listed.
            t0 = perf_counter()
            screen.action_review()
            queue = screen.query_one("#review", ReviewList)
            while queue.scanning:
                await asyncio.sleep(0.02)
            fill_ms = (perf_counter() - t0) * 1000
            screen.action_review_leave()
            first = 0 if fx.config.warmup else 1
            abba = (False, True, True, False)
            for i in range(first, spots + 1):
                fraction = 0.2 + (i * 0.37) % 0.6
                with_queue = abba[i % 4]
                if with_queue and not screen.reviewing:
                    screen.action_review()
                elif not with_queue and screen.reviewing:
                    screen.action_review_leave()
                reader.focus()
                reader.move_cursor(_spot(text, fraction), center=True)
                await s.settle()
                if with_queue and not queue.scanning:  # finished meanwhile: read again
                    screen.action_review_leave()
                    screen.action_review()
                    reader.focus()
                    await asyncio.sleep(0.3)  # well into the text
                    await s.settle()
                effect = await s.press("j")
                if not i:
                    continue
                if not with_queue:
                    closed.append(effect)
                elif queue.scanning or fx.config.quick:  # the worker was reading all along
                    filling.append(effect)  # (a quick run's text is read in no time)
            # The queue open and full, the worker done: what the underlines cost.
            if not screen.reviewing:
                screen.action_review()
            while queue.scanning:
                await asyncio.sleep(0.05)
            for i in range(1, spots // 2 + 1):
                reader.focus()
                reader.move_cursor(_spot(text, 0.2 + (i * 0.37) % 0.6), center=True)
                await s.settle()
                opened.append(await s.press("j"))
            screen.action_review_leave()
    return closed, filling, opened, fill_ms


def _propose_at(fx: Fixtures) -> list[float]:
    from briefing_tui.core.attribution import Attributor
    from briefing_tui.core.models import Speaker
    from briefing_tui.core.store import Store

    imp = fx.imported("5mb")
    with Store(imp.db) as store:
        briefing = store.get_briefing(imp.briefing_id, with_source=False)
    doc = briefing.document
    registry = [Speaker(f"s{i}", f"Person{i} Name{i}", "spokesman", aliases=(f"Name{i}",))
                for i in range(200)]
    attributor = Attributor(doc, registry, briefing.title)
    n = len(doc.text)
    offsets = [n * i // 25 for i in range(1, 25)]
    samples: list[float] = []
    for rep in fx.config.rounds():
        for offset in offsets:
            gc.collect()
            t0 = perf_counter()
            attributor.propose_at(offset)
            if rep:
                samples.append((perf_counter() - t0) * 1000)
    return samples


def run(fx: Fixtures) -> list[Figure]:
    """The key with and without the filling queue, then one sentence's proposals."""
    spots = 4 if fx.config.quick else SPOTS
    closed, filling, opened, fill_ms = asyncio.run(_keys(fx, spots))
    if not filling:
        raise RuntimeError("the queue finished before any key was measured while it filled")
    return [
        Figure("review_key_closed_5mb", samples=[e.latency * 1000 for e in closed],
               note="j in the text, review queue closed: post -> frame"),
        Figure("review_key_filling_5mb", samples=[e.latency * 1000 for e in filling],
               reference="review_key_closed_5mb", bar=KEY_BAR,
               note=f"j in the text while the queue's worker reads ({len(filling)} keys)",
               extra={"repaint_cpu_ms": sorted(e.repaint_cpu * 1000 for e in filling)[
                   len(filling) // 2]}),
        Figure("review_key_open_5mb", samples=[e.latency * 1000 for e in opened],
               reference="review_key_closed_5mb",
               note="j in the text, the queue open and full (its underlines), worker done"),
        Figure("review_propose_at_5mb", samples=_propose_at(fx), bar=SENTENCE_BAR,
               note="propose_at, 24 sentences, a registry of 200 speakers"),
        Figure("review_fill_5mb", samples=[] if fill_ms is None else [fill_ms],
               note="a -> every proposal listed (worker; the list opens at once)"),
    ]
