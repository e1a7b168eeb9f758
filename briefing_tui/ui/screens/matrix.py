"""The speaker × stance matrix (``M`` from the library and the reader) and a cell's list.

A grid of counts, one row per speaker (most highlights first, or by name), one column
per stance in its colour, then "no stance" and the total; ``enter`` on a cell lists the
highlights it counts (``enter`` there opens the reader at one). The filter (``f``) takes
``#topic since:D until:D source:S``. One grouped statement per redraw
(:func:`briefing_tui.core.queries.matrix`).

| key | id | action |
| --- | --- | --- |
| enter | matrix.open | list the highlights of the cell under the cursor |
| f, / | matrix.filter | filter by topic, dates, source |
| s | matrix.sort | rows by total or by name |
| escape, q | matrix.close | back (clears an open filter line first) |
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.color import ColorParseError
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from briefing_tui.core import queries
from briefing_tui.core.matrix import NO_SPEAKER, NO_STANCE, MatrixFilter, parse_filter
from briefing_tui.core.models import Stance
from briefing_tui.core.safetext import safe_line
from briefing_tui.ui.messages import USER_ERRORS, services
from briefing_tui.ui.widgets.promptbar import PromptBar
from briefing_tui.ui.widgets.safeinput import SafeInput

if TYPE_CHECKING:
    from briefing_tui.core.queries import AnnotatedHighlight, HighlightQuery, Matrix
    from briefing_tui.core.store import Store

NAME_WIDTH = 28
QUOTE_WIDTH = 60


def _cut(text: str, width: int) -> str:
    flat = safe_line(" ".join(text.split()))
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def stance_style(stance: Stance | None) -> Style:
    """A stance's colour (a stance's colour is data: a bad one is no colour)."""
    if stance is None:
        return Style(dim=True)
    try:
        return Style(color=stance.color or None)
    except ColorParseError:
        return Style()


class MatrixTable(DataTable, inherit_bindings=False):
    """The grid without DataTable's own enter (``matrix.open`` is shown and remappable)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        b for b in DataTable.BINDINGS if not (isinstance(b, Binding) and b.key == "enter")]


class MatrixFilterInput(SafeInput):
    """The filter line of the matrix (hidden until ``f``)."""


