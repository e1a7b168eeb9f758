"""Key presses and resize in the reader at 5 MB vs 10 KB.

For each key: drop the reader's and sidebar's cached strips (``notify_style_update``,
Textual's hook for "styles changed"), move the cursor to a spot (a different fraction
of the text each repeat), let the app settle, post the key as an ``events.Key`` and
time it to the first frame showing the final state (cursor, selection, scroll offset,
size). Also the CPU of the repaints in between. Dropping the caches makes both sizes
render rows they have not cached: the 10 KB text is only three screens, so otherwise
every row it shows would be cached after the first round while the 5 MB text's rows
are new, and the comparison would be cache against no cache.

``v``+motion: ``v`` is posted (unmeasured), then ``j`` is measured with the selection
active. ``]`` jumps to the next of the briefing's highlights: one per 400 characters at
both sizes (so about ten per screen and a full sidebar in both; ~12,000 at 5 MB), see
:mod:`benchmarks.fixtures`.

Resize: 120x40 -> 80x40 -> 120x40 with the cursor mid-text; each re-wrap is a
sample, and the cursor's text offset must not move (checked, else an error).
"""

from __future__ import annotations

import asyncio
import statistics
from pathlib import Path

from benchmarks.corpora import FIRST_SCREEN_MARKER
from benchmarks.driving import Effect, Session
from benchmarks.fixtures import KEY_HIGHLIGHT_EVERY, Fixtures
from benchmarks.harness import Bar, Figure

# name -> (keys posted before, unmeasured; the measured key)
KEYS: dict[str, tuple[tuple[str, ...], str]] = {
    "row": ((), "j"),
    "word": ((), "w"),
    "sentence": ((), "right_parenthesis"),
    "page": ((), "pagedown"),
    "end": ((), "G"),
    "select": (("v",), "j"),
    "next_highlight": ((), "right_square_bracket"),
}
LABELS = ("5mb", "10kb")
NAMES = (
    [f"{kind}_{name}_{label}" for name in KEYS for kind in ("key", "cpu") for label in LABELS]
    + [f"resize_{label}" for label in LABELS]
)
KEY_BAR = Bar("ratio", 1.2)
KEY_REPEATS = 32  # keys are cheap, and the shared machine's scheduling is noisy
SESSIONS = 8  # per size in a full run, alternated A B B A A B B A ... (see run)


def _fractions(count: int) -> list[float]:
    """Where the cursor starts for each repeat, as fractions of the text (0.2-0.8)."""
    return [0.2 + (i * 0.37) % 0.6 for i in range(1, count + 1)]


def _spot(text: str, fraction: float) -> int:
    """The start of the line at ``fraction`` of the text (a paragraph's first row)."""
    at = int(len(text) * fraction)
    return text.rfind("\n", 0, at) + 1


async def _session(fx: Fixtures, label: str, fractions: list[float],
                   resizes: int) -> dict[str, list[Effect]]:
    """One app on ``label``'s briefing: every key from each spot (the first a warm-up),
    then ``resizes`` resize rounds (after a warm-up)."""
    from briefing_tui.core.store import Store
    from briefing_tui.ui.app import BriefingApp
    from briefing_tui.ui.widgets.reader_view import ReaderView
    from briefing_tui.ui.widgets.sidebar import Sidebar

    imp = fx.imported(label, every=KEY_HIGHLIGHT_EVERY)
    out: dict[str, list[Effect]] = {}
    imp.at_start()  # the first screen must show the marker
    with Store(imp.db) as store:
        app = BriefingApp(store, imp.briefing_id, config_path=Path(fx.work) / "no-config.toml")
        async with Session(app, FIRST_SCREEN_MARKER) as s:
            reader = s.app.screen.query_one(ReaderView)
            sidebar = s.app.screen.query_one(Sidebar)
            reader.focus()
            s.watch(lambda: (reader.cursor, reader.selection, reader.scroll_offset.x,
                             reader.scroll_offset.y, s.app.size))
            text = reader.document.text
            rounds = [0.2, *fractions]  # round 0: warm-up
            first = 0 if fx.config.warmup else 1
            for name, (before, key) in KEYS.items():
                samples = out.setdefault(name, [])
                for rep, fraction in enumerate(rounds[first:], start=first):
                    for widget in (reader, sidebar):
                        widget.notify_style_update()
                    reader.clear_selection()
                    reader.move_cursor(_spot(text, fraction), center=True)
                    await s.settle()
                    for pre in before:
                        await s.press(pre)
                    effect = await s.press(key)
                    if rep:
                        samples.append(effect)
            reader.clear_selection()
            samples = out.setdefault("resize", [])
            for rep, fraction in enumerate(rounds[first: resizes + 1], start=first):
                reader.move_cursor(_spot(text, fraction) + 7, center=True)
                await s.settle()
                cursor = reader.cursor
                for width in (80, 120):
                    effect = await s.resize(width, 40)
                    if reader.cursor != cursor:
                        raise AssertionError(
                            f"resize to {width} columns moved the cursor from {cursor} to "
                            f"{reader.cursor}")
                    if rep:
                        samples.append(effect)
    return out


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def run(fx: Fixtures) -> list[Figure]:
    """Every key at both sizes, then the resize."""
    # Full run: SESSIONS sessions per size in the order A B B A A B B A, so drift in the
    # machine's load hits both sizes alike and no one process's state (heap, caches)
    # decides a median. Quick run: one session per size.
    # (The quick run measures each key once after the warm-up: it checks the paths.)
    count = KEY_REPEATS if not fx.config.quick else 1
    spots = _fractions(count)
    sessions = 1 if fx.config.quick else SESSIONS
    parts = [spots[i::sessions] for i in range(sessions)]
    repeats = fx.config.repeats
    resizes = [repeats // sessions + (i < repeats % sessions) for i in range(sessions)]
    abba = (0, 1, 1, 0)
    order = [(LABELS[abba[i % 4]], i // 2) for i in range(2 * sessions)]
    results: dict[str, dict[str, list[Effect]]] = {label: {} for label in LABELS}
    for label, part in order:
        got = asyncio.run(_session(fx, label, parts[part], resizes[part]))
        for name, effects in got.items():
            results[label].setdefault(name, []).extend(effects)
    figures: list[Figure] = []
    for name, (before, key) in KEYS.items():
        what = "+".join((*before, key))
        for kind, field, note in (("key", "latency", "post -> frame"),
                                  ("cpu", "repaint_cpu", "CPU per repaint")):
            for label in LABELS:
                effects = results[label][name]
                ref = f"{kind}_{name}_{LABELS[1]}" if label == LABELS[0] else None
                extra = {} if kind == "key" else {
                    "process_cpu_ms": _median([e.total_cpu * 1000 for e in effects]),
                    "settled_repaint_cpu_ms": _median([e.settled_cpu * 1000 for e in effects]),
                }
                figures.append(Figure(
                    f"{kind}_{name}_{label}",
                    samples=[getattr(e, field) * 1000 for e in effects],
                    reference=ref, bar=KEY_BAR if ref else None, note=f"{what}: {note}",
                    extra=extra))
    for label in LABELS:
        effects = results[label]["resize"]
        figures.append(Figure(
            f"resize_{label}", samples=[e.latency * 1000 for e in effects],
            reference="resize_10kb" if label != "10kb" else None,
            note="120<->80 cols re-wrap, cursor offset kept",
            extra={"repaint_cpu_ms": _median([e.repaint_cpu * 1000 for e in effects])}))
    return figures
