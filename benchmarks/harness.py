"""Figures, bars, the run configuration, the table and ``results.json``.

A scenario module returns :class:`Figure` values under stable names. A figure
names its *reference* (another figure measured in the same process run, because
this machine is noisy) and optionally a :class:`Bar`; the ratio and the verdict
are computed here once every figure is in.
"""

from __future__ import annotations

import json
import math
import platform
import statistics
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import corpora

OK, MISSING, ERROR = "ok", "missing", "error"


@dataclass(frozen=True)
class Bar:
    """A bar a figure must meet.

    kind ``"ratio"``: ``median / reference median <= limit``;
    kind ``"max"``: ``value <= limit`` in the figure's unit, where value is the
    figure's median (or ``extra[stat]`` when ``stat`` names another statistic).
    """

    kind: str
    limit: float
    stat: str = "median"

    def describe(self, unit: str) -> str:
        """Short text for the table, e.g. ``≤1.5×`` or ``p50≤2ms``."""
        if self.kind == "ratio":
            return f"≤{self.limit:g}×"
        prefix = "" if self.stat == "median" else self.stat
        return f"{prefix}≤{self.limit:g}{unit}"


@dataclass
class Figure:
    """One measured quantity: its samples (in ``unit``), reference and bar."""

    name: str
    unit: str = "ms"
    samples: list[float] = field(default_factory=list)
    status: str = OK
    reference: str | None = None
    bar: Bar | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    ratio: float | None = None
    met: bool | None = None

    @property
    def median(self) -> float | None:
        """Median of the samples (None without samples)."""
        return statistics.median(self.samples) if self.samples else None

    @property
    def min(self) -> float | None:
        """Smallest sample."""
        return min(self.samples) if self.samples else None

    @property
    def max(self) -> float | None:
        """Largest sample."""
        return max(self.samples) if self.samples else None

    def to_json(self) -> dict[str, Any]:
        """The figure as stored in ``results.json``."""
        data = {
            "status": self.status, "unit": self.unit, "median": _round(self.median),
            "min": _round(self.min), "max": _round(self.max), "n": len(self.samples),
            "reference": self.reference, "ratio": _round(self.ratio),
            "bar": asdict(self.bar) if self.bar else None, "met": self.met,
            "note": self.note,
        }
        if self.extra:
            data["extra"] = {k: _round(v) if isinstance(v, float) else v
                             for k, v in self.extra.items()}
        return data


def _round(value: float | None, digits: int = 4) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(value, digits)


def percentile(samples: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0..100) by linear interpolation."""
    ordered = sorted(samples)
    if not ordered:
        raise ValueError("no samples")
    pos = (len(ordered) - 1) * q / 100
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


@dataclass
class Config:
    """What a run measures and how often. ``quick`` shrinks sizes, keeps names."""

    quick: bool = False
    repeats: int = 5
    sizes: dict[str, int] = field(default_factory=lambda: dict(corpora.SIZES))
    highlights: dict[str, int] = field(
        default_factory=lambda: {"100": 100, "10k": 10_000, "20k": 20_000, "100k": 100_000})
    store_ops: int = 400
    # The search library (issue 13.7): briefings, characters of reading text each, highlights.
    search_library: tuple[int, int, int] = (2_000, 100_000, 200_000)
    data_dir: Path = corpora.DATA_DIR
    work_dir: Path | None = None  # databases of this run; a temp dir under data_dir if None
    only: tuple[str, ...] = ()  # scenario groups to run (all if empty)
    warmup: bool = True  # an unmeasured first round (imports, caches); the smoke test skips it

    @classmethod
    def full(cls, **changes: Any) -> Config:
        """The full run (sizes and counts as the issue names them)."""
        return cls(**changes)

    @classmethod
    def quick_run(cls, **changes: Any) -> Config:
        """The smoke run: small sizes, two repeats (CI)."""
        base: dict[str, Any] = {
            "quick": True, "repeats": 2,
            "sizes": {"10kb": 10_000, "1mb": 60_000, "5mb": 200_000, "20mb": 400_000,
                      "50mb": 600_000},
            "highlights": {"100": 100, "10k": 600, "20k": 1_000, "100k": 2_000},
            "store_ops": 40,
            "search_library": (40, 20_000, 2_000),
        }
        base.update(changes)
        return cls(**base)

    def rounds(self) -> range:
        """Round numbers of a scenario: round 0 is the unmeasured warm-up (if any)."""
        return range(0 if self.warmup else 1, self.repeats + 1)

    def size(self, label: str) -> int:
        """Bytes of the corpus called ``label`` ("5mb") in this run."""
        return self.sizes[label]

    def count(self, label: str) -> int:
        """Highlights of the database called ``label`` ("100k") in this run."""
        return self.highlights[label]

    def make_work_dir(self) -> Path:
        """A fresh folder for this run's databases."""
        if self.work_dir is not None:
            self.work_dir.mkdir(parents=True, exist_ok=True)
            return Path(tempfile.mkdtemp(prefix="run-", dir=self.work_dir))
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix="run-", dir=self.data_dir))


