"""Changes in the reader at 20k vs 100 highlights in the same 5 MB briefing (#17.4), and the
first ``G`` of a session (no warm-up) at 5 MB vs 10 KB.

Through the real UI: an app on the briefing (``Session``), keys posted as ``events.Key``;
each figure is key posted -> the first frame showing the change (the store's write, the
view's update, the sidebar entry, the mark and the status line included). Per round,
from a spot of the text (a different one each round), on the highlight starting next:

- ``stance``: ``1`` (or ``2`` when it already has the first stance);
- ``note``: ``c``, ``r<round>`` typed (unmeasured), then ``ctrl+s`` measured;
- ``speaker``: ``t``, a name typed (unmeasured), then ``enter`` measured (a new speaker
  the first time, the same one after);
- ``create``: a span of the spot selected, ``enter``;
- ``delete``: ``x`` on the highlight just made;
- ``undo``: ``u`` (it comes back).

"The change shows" = the status line's message, the highlight count, the current
highlight (its stamp moves with every write) or the sidebar's selection differs from
before the key. The 20k and 100 databases hold the same 5 MB text (highlights spread
evenly, with speakers, stances, topics and notes, see ``fixtures.fill_highlights``).
Sessions alternate A B B A. p99 beside p50 in the notes (checkpoints show there), and the
process's CPU from the key to that frame (a busy shared machine moves latency, not CPU).

``first_end``: a fresh app per sample on the key-scenario briefings (one highlight per
400 characters); ``G`` is the first key after the first frame: no warm-up, no cache.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from benchmarks.corpora import FIRST_SCREEN_MARKER
from benchmarks.driving import Effect, Session, key_event
from benchmarks.fixtures import KEY_HIGHLIGHT_EVERY, Fixtures
from benchmarks.harness import Bar, Figure, percentile

CHANGES = ("stance", "note", "speaker", "create", "delete", "undo")
COUNTS = ("20k", "100")
LABEL = "5mb"
FIRST_LABELS = ("5mb", "10kb")
NAMES = ([f"change_{what}_{count}" for what in CHANGES for count in COUNTS]
         + [f"first_end_{label}" for label in FIRST_LABELS])
CHANGE_BAR = Bar("ratio", 1.2)
FIRST_BAR = Bar("ratio", 1.2)
SESSIONS = 4  # per size in a full run, A B B A
SPOTS_PER_REPEAT = 4  # 20 spots (samples per change) in a full run of 5 repeats


def _fractions(count: int) -> list[float]:
    return [0.15 + (i * 0.37) % 0.7 for i in range(1, count + 1)]


async def _changes(fx: Fixtures, count_label: str, fractions: list[float],
                   warm: bool) -> dict[str, list[float]]:
    """One session: every change from each spot (the first spot a warm-up if ``warm``):
    latencies (ms) by change, and the process's CPU for them under ``cpu_<change>``."""
    from textual.widgets import Static

    from briefing_tui.core.store import Store
    from briefing_tui.ui.app import BriefingApp
    from briefing_tui.ui.screens.reader import ReaderScreen

    imp = fx.with_highlights(LABEL, count_label)
    imp.at_start()
    out: dict[str, list[float]] = {what: [] for what in CHANGES}
    cpu: dict[str, list[float]] = {what: [] for what in CHANGES}
    with Store(imp.db) as store:
        app = BriefingApp(store, imp.briefing_id, config_path=Path(fx.work) / "no-config.toml")
        async with Session(app, FIRST_SCREEN_MARKER) as s:
            screen = s.app.screen
            assert isinstance(screen, ReaderScreen)
            reader, sidebar = screen.reader, screen.sidebar
            status = screen.query_one("#status", Static)
            reader.focus()
            await s.settle()

            def shown() -> object:
                view = screen.view
                current = screen.current_highlight() if s.app.screen is screen else None
                return (str(status.render()), len(view.anchored) + view.orphan_count,
                        current, sidebar.selected_id)

            s.watch(shown)

            async def type_keys(keys: list[str]) -> None:
                """Keys not measured (a dialog opened, a name typed), each let settle."""
                for name in keys:
                    s.app.post_message(key_event(name))
                    await s.settle()

            text = reader.document.text
            rounds = [0.5, *fractions] if warm else fractions
            for rep, fraction in enumerate(rounds, start=0 if warm else 1):
                took: dict[str, Effect] = {}
                spot = int(len(text) * fraction)
                target = screen.view.next_after(spot)
                if target is None:
                    continue
                reader.move_cursor(target.start, center=True)
                await s.settle()
                current = screen.current_highlight()
                key = "2" if current is not None and current.stance_id is not None and (
                    store.stance_by_key(1).id == current.stance_id) else "1"
                took["stance"] = await s.press(key)
                await type_keys(["c", *f"r{rep}"])
                took["note"] = await s.press("ctrl+s")
                await type_keys(["t", *("space" if ch == " " else ch for ch in "Bench Sayer")])
                took["speaker"] = await s.press("enter")
                start = text.rfind("\n", 0, spot) + 1
                reader.select_span(start, start + 24)
                await s.settle()
                took["create"] = await s.press("enter")
                took["delete"] = await s.press("x")
                took["undo"] = await s.press("u")
                if rep:
                    for what, effect in took.items():
                        out[what].append(effect.latency * 1000)
                        cpu[what].append(effect.total_cpu * 1000)
    return {**out, **{f"cpu_{what}": values for what, values in cpu.items()}}


