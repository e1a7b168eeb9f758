"""The library: every briefing in the database, filterable, with its highlight counts.

| key | id | action |
| --- | --- | --- |
| enter | library.open | open the briefing under the cursor |
| / | library.filter | filter by title or source (escape clears) |
| ctrl+f | library.search | search across all briefings (text, quotes, notes) |
| i | library.import | import a file or folder |
| d, delete | library.delete | delete the briefing under the cursor (asks first; u brings it back) |
| m | library.edit | edit its title, source, date and URL |
| u / ctrl+r | library.undo / library.redo | undo / redo a delete, a metadata or speaker edit made here |
| S | library.speakers | the speakers screen (enter on one: its dossier) |
| M | library.matrix | the speaker × stance matrix of the library |
| escape | library.clear_filter | clear the filter |
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from time import monotonic
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from briefing_tui.core import queries
from briefing_tui.core.models import BriefingInfo
from briefing_tui.core.safetext import safe_line
from briefing_tui.core.undo import LIBRARY
from briefing_tui.ui.messages import USER_ERRORS, services
from briefing_tui.ui.screens.shared import cursor_row_key, replay_step
from briefing_tui.ui.widgets.promptbar import PromptBar
from briefing_tui.ui.widgets.safeinput import SafeInput

if TYPE_CHECKING:
    from briefing_tui.core.importer import ImportResult
    from briefing_tui.core.pathnames import Skipped
    from briefing_tui.core.store import Store

COLUMNS = ("Title", "Source", "Date", "Highlights", "Orphans", "Changed")
# Widths of the columns after the title; the title takes what is left of the screen so the
# counts are always visible (DataTable adds 2 cells of padding per column).
FIXED_WIDTHS = {"Source": 16, "Date": 10, "Highlights": 10, "Orphans": 7, "Changed": 7}
IMPORT_GROUP = "library-import"  # the worker group of the library's imports
FIRST_ROWS = 80  # more briefings than this: their highlights are counted in a thread
REST_CHUNK = 200  # rows added per frame after the first screenful (~5 ms)
# A folder's import adds its briefings to the table this often while it runs (a refill
# takes ~0.1 s at 2,000 briefings), not only at its end.
IMPORT_REFRESH_SECONDS = 2.0
COUNT_GROUP = "library-counts"  # the worker counting a big library's highlights


def fit(text: str, width: int) -> str:
    """Shorten ``text`` to ``width`` cells with an ellipsis.

    >>> fit("Kremlin signals no quick truce", 12)
    'Kremlin sig…'
    """
    text = safe_line(text)
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(0, width - 1)) + "…"


def row_cells(info: BriefingInfo, title_width: int) -> tuple[Text | str, ...]:
    """The cells of ``info``'s row (``COLUMNS``), its title cut to ``title_width``."""
    # Text, not str: DataTable reads a str cell as markup ("[b]" in a title).
    return (
        Text(fit(info.title, title_width)),
        Text(fit(info.source, FIXED_WIDTHS["Source"])),
        Text(safe_line(info.published[:10])),
        str(info.highlight_count),
        str(info.orphan_count) if info.orphan_count else "",
        # Re-anchored onto text other than the quote as marked: to review (o).
        str(info.changed_count) if info.changed_count else "",
    )


def column_widths(infos: Sequence[BriefingInfo], title_width: int) -> tuple[int, ...]:
    """The width of each column (``COLUMNS``) showing ``infos``: what DataTable measures
    for an automatic width, its widest cell (:func:`row_cells`) or its label, found
    without cutting any title.

    >>> column_widths([], 40)
    (5, 6, 4, 10, 7, 7)
    """

    def widest(values: Iterable[str], limit: int | None = None) -> int:
        width = max((cell_len(safe_line(value)) for value in values), default=0)
        return width if limit is None else min(limit, width)

    def count_width(counts: Iterable[int]) -> int:  # as _add_rows shows them
        return max((len(str(count)) for count in counts), default=0)

    cells = (
        widest((info.title for info in infos), title_width),
        widest((info.source for info in infos), FIXED_WIDTHS["Source"]),
        widest(info.published[:10] for info in infos),
        count_width(info.highlight_count for info in infos),
        count_width(info.orphan_count for info in infos if info.orphan_count),
        count_width(info.changed_count for info in infos if info.changed_count),
    )
    return tuple(max(cell_len(label), width) for label, width in zip(COLUMNS, cells, strict=True))


