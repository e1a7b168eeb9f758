"""The sidebar with 10k highlights vs 100: open (first frame) and scroll (pagedown, k).

Open (#17.4): the reader itself (``BriefingApp`` on a fresh ``Store``) over a database of
10k or 100 highlights in one 1 MB briefing (``fixtures.highlight_db``), opened at its
start: app start -> the first frame whose sidebar shows its first entries (text of the
second row of one of the first eight that the text's start does not hold). The store's reads, the view and the entries are inside the timed span: 10k
highlights open with those over the text around the cursor (``ReaderSync.open_view``), the
whole list follows from a worker after the first frame. Scroll: an app holding one
``Sidebar`` (44 columns, like the reader screen's) with every entry, the selection at some
entry in the middle, ``pagedown`` then ``k`` posted as ``events.Key`` -> frame showing the
new selection and scroll offset.
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
    """The database with ``label`` highlights in one briefing (1 MB of text), whose reader
    opens at the text's start."""
    imp = fx.highlight_db(label, briefings=1)  # as exporting asks (one cached build)
    imp.at_start()
    return imp.db, imp.briefing_id


def _read_entries(store: object, briefing_id: str) -> list:
    """What the reader does on open: the store's query, the view, the entries."""
    from briefing_tui.ui.briefing_view import BriefingView

    return BriefingView.load(store, briefing_id).entries()  # type: ignore[arg-type]


def _marker(entries_: list) -> str:
    """The start of the first entry's quote, as its row shows it."""
    return " ".join(entries_[0].quote.split())[:12]


def _sidebar_marker(entries_: list, text: str) -> str:
    """Text only the sidebar draws for one of its first entries ("no speaker", "no
    stance" or a speaker's name) that the text's first screen does not hold (a frame's
    styles split a whole row)."""
    head, first = text[:8_000], entries_[:8]
    candidates = [*(["no speaker"] if any(not e.speaker for e in first) else []),
                  *(["no stance"] if any(not e.stance for e in first) else []),
                  *(e.speaker for e in first if e.speaker)]
    return next(c for c in candidates if c not in head)


async def _opens(fx: Fixtures) -> dict[str, list[float]]:
    """First-frame times of the reader, the sizes alternating (this machine is noisy), one
    warm-up; each run gets a freshly opened store (opened before the clock)."""
    from briefing_tui.core.store import Store
    from briefing_tui.ui.app import BriefingApp

    out: dict[str, list[float]] = {label: [] for label in COUNTS}
    stored = {label: _stored(fx, label) for label in COUNTS}
    markers = {}
    for label, (db, bid) in stored.items():
        with Store(db) as store:
            markers[label] = _sidebar_marker(_read_entries(store, bid),
                                             store.get_briefing(bid).document.text)
    config_path = Path(fx.work) / "no-config.toml"
    rounds = range(fx.config.rounds().start, 2 * fx.config.repeats + 1)
    for rep in rounds:
        for label in COUNTS:
            db, bid = stored[label]
            store = Store(db)
            try:
                took = await time_first_frame(
                    lambda store=store, bid=bid: BriefingApp(store, bid, config_path=config_path),
                    markers[label])
            finally:
                store.close()
            if rep:
                out[label].append(took * 1000)
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
                + (" (reader start, store reads, view, entries -> first frame)"
                   if what == "open" else "")
                + (", pagedown and k" if what == "scroll" else "")))
    return figures
