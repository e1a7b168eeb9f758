"""The conflicts a merge found (:mod:`briefing_tui.core.merge`): highlights changed on both
sides, each shown as this database's version and the other's; the analyst keeps one.

| key | id | action |
| --- | --- | --- |
| m | conflicts.mine | keep this database's version |
| t | conflicts.theirs | keep the other database's version |
| escape, q | conflicts.close | close |
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from briefing_tui.core.safetext import safe_line
from briefing_tui.ui.messages import USER_ERRORS, StoreChange, one_line, services

if TYPE_CHECKING:
    from briefing_tui.core.merge import Conflict
    from briefing_tui.core.store import Store

CELL = 60  # characters of a version shown in a cell


def _cell(text: str, limit: int = CELL) -> Text:
    # Text from data: placeholders for controls, and a Text (a str cell is read as markup).
    flat = safe_line(" ".join(text.split()))
    return Text(flat if len(flat) <= limit else flat[: limit - 1] + "…")


class ConflictsScreen(ModalScreen[bool]):
    """Every open conflict; dismisses ``True`` when one was resolved."""

    DEFAULT_CSS = """
    ConflictsScreen {
        align: center middle;
    }
    #conflicts-dialog {
        width: 96%;
        height: 80%;
        border: round $warning;
        background: $surface;
    }
    #conflicts-title {
        height: 1;
        padding: 0 1;
        text-style: bold;
    }
    #conflicts-table {
        height: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "keep('mine')", "Keep mine", id="conflicts.mine"),
        Binding("t", "keep('theirs')", "Keep theirs", id="conflicts.theirs"),
        Binding("escape,q", "close", "Close", id="conflicts.close"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.changed = False
        self._conflicts: list[Conflict] = []

    @property
    def store(self) -> Store:
        """The app's store."""
        return services(self.app).store

    @property
    def conflicts(self) -> list[Conflict]:
        """The open conflicts as last loaded."""
        return list(self._conflicts)

    def compose(self) -> ComposeResult:
        with Vertical(id="conflicts-dialog"):
            yield Static("Conflicts: highlights changed on both sides of a merge",
                         id="conflicts-title")
            yield DataTable(id="conflicts-table", cursor_type="row")
            yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#conflicts-table", DataTable)
        for label in ("Briefing: quote", "Mine", "Theirs"):
            table.add_column(label, key=label.lower())
        self.refresh_conflicts()
        table.focus()

    def refresh_conflicts(self) -> None:
        """Reload the open conflicts into the table."""
        from briefing_tui.core.merge import conflicts, describe

        try:
            self._conflicts = conflicts(self.store)
            rows = [(c, describe(self.store, c.mine, quote=False),
                     describe(self.store, c.theirs, quote=False)) for c in self._conflicts]
        except USER_ERRORS as error:
            self.app.notify(one_line(error), severity="error")
            return
        table = self.query_one("#conflicts-table", DataTable)
        row = table.cursor_row
        table.clear()
        for conflict, mine, theirs in rows:
            where = f"{conflict.briefing_title}: “{conflict.mine.get('exact', '')}”"
            table.add_row(_cell(where, 30), _cell(mine), _cell(theirs), key=conflict.id)
        if rows:
            table.move_cursor(row=min(max(row, 0), len(rows) - 1))
        else:
            table.add_row(Text(""), Text("No conflicts"), Text(""), key="")

    def action_keep(self, which: str) -> None:
        """Keep one version of the selected conflict's highlight."""
        from briefing_tui.core.merge import resolve_conflict

        table = self.query_one("#conflicts-table", DataTable)
        if not self._conflicts or table.cursor_row < 0:
            return
        conflict = self._conflicts[min(table.cursor_row, len(self._conflicts) - 1)]
        try:
            resolve_conflict(self.store, conflict.id, which)
        except USER_ERRORS as error:
            self.app.notify(one_line(error), severity="error")
            return
        self.changed = True
        self.app.notify(f"Kept {which}")
        services(self.app).store_changed.publish(
            StoreChange(self._briefing_of(conflict.highlight_id)))
        self.refresh_conflicts()

    def _briefing_of(self, highlight_id: str) -> str | None:
        try:
            return self.store.highlight(highlight_id).briefing_id
        except USER_ERRORS:
            return None

    def action_close(self) -> None:
        """Close the list."""
        self.dismiss(self.changed)
