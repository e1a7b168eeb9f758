"""Search across briefings (``ctrl+f`` from the library and the reader).

Results follow the typing (a short pause, then :func:`briefing_tui.core.search.search` in a
worker thread), best first: briefing, date, where (text, quote or note) and a snippet with
the matched words in bold. ``enter`` opens the briefing in the reader with the cursor on
the match (the reader below moves there if it shows that briefing already).

| key | id | action |
| --- | --- | --- |
| enter | search.open | open the selected hit in the reader, at the match |
| down / up | search.next / search.previous | move through the hits while typing |
| escape | search.close | back to where search was opened |
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Static

from briefing_tui.core.safetext import safe_line
from briefing_tui.core.search import SearchHit, search
from briefing_tui.ui.messages import USER_ERRORS, one_line, services
from briefing_tui.ui.screens.library import fit

if TYPE_CHECKING:
    from briefing_tui.core.store import Store

LIMIT = 50  # hits shown
PAUSE_S = 0.15  # typing pause before the search runs
TITLE_WIDTH = 32
WORKER_GROUP = "search"


class SearchInput(Input):
    """The query line: what is typed shows controls as placeholders (as SafeInput)."""

    def validate_value(self, value: str) -> str:
        """Every value set passes here: a one-line safe text."""
        return safe_line(value)


class HitTable(DataTable, inherit_bindings=False):
    """The hits, without DataTable's own enter (``search.open`` opens, remappable)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        binding for binding in DataTable.BINDINGS
        if not (isinstance(binding, Binding) and binding.key == "enter")
    ]


def snippet_text(hit: SearchHit) -> Text:
    """The hit's snippet on one line, controls as placeholders, the matches in bold.

    Each piece is made safe on its own: a placeholder is one character for one, so the
    marks still fall on the matched words.
    """
    text = Text()
    position = 0
    for start, end in hit.marks:
        text.append(safe_line(hit.snippet[position:start]))
        text.append(safe_line(hit.snippet[start:end]), style="bold reverse")
        position = end
    text.append(safe_line(hit.snippet[position:]))
    return text


class SearchScreen(Screen[None]):
    """The query line over the hits; ``enter`` opens one at its match."""

    DEFAULT_CSS = """
    #search-title {
        height: 1;
        padding: 0 1;
        background: $panel;
        text-style: bold;
    }
    #search-status {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    #search-hits {
        height: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open at match", id="search.open"),
        Binding("down", "move(1)", "Next hit", id="search.next", show=False),
        Binding("up", "move(-1)", "Previous hit", id="search.previous", show=False),
        Binding("escape", "close", "Back", id="search.close"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__(id="search")
        self._initial = query
        self._hits: list[SearchHit] = []
        self._shown_query: str | None = None  # the query the table shows the hits of
        self._timer: Timer | None = None

    @property
    def store(self) -> Store:
        """The app's store."""
        return services(self.app).store

    @property
    def hits(self) -> list[SearchHit]:
        """The hits the table shows, in order."""
        return list(self._hits)

    def compose(self) -> ComposeResult:
        yield Static("Search all briefings: text, quotes and notes", id="search-title")
        yield SearchInput(self._initial, placeholder='words, "a phrase", a OR b, prefix*',
                          id="search-query")
        yield Static("Type to search.", id="search-status")
        yield HitTable(id="search-hits", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(HitTable)
        for label in ("Briefing", "Date", "In", "Snippet"):
            table.add_column(label, key=label.lower())
        self.query_one(SearchInput).focus()
        if self._initial:
            self._schedule()

    # -- searching ------------------------------------------------------------------------

    @on(Input.Changed, "#search-query")
    def _query_changed(self) -> None:
        self._schedule()

    def _schedule(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(PAUSE_S, self._search_now)

    def _search_now(self) -> None:
        self._run_search(self.query_one(SearchInput).value)

    @work(thread=True, exclusive=True, group=WORKER_GROUP, exit_on_error=False)
    def _run_search(self, query: str) -> None:
        """The worker: search, then show the hits on the UI thread (if still wanted)."""
        try:
            hits = search(self.store, query, LIMIT)
        except USER_ERRORS as error:
            self.app.call_from_thread(self._failed, error)
            return
        self.app.call_from_thread(self._show, query, hits)

    def _failed(self, error: BaseException) -> None:
        self.query_one("#search-status", Static).update(Text(one_line(error)))

    def _show(self, query: str, hits: list[SearchHit]) -> None:
        if query != self.query_one(SearchInput).value:
            return  # typed on meanwhile: the next search shows its own
        self._hits = hits
        self._shown_query = query
        table = self.query_one(HitTable)
        table.clear()
        for index, hit in enumerate(hits):
            table.add_row(Text(fit(hit.title, TITLE_WIDTH)), Text(safe_line(hit.date[:10])),
                          Text(hit.kind), snippet_text(hit), key=str(index))
        status = self.query_one("#search-status", Static)
        if not query.strip():
            status.update("Type to search.")
        elif not hits:
            status.update("No matches.")
        else:
            more = f" (the best {LIMIT})" if len(hits) == LIMIT else ""
            status.update(f"{len(hits)} match{'es' if len(hits) != 1 else ''}{more}"
                          " · enter opens at the match · escape goes back")

    # -- keys -----------------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        """Move the table's cursor while the query line keeps the keys."""
        table = self.query_one(HitTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))

    @on(Input.Submitted, "#search-query")
    def _submitted(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        """Open the selected hit at its match (searching first if the hits are not those
        of the query as typed: enter right after typing opens the best hit)."""
        query = self.query_one(SearchInput).value
        if query != self._shown_query:
            if self._timer is not None:
                self._timer.stop()
            self.workers.cancel_group(self, WORKER_GROUP)
            try:
                hits = search(self.store, query, LIMIT)
            except USER_ERRORS as error:
                self._failed(error)
                return
            self._show(query, hits)
        if not self._hits:
            return
        table = self.query_one(HitTable)
        hit = self._hits[min(max(table.cursor_row, 0), len(self._hits) - 1)]
        self._open(hit)

    def _open(self, hit: SearchHit) -> None:
        from briefing_tui.ui.screens.reader import ReaderScreen

        app = self.app
        app.pop_screen()
        below = app.screen
        if isinstance(below, ReaderScreen) and below.briefing_id == hit.briefing_id:
            below.reader.move_cursor(hit.start, center=True)
            return
        services(app).open_briefing(hit.briefing_id, at=hit.start)

    def action_close(self) -> None:
        """Back to the library or the reader search was opened from."""
        self.app.pop_screen()
