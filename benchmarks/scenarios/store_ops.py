"""Create / restyle / delete a highlight through the store, with 0 vs 100k highlights.

Each operation is one committed transaction with its undo step, timed alone
(``perf_counter`` around the call). ``sqlite_commit_row`` is the reference: one
highlight-shaped row inserted and committed by sqlite-utils on a database with the
same pragmas (WAL, synchronous=NORMAL).

The 100k database holds 100,000 highlights over 10 briefings (with their undo steps,
topics, speakers, stances); the 0 database one briefing and none.
"""

from __future__ import annotations

import gc
import random
import uuid
from time import perf_counter

from benchmarks import corpora
from benchmarks.fixtures import Fixtures
from benchmarks.harness import Bar, Figure, percentile

OPS = ("create", "restyle", "delete")
COUNTS = ("0", "100k")
NAMES = ["sqlite_commit_row"] + [f"store_{op}_{count}" for op in OPS for count in COUNTS]
CREATE_BAR = Bar("max", 2.0, stat="p50")  # ms, create+commit with 100k highlights


def _sqlite_reference(fx: Fixtures, ops: int) -> list[float]:
    from sqlite_utils import Database

    db = Database(fx.work / "sqlite-utils-reference.db")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    table = db["rows"]
    table.create({"id": str, "briefing_id": str, "start": int, "end": int, "exact": str,
                  "prefix": str, "suffix": str, "created": str}, pk="id")
    samples = []
    for i in range(ops + 10):
        row = {"id": str(uuid.uuid4()), "briefing_id": "b", "start": i, "end": i + 40,
               "exact": "talks are unlikely to bring instant results", "prefix": "x" * 32,
               "suffix": "y" * 32, "created": "2025-03-20T12:00:00.000+00:00"}
        t0 = perf_counter()
        table.insert(row)  # sqlite-utils commits each insert on its own
        samples.append(perf_counter() - t0)
    db.close()
    return samples[10:]


def _store_ops(db, briefing_id: str, text_length: int, ops: int) -> dict[str, list[float]]:
    from briefing_tui.core.store import Store

    out: dict[str, list[float]] = {op: [] for op in OPS}
    rng = random.Random(corpora.SEED)
    with Store(db) as store:
        stances = [s.id for s in store.stances()]
        spans = corpora.spread_spans(text_length, ops + 10, seed=corpora.SEED + 99)
        ids = []
        gc.collect()
        for start, end in spans:
            t0 = perf_counter()
            ids.append(store.create_highlight(briefing_id, start, end).id)
            out["create"].append(perf_counter() - t0)
        for hid in ids:
            stance = rng.choice(stances)
            t0 = perf_counter()
            store.set_stance(hid, stance)
            out["restyle"].append(perf_counter() - t0)
        for hid in ids:
            t0 = perf_counter()
            store.delete_highlight(hid)
            out["delete"].append(perf_counter() - t0)
    return {op: samples[10:] for op, samples in out.items()}  # the first 10 warm caches


def run(fx: Fixtures) -> list[Figure]:
    """The reference, then the three operations on both databases."""
    ops = fx.config.store_ops
    ref = _sqlite_reference(fx, ops)
    empty = fx.imported("1mb")
    full = fx.highlight_db("100k", briefings=10)
    results = {"0": _store_ops(empty.db, empty.briefing_id, empty.text_length, ops),
               "100k": _store_ops(full.db, full.briefing_id, full.text_length, ops)}
    figures = [_figure("sqlite_commit_row", ref, None, None, "sqlite-utils insert+commit")]
    for op in OPS:
        for count in COUNTS:
            figures.append(_figure(
                f"store_{op}_{count}", results[count][op],
                f"store_{op}_0" if count != "0" else "sqlite_commit_row",
                CREATE_BAR if (op, count) == ("create", "100k") else None,
                f"{fx.config.count(count) if count != '0' else 0:,} highlights in the db"))
    return figures


def _figure(name: str, seconds: list[float], reference: str | None, bar: Bar | None,
            note: str) -> Figure:
    ms = [s * 1000 for s in seconds]
    p50, p99 = percentile(ms, 50), percentile(ms, 99)
    return Figure(name, samples=ms, reference=reference, bar=bar,
                  note=f"{note}; p99 {p99:.2f} ms", extra={"p50": p50, "p99": p99})
