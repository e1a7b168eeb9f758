"""The sidebar with 10k highlights vs 100: open (first frame) and scroll (pagedown, k).

An app holding one ``Sidebar`` (44 columns, like the reader screen's) whose entries
are set before the first frame; entries are built here from deterministic data (the
quote of the first one starts with the marker). Open: app start -> first frame
showing the first entry. Scroll: with the selection at some entry in the middle,
``pagedown`` then ``k`` posted as ``events.Key`` -> frame showing the new selection
and scroll offset.
"""

from __future__ import annotations

import asyncio
import random

from benchmarks import corpora
from benchmarks.driving import Session, time_first_frame
from benchmarks.fixtures import Fixtures
from benchmarks.harness import Bar, Figure

COUNTS = ("10k", "100")
NAMES = [f"sidebar_{what}_{count}" for what in ("open", "scroll") for count in COUNTS]
BAR = Bar("ratio", 1.5)
MARKER = "QX-7731"


def entries(count: int) -> list:
    """``count`` sidebar entries with realistic quotes, speakers, stances and topics."""
    from briefing_tui.ui.widgets.sidebar import SidebarEntry

    rng = random.Random(corpora.SEED + count)
    stances = [("supports", "#2e9e44"), ("opposes", "#d64545"), ("conditional", "#e0a020"),
               ("neutral", "#6b7fa3"), ("", None)]
    out = []
    for i in range(count):
        name, _role = rng.choice(corpora._SPEAKERS)
        stance, color = rng.choice(stances)
        quote = rng.choice(corpora._QUOTES) + " " + corpora._sentence(rng)
        if i == 0:
            quote = f"{MARKER} {quote}"
        out.append(SidebarEntry(
            highlight_id=f"h{i:06d}", quote=quote, speaker=name if rng.random() < 0.7 else "",
            stance=stance, color=color,
            topics=tuple(rng.sample(corpora._TOPICS, rng.randint(0, 2))),
            has_note=rng.random() < 0.2))
    return out


def _app(items: list):
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    from briefing_tui.ui.widgets.sidebar import Sidebar

    class SidebarApp(App[None]):
        CSS = "Horizontal { height: 1fr; } #text { width: 1fr; } Sidebar { width: 44; }"

        def compose(self) -> ComposeResult:
            from textual.containers import Horizontal

            with Horizontal():
                yield Static("", id="text")
                yield Sidebar(items)

        def on_mount(self) -> None:
            self.query_one(Sidebar).focus()

    return SidebarApp()


async def _opens(fx: Fixtures, items: dict[str, list]) -> dict[str, list[float]]:
    """First-frame times, the sizes alternating (this machine is noisy), one warm-up."""
    out: dict[str, list[float]] = {label: [] for label in items}
    # ~20 ms each, so three times the usual repeats: the median must not be one hiccup.
    rounds = range(fx.config.rounds().start, 3 * fx.config.repeats + 1)
    for rep in rounds:
        for label, entries_ in items.items():
            took = await time_first_frame(lambda entries_=entries_: _app(entries_), MARKER)
            if rep:
                out[label].append(took * 1000)
    return out


async def _scrolls(fx: Fixtures, items: list) -> list[float]:
    from briefing_tui.ui.widgets.sidebar import Sidebar

    scrolls = []
    async with Session(_app(items), MARKER) as s:
        sidebar = s.app.query_one(Sidebar)
        s.watch(lambda: (sidebar.selected_id, sidebar.scroll_offset.y))
        for rep in fx.config.rounds():
            sidebar.select_highlight(items[len(items) * (2 + rep % 5) // 8].highlight_id)
            await s.settle()
            for key in ("pagedown", "k"):
                effect = await s.press(key)
                if rep:
                    scrolls.append(effect.latency * 1000)
    return scrolls


def run(fx: Fixtures) -> list[Figure]:
    """Both sizes; ratios 10k / 100."""
    items = {label: entries(fx.config.count(label)) for label in COUNTS}
    opens = asyncio.run(_opens(fx, items))
    scrolls = {label: asyncio.run(_scrolls(fx, items[label])) for label in COUNTS}
    figures = []
    for what, results in (("open", opens), ("scroll", scrolls)):
        for label in COUNTS:
            ref = f"sidebar_{what}_100" if label != "100" else None
            figures.append(Figure(
                f"sidebar_{what}_{label}", samples=results[label], reference=ref,
                bar=BAR if ref else None,
                note=f"{fx.config.count(label):,} entries"
                + (", pagedown and k" if what == "scroll" else "")))
    return figures