def matches(info: BriefingInfo, query: str) -> bool:
    """Does a briefing match the library filter (title or source, case-insensitive)?"""
    needle = query.strip().casefold()
    return not needle or needle in info.title.casefold() or needle in info.source.casefold()


class LibraryFilter(SafeInput):
    """The filter line of the library (hidden until ``/``)."""


class BriefingTable(DataTable, inherit_bindings=False):
    """The library table without DataTable's own enter, so ``library.open`` (shown in the
    footer, remappable) opens the briefing; ``j``/``k`` move and ``g``/``G`` go to the first
    and last briefing, as in the reader."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(binding for binding in DataTable.BINDINGS
          if not (isinstance(binding, Binding) and binding.key == "enter")),
        Binding("j", "cursor_down", "Down", id="library.down", show=False),
        Binding("k", "cursor_up", "Up", id="library.up", show=False),
        Binding("g", "scroll_top", "First", id="library.first", show=False),
        Binding("G", "scroll_bottom", "Last", id="library.last", show=False),
    ]


class LibraryScreen(Screen[None]):
    """A table of the briefings: title, source, date, highlights, orphans."""

    DEFAULT_CSS = """
    #library-title {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text;
        text-style: bold;
    }
    #briefings {
        height: 1fr;
    }
    #library-empty {
        height: auto;
        padding: 1 2;
        color: $text-muted;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="library.open"),
        Binding("slash", "filter", "Filter", id="library.filter"),
        Binding("ctrl+f", "search", "Search", id="library.search"),
        Binding("i", "import", "Import", id="library.import"),
        # Not in the footer (help lists them): the footer's keys fit 80 columns.
        Binding("d,delete", "delete", "Delete", id="library.delete", show=False),
        Binding("m", "edit", "Metadata", id="library.edit", show=False),
        Binding("S", "speakers", "Speakers", id="library.speakers"),
        Binding("M", "matrix", "Matrix", id="library.matrix"),
        Binding("u", "undo", "Undo", id="library.undo", show=False),
        Binding("ctrl+r", "redo", "Redo", id="library.redo", show=False),
        Binding("escape", "clear_filter", "Clear filter", id="library.clear_filter", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="library")
        self._briefings: list[BriefingInfo] = []
        self._total = 0  # the library's briefings (more than _briefings until all are read)
        self._import_state = ""  # how far a running folder import is, for the title
        self._import_refreshed = 0.0  # when the table last showed a running import's files
        self._fill_generation = 0  # a fill's rest is added only if no fill came since
        self._filled_width = 0  # the title column's width the rows were cut to
        self._filter: LibraryFilter | None = None  # the filter line, once / showed it

    @property
    def store(self) -> Store:
        """The app's store."""
        return services(self.app).store

    def compose(self) -> ComposeResult:
        yield Static("Library", id="library-title")
        yield BriefingTable(id="briefings", cursor_type="row", zebra_stripes=True)
        yield Static("", id="library-empty")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        # The columns and rows come with the screen's first ScreenResume (after Mount), as
        # on every return.
        self.query_one("#briefings", DataTable).focus()

    def _title_width(self) -> int:
        fixed = sum(FIXED_WIDTHS.values()) + 2 * len(COLUMNS) + 2
        return max(16, (self.size.width or 100) - fixed)

    def on_resize(self) -> None:
        """The title column takes the width left over: refill when that width changed."""
        if self._briefings and self._title_width() != self._filled_width:
            self._fill_table()

    def on_screen_resume(self) -> None:
        """Fill the table when first shown, and again on every return (counts change while a
        briefing is open)."""
        self.refresh_briefings()

    # -- data ---------------------------------------------------------------------------

    def refresh_briefings(self) -> None:
        """Reload the briefings from the store and redraw the table (keeping the cursor row).

        A library of more briefings than the first fill shows is drawn from their titles
        at once, with the counts it showed before; a thread counts the highlights (200,000
        take ~60 ms) and the counts follow. When first shown, such a library reads only
        the first screenfuls' briefings with their counts (and how many there are) before
        the first frame: the thread reads the rest.
        """
        try:
            if self._briefings:
                infos = queries.briefings(self.store, counts=FIRST_ROWS)
                total = len(infos)
            else:
                total = queries.briefing_total(self.store)
                infos = queries.briefings(self.store, limit=FIRST_ROWS + 1)
        except USER_ERRORS as error:
            services(self.app).report_error(error)
            return
        if total > FIRST_ROWS:
            known = {info.id: info for info in self._briefings}
            infos = [_with_counts(info, known.get(info.id)) for info in infos]
            # Once the titles are on screen: the count must not hold the store meanwhile.
            self.call_after_refresh(self.run_worker, self._count_in_thread,
                                    name="count highlights", group=COUNT_GROUP, thread=True,
                                    exclusive=True)
        self._briefings = infos
        self._total = total
        self._fill_table()

    def _count_in_thread(self) -> None:
        """The worker: the briefings with their counts, then a redraw on the UI thread."""
        try:
            infos = queries.briefings(self.store)
        except USER_ERRORS as error:
            self.app.call_from_thread(services(self.app).report_error, error)
            return
        self.app.call_from_thread(self._counted, infos)

    def _counted(self, infos: list[BriefingInfo]) -> None:
        if self.is_mounted:
            self._briefings = infos
            self._total = len(infos)
            self._fill_table()

    @property
    def filter_text(self) -> str:
        """The current filter ("" when none)."""
        return self._filter.value if self._filter is not None else ""

    def visible_briefings(self) -> list[BriefingInfo]:
        """The briefings that pass the filter, in table order."""
        query = self.filter_text  # read once, not per briefing
        if not query.strip():
            return list(self._briefings)
        return [info for info in self._briefings if matches(info, query)]

    def _fill_table(self) -> None:
        table = self.query_one("#briefings", DataTable)
        keep = self.selected_briefing_id
        visible = self.visible_briefings()
        # Columns as wide as their widest cell, given rather than left to DataTable: it
        # measures new cells only when idle, after a first frame drawn at the labels'
        # widths (titles cut to "Bench"), which the user would see, then a second one.
        table.clear(columns=True)
        for column, width in zip(COLUMNS, column_widths(visible, self._title_width()),
                                 strict=True):
            table.add_column(column, key=column.lower(), width=width)
        self._fill_generation += 1
        # A screenful or two now, the rest once that is drawn: 2,000 briefings show as
        # soon as 20 do (adding a row measures its cells: ~0.1 ms each).
        first = max(self.size.height, 24)  # the rows a screen can show
        self._add_rows(visible[:first], keep)
        if len(visible) > first:
            generation = self._fill_generation
            self.call_after_refresh(self._add_rest, visible[first:], keep, generation)
        self._update_title(len(visible))
        empty = self.query_one("#library-empty", Static)
        if not self._briefings:
            empty.update("No briefings yet: press i to import a file or a folder.")
        elif not visible:
            empty.update("No briefing matches the filter: escape clears it.")
        else:
            empty.update("")
        empty.display = not visible

    def _add_rows(self, infos: Sequence[BriefingInfo], keep: str | None) -> None:
        table = self.query_one("#briefings", DataTable)
        start = table.row_count
        width = self._filled_width = self._title_width()
        for info in infos:
            table.add_row(*row_cells(info, width), key=info.id)
        if keep is not None:
            for row, info in enumerate(infos, start=start):
                if info.id == keep:
                    table.move_cursor(row=row)
                    break

    def _add_rest(self, rest: list[BriefingInfo], keep: str | None, generation: int) -> None:
        """The rows after the first screenful, a chunk per frame (the first frames may come
        before the table is drawn), unless the table was filled again since."""
        if generation != self._fill_generation or not self.is_mounted:
            return
        self._add_rows(rest[:REST_CHUNK], keep)
        if len(rest) > REST_CHUNK:
            self.call_after_refresh(self._add_rest, rest[REST_CHUNK:], keep, generation)

    def _update_title(self, shown: int) -> None:
        total = self._total
        title = f"Library — {total} briefing{'s' if total != 1 else ''}"
        if self.filter_text:
            title += f" ({shown} shown)"
        if self._import_state:
            title += f" · {self._import_state}"
        if getattr(self.store, "readonly", False):
            title += " · read-only database: you can read and export, changes are not saved"
        self.query_one("#library-title", Static).update(title)

    @property
    def selected_briefing_id(self) -> str | None:
        """The id of the briefing under the table cursor, if any."""
        return cursor_row_key(self.query_one("#briefings", DataTable))

    # -- actions ------------------------------------------------------------------------

    def action_open(self) -> None:
        """Open the briefing under the cursor in the reader."""
        briefing_id = self.selected_briefing_id
        if briefing_id is not None:
            services(self.app).open_briefing(briefing_id)

    @on(DataTable.RowSelected, "#briefings")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            services(self.app).open_briefing(event.row_key.value)

    def action_search(self) -> None:
        """Search across every briefing's text, quotes and notes (the search screen)."""
        from briefing_tui.ui.screens.search import SearchScreen

        self.app.push_screen(SearchScreen())

    async def action_filter(self) -> None:
        """Show the filter line and focus it."""
        if self._filter is None:
            # Made on first use: an Input and its bar (their styles) cost start-up time.
            field = LibraryFilter(placeholder="filter by title or source", id="library-filter")
            await self.mount(PromptBar(field, id="library-filter-bar"),
                             before=self.query_one("#briefings"))
            self._filter = field
        self.query_one("#library-filter-bar").display = True
        self._filter.focus()

    def action_clear_filter(self) -> None:
        """Clear and hide the filter; the table gets the keys back."""
        field = self._filter
        if field is None:
            return
        bar = self.query_one("#library-filter-bar")
        if not bar.display and not field.value:
            return
        field.value = ""
        bar.display = False
        self._fill_table()
        self.query_one("#briefings", DataTable).focus()

    @on(Input.Changed, "#library-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill_table()

    @on(Input.Submitted, "#library-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        # Keep the filter, give the keys back to the table, and open the first match:
        # a filter typed to find one briefing needs no second enter.
        event.stop()
        self.query_one("#briefings", DataTable).focus()
        visible = self.visible_briefings()
        if visible:
            services(self.app).open_briefing(visible[0].id)
        else:
            self.app.notify("No briefing matches the filter", severity="warning")

    def selected_briefing(self) -> BriefingInfo | None:
        """The briefing under the table cursor, if any."""
        briefing_id = self.selected_briefing_id
        return next((info for info in self._briefings if info.id == briefing_id), None)

    def action_delete(self) -> None:
        """Ask, then delete the briefing under the cursor (``u`` brings it back)."""
        from briefing_tui.ui.widgets.pickers import ConfirmDialog

        info = self.selected_briefing()
        if info is None:
            return
        count = info.highlight_count
        what = f" and its {count} highlight{'s' if count != 1 else ''}" if count else ""
        # The dialog makes the question safe (a title is data from the web).
        question = f"Delete “{info.title}”{what}? (u in the library brings it back)"

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.store.delete_briefing(info.id)
            except USER_ERRORS as error:
                services(self.app).report_error(error)
                return
            self.app.notify(f"Deleted “{info.title}” (u to undo)", title="Library")
            self.refresh_briefings()

        self.app.push_screen(ConfirmDialog(question, title="Delete briefing"), answered)

    def action_edit(self) -> None:
        """Edit the title, source, date and URL of the briefing under the cursor."""
        if (briefing_id := self.selected_briefing_id) is not None:
            services(self.app).edit_briefing(briefing_id)

    def action_speakers(self) -> None:
        """Every speaker across the library (enter opens a dossier)."""
        services(self.app).show_speakers()

    def action_matrix(self) -> None:
        """The speaker × stance matrix of the whole library."""
        from briefing_tui.ui.screens.matrix import MatrixScreen  # not needed at start-up

        self.app.push_screen(MatrixScreen())

    def action_undo(self) -> None:
        """Undo the library's last change (a delete, a metadata or speaker edit)."""
        self._undo_redo(redo=False)

    def action_redo(self) -> None:
        """Redo what the library's undo took back last."""
        self._undo_redo(redo=True)

    def _undo_redo(self, *, redo: bool) -> None:
        description = replay_step(self.app, self.store, LIBRARY, redo=redo,
                                  where=" in the library")
        if description is not None:
            self.app.notify(f"{'Redone' if redo else 'Undone'}: {description}",
                            title="Library")
        self.refresh_briefings()

    def action_import(self) -> None:
        """Ask for a file or folder and import it."""
        # Imported here, not at the top: the app starts on this screen (start-up time).
        from briefing_tui.ui.widgets.pickers import PathPrompt

        self.app.push_screen(
            PathPrompt("Import a file or folder (.md, .markdown, .txt)", "", complete=True),
            self._import_path
        )

    def _import_path(self, answer: str | None) -> None:
        """Import the answered path in a thread: reading and parsing a 50 MB file takes
        seconds, and the screen must keep drawing and answering keys meanwhile."""
        if not answer or not answer.strip():
            return
        app = services(self.app)
        if any(worker.group == IMPORT_GROUP and not worker.is_finished
               for worker in self.workers):
            # Two imports of one file at once could both find it new and add it twice.
            app.notify("An import is already running: wait for it to finish",
                       title="Import", severity="warning")
            return
        # Resolved here: the worker must not depend on the CWD at the time it runs.
        path = Path(answer.strip()).expanduser().absolute()
        app.notify(f"Importing {path.name} …", title="Import")
        self.run_worker(lambda: self._import_in_thread(path), name=f"import {path.name}",
                        group=IMPORT_GROUP, thread=True)

    def _import_in_thread(self, path: Path) -> None:
        """The worker: import, then report on the UI thread (the store serialises its
        connection with a lock and was opened with ``check_same_thread=False``)."""
        from briefing_tui.core.importer import import_paths  # markdown-it, YAML: on first use

        app = services(self.app)
        skipped: list[Skipped] = []

        def progress(done: int, total: int, result: ImportResult) -> None:
            if total > 1:  # a folder: the files are committed one by one
                app.call_from_thread(self._show_progress, f"importing {done}/{total} …",
                                     ("importing", done, total, Path(result.path)))

        def checked(done: int, total: int, file: Path) -> None:
            if total > 1:
                app.call_from_thread(self._show_progress, f"checking {done}/{total} …",
                                     ("checking", done, total, file))

        try:
            results = import_paths(self.store, [path], on_skip=skipped.append,
                                   on_progress=progress, on_check=checked)
        except USER_ERRORS as error:
            app.call_from_thread(self._show_progress, "")
            app.call_from_thread(app.report_error, error)
            return
        app.call_from_thread(self._imported, results, skipped)

    def _show_progress(self, state: str,
                       step: tuple[str, int, int, Path] | None = None) -> None:
        """The title line says how far an import is ("" when none runs); a folder's
        import has a progress bar above the footer too (``step``: pass, done, total, file).
        """
        self._import_state = state
        if not self.is_mounted:
            return
        self._update_title(len(self.visible_briefings()))
        from briefing_tui.ui.widgets.import_progress import ImportProgress

        bars = self.query(ImportProgress)
        if step is None:
            bars.remove()
            return
        if bars:
            bar = bars.first()
        else:
            bar = ImportProgress()
            self.mount(bar, before=self.query_one(Footer))
            self._import_refreshed = monotonic()
        bar.advance_to(*step)
        now = monotonic()
        if step[0] == "importing" and now - self._import_refreshed >= IMPORT_REFRESH_SECONDS:
            self._import_refreshed = now
            self.refresh_briefings()  # the files stored so far (each committed on its own)

    def _imported(self, results: list[ImportResult], skipped: Sequence[Skipped] = ()) -> None:
        """On the UI thread, after an import: refresh the table and say what happened."""
        self._show_progress("")
        if self.is_mounted:
            self.refresh_briefings()
        self.app.notify(describe_import(results), title="Import")
        if skipped:  # entries of a folder left out (already escaped by the importer)
            more = f" (and {len(skipped) - 1} more)" if len(skipped) > 1 else ""
            self.app.notify(f"{skipped[0]}{more}", title="Import", severity="warning")


def _with_counts(info: BriefingInfo, shown: BriefingInfo | None) -> BriefingInfo:
    """``info`` with the counts ``shown`` had (none yet: 0) until they are counted again."""
    if shown is None:
        return info
    return replace(info, highlight_count=shown.highlight_count,
                   orphan_count=shown.orphan_count, changed_count=shown.changed_count)


def describe_import(results: Sequence[ImportResult]) -> str:
    """One line about what an import did.

    >>> from briefing_tui.core.importer import ImportResult
    >>> describe_import([ImportResult("a.md", "b1", "Truce talks", "added")])
    'Added “Truce talks”'
    """
    if not results:
        return "Nothing to import there"
    if len(results) == 1:
        result = results[0]
        line = f"{result.action.capitalize()} “{safe_line(result.title)}”"
        if result.orphaned:
            line += f" ({result.orphaned} highlight{'s' if result.orphaned != 1 else ''} orphaned)"
        return line
    counts = {action: sum(1 for r in results if r.action == action)
              for action in ("added", "updated", "unchanged")}
    parts = [f"{n} {action}" for action, n in counts.items() if n]
    return f"{len(results)} files: " + ", ".join(parts)
