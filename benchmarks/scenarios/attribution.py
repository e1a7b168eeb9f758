"""Attribution: precision and recall by kind on our gold set, and one sentence at 5 MB.

``attrib_gold_<kind>_precision`` / ``_recall`` (unit ``%``) score the rules on
``tests/gold`` (the issue's targets: precision ≥ 95 %, recall ≥ 85 %);
``attrib_sentence_5mb`` is :meth:`Attributor.propose_at` for one sentence of the 5 MB
briefing (bar: 5 ms), at sentences spread through it; ``attrib_whole_5mb`` is the
whole-briefing scan a review queue runs in a worker (no bar: it is off the event loop).
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from time import perf_counter

from benchmarks.fixtures import Fixtures
from benchmarks.harness import Bar, Figure

KINDS = ("direct", "indirect", "turn", "anaphora")
NAMES = ([f"attrib_gold_{k}_{m}" for k in (*KINDS, "all") for m in ("precision", "recall")]
         + ["attrib_sentence_5mb", "attrib_whole_5mb"])
SENTENCE_BAR = Bar("max", 5.0)  # ms


def _gold_figures() -> list[Figure]:
    repo = Path(__file__).resolve().parents[2]
    if str(repo) not in sys.path:
        sys.path.insert(0, str(repo))
    from tests.gold.goldset import load, score

    sc = score(load())
    figures = []
    for kind in (*KINDS, None):
        name = kind or "all"
        gold = sum(sc.gold.values()) if kind is None else sc.gold[kind]
        proposed = sum(sc.proposed.values()) if kind is None else sc.proposed[kind]
        figures.append(Figure(f"attrib_gold_{name}_precision", unit="%",
                              samples=[100 * sc.precision(kind)],
                              note=f"{proposed} proposed; target ≥ 95 %"))
        figures.append(Figure(f"attrib_gold_{name}_recall", unit="%",
                              samples=[100 * sc.recall(kind)],
                              note=f"{gold} gold statements; target ≥ 85 %"))
    return figures


def run(fx: Fixtures) -> list[Figure]:
    """The gold scores, then per-sentence and whole-briefing timings at 5 MB."""
    from briefing_tui.core.attribution import Attributor
    from briefing_tui.core.store import Store

    figures = _gold_figures()
    imp = fx.imported("5mb")
    with Store(imp.db) as store:
        briefing = store.get_briefing(imp.briefing_id, with_source=False)
    doc = briefing.document
    attributor = Attributor(doc, [], briefing.title)
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
    figures.append(Figure("attrib_sentence_5mb", samples=samples, bar=SENTENCE_BAR,
                          note=f"propose_at, {len(offsets)} sentences of {n:,} chars"))
    gc.collect()
    t0 = perf_counter()
    found = attributor.propose()
    figures.append(Figure("attrib_whole_5mb", samples=[(perf_counter() - t0) * 1000],
                          note=f"propose(), {len(found):,} proposals (in a worker)"))
    return figures
