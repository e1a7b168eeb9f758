"""The sidebar with 10k highlights vs 100: open (first frame) and scroll (pagedown, k).

An app holding one ``Sidebar`` (44 columns, like the reader screen's) whose entries
are set before the first frame. They come from the store as the reader gets them (#17.4):
``BriefingView.load`` (the read model's query over a database of 10k or 100 highlights
in one 1 MB briefing, see ``fixtures.highlight_db``) and its ``entries()``. Open: the
query -> first frame showing the first entry (its quote's start), the query, the view
and the entries inside the timed span. Scroll: with the selection at some entry in the middle,
``pagedown`` then ``k`` posted as ``events.Key`` -> frame showing the new selection
and scroll offset.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from benchmarks.driving import Session, time_first_frame
from benchmarks.fixtures import Fixtures
from benchmarks.harness import Bar, Figure

COUNTS = ("10k", "100")
NAMES = [f"sidebar_{what}_{count}" for what in ("open", "scroll") for count in COUNTS]
BAR = Bar("ratio", 1.5)


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


def _stored(fx: Fixtures, label: str) -> tuple[Path, str]:
    """The database with ``label`` highlights in one briefing (1 MB of text)."""
    imp = fx.highlight_db(label, briefings=1)  # as exporting asks (one cached build)
    return imp.db, imp.briefing_id


def _read_entries(store: object, briefing_id: str) -> list:
    """What the reader does on open: the store's query, the view, the entries."""
    from briefing_tui.ui.briefing_view import BriefingView

    return BriefingView.load(store, briefing_id).entries()  # type: ignore[arg-type]


def _marker(entries_: list) -> str:
    """The start of the first entry's quote, as its row shows it."""
    return " ".join(entries_[0].quote.split())[:12]


async def _opens(fx: Fixtures) -> dict[str, list[float]]:
    """First-frame times from the store's query on, the sizes alternating (this machine
    is noisy), one warm-up: the entries are read and built inside the timed span."""
    from briefing_tui.core.store import Store

    out: dict[str, list[float]] = {label: [] for label in COUNTS}
    stores = {label: Store(_stored(fx, label)[0]) for label in COUNTS}
    try:
        ids = {label: _stored(fx, label)[1] for label in COUNTS}
        markers = {label: _marker(_read_entries(stores[label], ids[label])) for label in COUNTS}
        # ~20 ms each, so three times the usual repeats: the median must not be one hiccup.
        rounds = range(fx.config.rounds().start, 3 * fx.config.repeats + 1)
        for rep in rounds:
            for label in COUNTS:
                store, bid = stores[label], ids[label]
                took = await time_first_frame(
                    lambda store=store, bid=bid: _app(_read_entries(store, bid)), markers[label])
                if rep:
                    out[label].append(took * 1000)
    finally:
        for store in stores.values():
            store.close()
    return out


async def _scrolls(fx: Fixtures, items: list) -> list[float]:
    from briefing_tui.ui.widgets.sidebar import Sidebar

    scrolls = []
    async with Session(_app(items), _marker(items)) as s:
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
    from briefing_tui.core.store import Store

    items = {}
    for label in COUNTS:
        db, bid = _stored(fx, label)
        with Store(db) as store:
            items[label] = _read_entries(store, bid)
    opens = asyncio.run(_opens(fx))
    scrolls = {label: asyncio.run(_scrolls(fx, items[label])) for label in COUNTS}
    figures = []
    for what, results in (("open", opens), ("scroll", scrolls)):
        for label in COUNTS:
            ref = f"sidebar_{what}_100" if label != "100" else None
            figures.append(Figure(
                f"sidebar_{what}_{label}", samples=results[label], reference=ref,
                bar=BAR if ref else None,
                note=f"{fx.config.count(label):,} entries"
                + (" (store query + view + entries -> first frame)" if what == "open" else "")
                + (", pagedown and k" if what == "scroll" else "")))
    return figures