class MatrixScreen(Screen[None]):
    """Speaker × stance counts over the library or a filter."""

    DEFAULT_CSS = """
    #matrix-title {
        height: 1;
        padding: 0 1;
        background: $panel;
        text-style: bold;
    }
    #matrix-grid { height: 1fr; }
    #matrix-empty { height: auto; padding: 1 2; color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_cell", "Highlights", id="matrix.open"),
        Binding("f,slash", "filter", "Filter", id="matrix.filter"),
        Binding("s", "sort", "Sort", id="matrix.sort"),
        Binding("escape,q", "close", "Back", id="matrix.close"),
    ]

    def __init__(self, filters: MatrixFilter | None = None) -> None:
        super().__init__(id="matrix")
        self.filters = filters or MatrixFilter()
        self.sort: queries.MatrixSort = "total"
        self.grid: Matrix | None = None
        self._stale = False  # covered by another screen since the last count

    @property
    def store(self) -> Store:
        """The app's store."""
        return services(self.app).store

    def compose(self) -> ComposeResult:
        yield Static("Speaker × stance", id="matrix-title")
        yield PromptBar(MatrixFilterInput(
            placeholder="#topic since:2025-03 until:2025-04-30 source:wire  (enter applies)",
            id="matrix-filter"), id="matrix-filter-bar")
        yield MatrixTable(id="matrix-grid", cursor_type="cell", zebra_stripes=True)
        yield Static("", id="matrix-empty")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_grid()
        self.query_one("#matrix-grid", DataTable).focus()

    def on_screen_suspend(self) -> None:
        """A cell's list or a reader covers the grid: recount when it comes back."""
        self._stale = True

    def on_screen_resume(self) -> None:
        """Counts change while a reader is open above: recount on every return (not on
        the first showing: on_mount has just counted)."""
        if self._stale:
            self._stale = False
            self.refresh_grid()

    # -- data ---------------------------------------------------------------------------

    def refresh_grid(self) -> None:
        """Count again (one grouped statement) and redraw, keeping the cursor."""
        try:
            self.grid = queries.matrix(self.store, self.filters.query(), sort=self.sort)
        except USER_ERRORS as error:
            services(self.app).report_error(error)
            return
        table = self.query_one("#matrix-grid", DataTable)
        keep = table.cursor_coordinate
        table.clear(columns=True)
        grid = self.grid
        table.add_column(Text("Speaker", style="bold"), key="speaker")
        for index, stance in enumerate(grid.columns):
            name = NO_STANCE if stance is None else stance.name
            table.add_column(Text(_cut(name, 16), style=stance_style(stance) + Style(bold=True)),
                             key=f"c{index}")
        table.add_column(Text("Total", style="bold"), key="total")
        for r, row in enumerate(grid.rows):
            name = NO_SPEAKER if row.speaker is None else row.speaker.name
            cells: list[Text] = [Text(_cut(name, NAME_WIDTH),
                                      style="italic" if row.speaker is None else "")]
            for stance, count in zip(grid.columns, row.counts, strict=True):
                cells.append(Text(str(count) if count else "·", justify="right",
                                  style=stance_style(stance) if count else Style(dim=True)))
            cells.append(Text(str(row.total), justify="right", style="bold"))
            table.add_row(*cells, key=f"r{r}")
        if grid.rows:
            table.move_cursor(row=min(keep.row, len(grid.rows) - 1),
                              column=min(max(keep.column, 1), len(grid.columns) + 1))
        total = grid.total
        self.query_one("#matrix-title", Static).update(Text(
            f"Speaker × stance — {self.filters.describe()} — {total} highlight"
            f"{'s' if total != 1 else ''}, {len(grid.rows)} rows — by {self.sort}"))
        empty = self.query_one("#matrix-empty", Static)
        empty.update("" if grid.rows else "No highlights match: f changes the filter.")
        empty.display = not grid.rows

    def cell_query(self) -> tuple[HighlightQuery, str] | None:
        """The highlights of the cell under the cursor and a title for their list."""
        grid = self.grid
        table = self.query_one("#matrix-grid", DataTable)
        if grid is None or not grid.rows or not table.row_count:
            return None
        row, column = table.cursor_coordinate
        row = min(row, len(grid.rows) - 1)
        # The speaker's name column and the total column both list the whole row.
        stance_column = column - 1 if 1 <= column <= len(grid.columns) else len(grid.columns)
        speaker = grid.rows[row].speaker
        who = NO_SPEAKER if speaker is None else speaker.name
        if stance_column < len(grid.columns):
            stance = grid.columns[stance_column]
            what = NO_STANCE if stance is None else stance.name
        else:
            what = "all stances"
        title = f"{who} — {what} — {self.filters.describe()}"
        return grid.cell_query(row, stance_column), safe_line(title)

    # -- actions ------------------------------------------------------------------------

    def action_open_cell(self) -> None:
        """List the highlights of the cell under the cursor."""
        found = self.cell_query()
        if found is not None:
            self.app.push_screen(HighlightListScreen(*found))

    @on(DataTable.CellSelected, "#matrix-grid")
    def _cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_open_cell()

    def action_sort(self) -> None:
        """Rows by total (most first) or by name."""
        self.sort = "name" if self.sort == "total" else "total"
        self.refresh_grid()

    def action_filter(self) -> None:
        """Show the filter line, holding the filter as it is."""
        field = self.query_one("#matrix-filter", MatrixFilterInput)
        field.value = self.filters.prompt_text()
        self.query_one("#matrix-filter-bar").display = True
        field.focus()

    @on(Input.Submitted, "#matrix-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            filters = parse_filter(event.value, self.filters.briefing_ids)
        except ValueError as error:
            self.app.notify(safe_line(str(error)), title="Matrix filter", severity="warning")
            return
        self.filters = filters
        self._hide_filter()
        self.refresh_grid()

    def _hide_filter(self) -> None:
        self.query_one("#matrix-filter-bar").display = False
        self.query_one("#matrix-grid", DataTable).focus()

    def action_close(self) -> None:
        """Close the filter line if open, else go back."""
        if self.query_one("#matrix-filter-bar").display:
            self._hide_filter()
            return
        self.app.pop_screen()


class HighlightListScreen(Screen[None]):
    """The highlights of one matrix cell, oldest briefing first: date, briefing, speaker,
    stance, quote, topics. ``enter`` opens the reader at the highlight.

    | key | id | action |
    | --- | --- | --- |
    | enter | highlights.open | open the briefing in the reader at this highlight |
    | escape, q | highlights.close | back to the matrix |
    """

    DEFAULT_CSS = """
    #highlights-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    #highlights-table { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open in reader", id="highlights.open"),
        Binding("escape,q", "close", "Back", id="highlights.close"),
    ]

    def __init__(self, query: HighlightQuery, title: str) -> None:
        super().__init__()
        self.highlight_query = query
        self.title_text = title
        self.items: list[AnnotatedHighlight] = []

    def compose(self) -> ComposeResult:
        yield Static(Text(self.title_text), id="highlights-title")
        yield MatrixTable(id="highlights-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#highlights-table", DataTable)
        for name in ("Date", "Briefing", "Speaker", "Stance", "Quote", "Topics"):
            table.add_column(name, key=name.lower())
        try:
            self.items = queries.annotated_highlights(services(self.app).store,
                                                      self.highlight_query)
        except USER_ERRORS as error:
            services(self.app).report_error(error)
            return
        for item in self.items:
            stance = item.stance
            table.add_row(
                Text(safe_line(item.briefing.published[:10])),
                Text(_cut(item.briefing.title, 30)),
                Text(_cut(item.speaker.name if item.speaker else NO_SPEAKER, 20)),
                Text(_cut(stance.name, 12) if stance else NO_STANCE,
                     style=stance_style(stance)),
                Text(_cut(item.highlight.exact, QUOTE_WIDTH)
                     + (" (orphaned)" if item.orphaned else "")),
                Text(_cut(" ".join(f"#{t}" for t in item.topics), 24)),
            )
        n = len(self.items)
        self.query_one("#highlights-title", Static).update(
            Text(f"{self.title_text} — {n} highlight{'s' if n != 1 else ''}"))
        table.focus()

    def selected(self) -> AnnotatedHighlight | None:
        """The highlight under the cursor."""
        table = self.query_one("#highlights-table", DataTable)
        row = table.cursor_row
        return self.items[row] if self.items and 0 <= row < len(self.items) else None

    def action_open(self) -> None:
        """Open its briefing with the cursor on it: the reader opens at the briefing's
        reading position, set here to the highlight's start."""
        item = self.selected()
        if item is None:
            return
        app = services(self.app)
        if item.orphaned:
            app.notify("This highlight is orphaned: its text is gone; opening the briefing",
                       severity="warning")
        else:
            try:
                app.store.save_reading_position(item.briefing.id, item.start)
            except USER_ERRORS:
                pass  # a read-only database: the briefing opens where it was left
        app.open_briefing(item.briefing.id)

    @on(DataTable.RowSelected, "#highlights-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_close(self) -> None:
        """Back to the matrix."""
        self.app.pop_screen()