async def _first_end(fx: Fixtures, label: str) -> float:
    """A fresh app on ``label``'s key briefing; the first key is ``G``: its latency (ms)."""
    from briefing_tui.core.store import Store
    from briefing_tui.ui.app import BriefingApp
    from briefing_tui.ui.widgets.reader_view import ReaderView

    imp = fx.imported(label, every=KEY_HIGHLIGHT_EVERY)
    imp.at_start()
    with Store(imp.db) as store:
        app = BriefingApp(store, imp.briefing_id, config_path=Path(fx.work) / "no-config.toml")
        async with Session(app, FIRST_SCREEN_MARKER) as s:
            reader = s.app.screen.query_one(ReaderView)
            reader.focus()
            await s.settle()
            s.watch(lambda: (reader.cursor, reader.scroll_offset.y))
            return (await s.press("G")).latency * 1000


def _note(samples: list[float], what: str) -> str:
    p50, p99 = percentile(samples, 50), percentile(samples, 99)
    return f"{what}; p50 {p50:.1f} p99 {p99:.1f} ms"


def run(fx: Fixtures) -> list[Figure]:
    """Changes at both counts (sessions alternating), then the first G at both sizes."""
    sessions = 1 if fx.config.quick else SESSIONS
    count = fx.config.repeats * (1 if fx.config.quick else SPOTS_PER_REPEAT)
    spots = _fractions(max(count, sessions))
    parts = [spots[i::sessions] for i in range(sessions)]
    abba = (0, 1, 1, 0)
    results: dict[str, dict[str, list[float]]] = {c: {} for c in COUNTS}
    for i in range(2 * sessions):
        count = COUNTS[abba[i % 4]]
        part = parts[i // 2]
        got = asyncio.run(_changes(fx, count, part, warm=fx.config.warmup))
        for what, samples in got.items():
            results[count].setdefault(what, []).extend(samples)
    figures = []
    for what in CHANGES:
        for count in COUNTS:
            ref = f"change_{what}_100" if count != "100" else None
            samples = results[count][what]
            cpu = percentile(results[count][f"cpu_{what}"], 50)
            figures.append(Figure(
                f"change_{what}_{count}", samples=samples, reference=ref,
                bar=CHANGE_BAR if ref else None,
                note=_note(samples, f"{fx.config.count(count):,} highlights, 5 MB: key -> frame")
                + f"; CPU p50 {cpu:.1f} ms",
                extra={"p50": percentile(samples, 50), "p99": percentile(samples, 99),
                       "process_cpu_ms": cpu}))
    firsts: dict[str, list[float]] = {label: [] for label in FIRST_LABELS}
    for _rep in range(1, fx.config.repeats + 1):
        for label in FIRST_LABELS:
            firsts[label].append(asyncio.run(_first_end(fx, label)))
    for label in FIRST_LABELS:
        ref = "first_end_10kb" if label != "10kb" else None
        figures.append(Figure(
            f"first_end_{label}", samples=firsts[label], reference=ref,
            bar=FIRST_BAR if ref else None,
            note=_note(firsts[label], "G as a session's first key (no warm-up): key -> frame")))
    return figures