def resolve(figures: Iterable[Figure]) -> dict[str, Figure]:
    """Compute ratios and verdicts; returns the figures by name (in order)."""
    by_name = {f.name: f for f in figures}
    for fig in by_name.values():
        ref = by_name.get(fig.reference or "")
        if fig.status == OK and ref is not None and ref.status == OK and ref.median:
            fig.ratio = fig.median / ref.median if fig.median is not None else None
        if fig.bar is None or fig.status != OK:
            fig.met = None if fig.bar is None else False
            continue
        if fig.bar.kind == "ratio":
            fig.met = fig.ratio is not None and fig.ratio <= fig.bar.limit
        else:
            value = fig.median if fig.bar.stat == "median" else fig.extra.get(fig.bar.stat)
            fig.met = value is not None and value <= fig.bar.limit
    return by_name


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ms":
        return f"{value:.3f}" if value < 1 else f"{value:.1f}" if value < 100 else f"{value:.0f}"
    return f"{value:.1f}"


def table(figures: dict[str, Figure]) -> str:
    """The results as a Markdown table (also fine on a terminal)."""
    head = ["scenario", "median", "min", "max", "unit", "reference", "ratio", "bar", "ok", "note"]
    rows = [head, ["---"] * len(head)]
    for fig in figures.values():
        if fig.status != OK:
            rows.append([fig.name, fig.status, "", "", fig.unit, fig.reference or "", "",
                         fig.bar.describe(fig.unit) if fig.bar else "", "✗" if fig.bar else "",
                         fig.note[:80]])
            continue
        rows.append([
            fig.name, _fmt(fig.median, fig.unit), _fmt(fig.min, fig.unit),
            _fmt(fig.max, fig.unit), fig.unit, fig.reference or "",
            f"{fig.ratio:.2f}×" if fig.ratio is not None else "",
            fig.bar.describe(fig.unit) if fig.bar else "",
            "" if fig.met is None else ("✓" if fig.met else "✗"),
            fig.note,
        ])
    return "\n".join("| " + " | ".join(str(c) for c in row) + " |" for row in rows)


def results_document(figures: dict[str, Figure], config: Config,
                     seconds: float) -> dict[str, Any]:
    """The JSON document written to ``results.json``."""
    import textual

    bars = [f for f in figures.values() if f.bar is not None]
    return {
        "meta": {
            "mode": "quick" if config.quick else "full",
            "repeats": config.repeats,
            "sizes_bytes": config.sizes,
            "highlights": config.highlights,
            "python": sys.version.split()[0],
            "textual": textual.__version__,
            "platform": platform.platform(),
            "cpus": _cpu_count(),
            "seconds": round(seconds, 1),
            "bars_met": sum(1 for f in bars if f.met),
            "bars_total": len(bars),
        },
        "scenarios": {name: fig.to_json() for name, fig in figures.items()},
    }


def _cpu_count() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def write_results(path: Path, document: dict[str, Any]) -> None:
    """Write ``results.json`` (atomically, so a crash never leaves half a file)."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
