"""The reader screen's find line (/, n, N), search across briefings (ctrl+f) and its
moves between highlights (], [).
Mixed into :class:`~briefing_tui.ui.screens.reader.ReaderScreen`.

A search draws every match in the text and the status line counts them ("match 3
of 12"); an empty search clears them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType

from briefing_tui.core.models import Highlight
from briefing_tui.ui.widgets.promptbar import PromptBar
from briefing_tui.ui.widgets.safeinput import SafeInput

if TYPE_CHECKING:
    from textual.screen import Screen

    from briefing_tui.ui.briefing_view import BriefingView
    from briefing_tui.ui.widgets.reader_view import ReaderView
    from briefing_tui.ui.widgets.sidebar import Sidebar


class FindInput(SafeInput):
    """The find line: enter jumps to the next match, escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel find", id="annot.find_cancel", show=False),
    ]

    def action_cancel(self) -> None:
        """Hide the find line without searching."""
        screen = self.screen
        if isinstance(screen, FindActions):
            screen.close_find()


# A mixin of ReaderScreen: type-checked as the Screen it is mixed into.
if TYPE_CHECKING:
    _Base = Screen[None]
else:
    _Base = object


class FindActions(_Base):
    """Find in the text, and jump from highlight to highlight."""

    if TYPE_CHECKING:  # provided by ReaderScreen
        view: BriefingView

        @property
        def reader(self) -> ReaderView: ...
        @property
        def sidebar(self) -> Sidebar: ...
        def update_status(self) -> None: ...
        def neighbour(self, cursor: int, *, after: bool) -> Highlight | None: ...

    def action_search(self) -> None:
        """Search across every briefing (ctrl+f): the search screen over this one."""
        from briefing_tui.ui.screens.search import SearchScreen

        self.app.push_screen(SearchScreen())

    def action_next_highlight(self) -> None:
        """Move the cursor to the start of the next highlight."""
        found = self.neighbour(self.reader.cursor, after=True)
        if found is None:
            self.app.notify("No highlight after the cursor")
            return
        self._go_to(found)

    def action_previous_highlight(self) -> None:
        """Move the cursor to the start of the previous highlight."""
        found = self.neighbour(self.reader.cursor, after=False)
        if found is None:
            self.app.notify("No highlight before the cursor")
            return
        self._go_to(found)

    def _go_to(self, highlight: Highlight) -> None:
        self.reader.move_cursor(highlight.start, center="if_hidden")
        self.sidebar.select_highlight(highlight.id)

    async def action_find(self) -> None:
        """Show the find line at the bottom and focus it."""
        if not self.query("#find-bar"):
            await self.mount(
                PromptBar(FindInput(placeholder="find in the briefing", id="find"),
                          id="find-bar"),
                after="#status",  # above it (see DEFAULT_CSS)
            )
        self.query_one("#find-bar").display = True
        field = self.query_one("#find", FindInput)
        field.value = ""
        field.focus()

    def close_find(self) -> None:
        """Hide the find line and give the keys back to the text."""
        self.query_one("#find-bar").display = False
        self.reader.focus()

    def on_input_submitted(self, event: SafeInput.Submitted) -> None:
        """Enter in the find line: jump to the next match (empty: forget the search)."""
        # A handler by name, not @on: the decorator is only read from a Textual class's
        # own namespace, and this is a mixin.
        if event.input.id != "find":
            return
        event.stop()
        query = event.value
        self.close_find()
        if not query:
            self.reader.clear_find()
        elif self.reader.find(query) is None:
            self.app.notify(f"Not found: {query}", severity="warning")
        self.update_status()

    def find_status(self) -> str:
        """What the status line says of the search: "match 3 of 12", "12 matches", or
        nothing without a search."""
        count = self.reader.find_count
        if count is None:
            return ""
        if self.reader.find_counting:
            return "counting matches…"
        k, n = count
        if k:
            return f"match {k} of {n}"
        return f"{n} match{'es' if n != 1 else ''}"

    def action_find_next(self) -> None:
        """Jump to the next match of the last search."""
        if self.reader.find_next() is None:
            self.app.notify("No more matches (/ to search)", severity="warning")

    def action_find_previous(self) -> None:
        """Jump to the previous match of the last search."""
        if self.reader.find_previous() is None:
            self.app.notify("No previous match (/ to search)", severity="warning")
