"""Orphaned and changed highlights of a briefing, after a re-import.

An orphan's text could not be found; a changed highlight was found by a fuzzy match on
text that differs from its quote as marked ("73" became "74"), shown as old → new.
Nothing is dropped: an orphan keeps its quote, speaker, stance, topics and note. Here
the analyst re-attaches one to the text they selected in the reader, accepts a changed
one's new text, or deletes it; all undoable from the reader (``u``).

| key | id | action |
| --- | --- | --- |
| a | orphans.reattach | re-attach the highlight to the reader's selection |
| y | orphans.accept | accept a changed highlight's new text |
| x | orphans.delete | delete the highlight |
| escape, q | orphans.close | back to the reader |
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from briefing_tui.core import queries
from briefing_tui.core.models import Highlight
from briefing_tui.core.safetext import safe_line
from briefing_tui.ui.messages import USER_ERRORS, one_line, services

if TYPE_CHECKING:
    from briefing_tui.core.store import Store

QUOTE_WIDTH = 48


def _short(text: str, limit: int) -> str:
    # Text from data: controls as placeholders (the cells are given as Text, not markup).
    flat = safe_line(" ".join(text.split()))
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _change(old: str, new: str, limit: int) -> str:
    """``old → new`` in about ``limit`` characters, each from the word before the
    first that differs (a long quote's change is rarely in its first words).

    >>> _change("the vote was 73 to 20", "the vote was 74 to 20", 40)
    '…was 73 to 20 → …was 74 to 20'
    """
    old, new = " ".join(old.split()), " ".join(new.split())
    same = len(os.path.commonprefix([old, new]))
    # From the word before the one that differs.
    start = old.rfind(" ", 0, max(0, old.rfind(" ", 0, same))) + 1
    lead = "…" if start else ""
    half = max(8, (limit - 3) // 2)
    return f"{_short(lead + old[start:], half)} → {_short(lead + new[start:], half)}"


class OrphansScreen(ModalScreen[bool]):
    """The orphans and changed highlights of one briefing; dismisses ``True`` when
    something changed."""

    DEFAULT_CSS = """
    OrphansScreen {
        align: center middle;
    }
    #orphans-dialog {
        width: 96%;
        height: 80%;
        border: round $warning;
        background: $surface;
    }
    #orphans-title {
        height: 1;
        padding: 0 1;
        text-style: bold;
    }
    #orphans-hint {
        height: auto;
        padding: 0 1 1 1;
        color: $text-muted;
    }
    #orphans-table {
        height: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "reattach", "Re-attach to selection", id="orphans.reattach"),
        Binding("y", "accept", "Accept change", id="orphans.accept"),
        Binding("x", "delete", "Delete", id="orphans.delete"),
        Binding("escape,q", "close", "Close", id="orphans.close"),
    ]

    def __init__(self, briefing_id: str, selection: tuple[int, int] | None) -> None:
        """``selection`` is the reader's selection, the target of ``a``."""
        super().__init__()
        self.briefing_id = briefing_id
        self.selection = selection
        self.changed = False
        self._orphans: list[Highlight] = []

    @property
    def store(self) -> Store:
        """The app's store."""
        return services(self.app).store

    def compose(self) -> ComposeResult:
        with Vertical(id="orphans-dialog"):
            yield Static("Orphaned and changed highlights", id="orphans-title")
            yield Static(self._hint(), id="orphans-hint")
            yield DataTable(id="orphans-table", cursor_type="row")
            yield Footer()

    def _hint(self) -> str:
        changed = "y accepts a changed highlight's new text (old → new); "
        if self.selection is None:
            return ("An orphan's text is gone from the briefing. To re-attach one, select the "
                    "new text in the reader first, then press o and a. " + changed
                    + "x deletes.")
        start, end = self.selection
        return (f"a re-attaches the highlight to the selection [{start}, {end}); {changed}"
                "x deletes it.")

    def on_mount(self) -> None:
        table = self.query_one("#orphans-table", DataTable)
        for label in ("State", "Quote", "Speaker", "Stance", "Note"):
            table.add_column(label, key=label.lower())
        self.refresh_orphans()
        table.focus()

    @property
    def orphans(self) -> list[Highlight]:
        """The orphans and changed highlights as last loaded."""
        return list(self._orphans)

    def refresh_orphans(self) -> None:
        """Reload the orphans from the store into the table."""
        try:
            items = queries.annotated_highlights(
                self.store, queries.HighlightQuery(briefing_ids=(self.briefing_id,)))
        except USER_ERRORS as error:
            self.app.notify(one_line(error), severity="error")
            return
        # Changed ones first, then orphans (a stable sort keeps text order inside each).
        review = sorted((i for i in items if i.orphaned or i.changed), key=lambda i: i.orphaned)
        self._orphans = [item.highlight for item in review]
        table = self.query_one("#orphans-table", DataTable)
        row = table.cursor_row
        table.clear()
        for item in review:
            h = item.highlight
            # Text, not str: DataTable reads a str cell as markup ("[b]" in a quote).
            table.add_row(*map(Text, (
                "orphaned" if item.orphaned else "changed",
                _short(h.exact, QUOTE_WIDTH) if item.orphaned else
                _change(h.previous_exact or "", h.exact, QUOTE_WIDTH),
                _short(item.speaker.name if item.speaker else "", 40),
                _short(item.stance.name if item.stance else "", 40),
                _short(h.note, 30),
            )), key=h.id)
        if self._orphans:
            table.move_cursor(row=min(row, len(self._orphans) - 1))
        else:
            table.add_row("", "No orphaned or changed highlights", "", "", "", key="")

    def _selected(self) -> Highlight | None:
        table = self.query_one("#orphans-table", DataTable)
        if not self._orphans or table.cursor_row < 0:
            return None
        return self._orphans[min(table.cursor_row, len(self._orphans) - 1)]

    def action_reattach(self) -> None:
        """Re-attach the selected orphan to the reader's selection."""
        orphan = self._selected()
        if orphan is None:
            return
        if self.selection is None or self.selection[0] >= self.selection[1]:
            self.app.notify("Select the text in the reader first (v, s, p or \"), then o, a",
                            severity="warning")
            return
        try:
            self.store.reattach_highlight(orphan.id, *self.selection)
        except USER_ERRORS as error:
            self.app.notify(one_line(error), severity="error")
            return
        self.changed = True
        # One selection, one orphan: the dialog has done its job.
        self.app.notify("Orphan re-attached (u to undo)")
        self.dismiss(True)

    def action_accept(self) -> None:
        """Accept the new text of the selected changed highlight (undoable)."""
        highlight = self._selected()
        if highlight is None:
            return
        if not highlight.changed:
            self.app.notify("Only a changed highlight has new text to accept", severity="warning")
            return
        try:
            self.store.accept_change(highlight.id)
        except USER_ERRORS as error:
            self.app.notify(one_line(error), severity="error")
            return
        self.changed = True
        self.app.notify("Change accepted (u to undo)")
        self.refresh_orphans()

    def action_delete(self) -> None:
        """Delete the selected orphan or changed highlight."""
        orphan = self._selected()
        if orphan is None:
            return
        try:
            self.store.delete_highlight(orphan.id)
        except USER_ERRORS as error:
            self.app.notify(one_line(error), severity="error")
            return
        self.changed = True
        self.app.notify("Highlight deleted (u to undo)")
        self.refresh_orphans()

    def action_close(self) -> None:
        """Back to the reader."""
        self.dismiss(self.changed)
