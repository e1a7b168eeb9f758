"""A speaker's dossier: the stance over time, then every statement across the library by date.

The first screen reads only the first statements and the stance over time (one grouped
statement); every statement is then read in a worker. The statements are a virtual list (the reader's :class:`Sidebar`, one entry per highlight:
the quote, then date · briefing · stance · topics), so 10,000 open like 100. The selected
statement's note is shown whole under the list.

| key | id | action |
| --- | --- | --- |
| enter | dossier.open | open the briefing in the reader at that highlight (escape comes back here) |
| / , f | dossier.filter | filter: stance, #topic, briefing title or date, note (all terms must match) |
| escape | dossier.back | back to the speakers |
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from briefing_tui.core.dossier import (
    NO_STANCE,
    Dossier,
    PeriodRow,
    dossier,
    dossier_query,
    stance_over_time,
    stance_over_time_counts,
)
from briefing_tui.core.models import Speaker, Stance
from briefing_tui.core.queries import AnnotatedHighlight, annotated_highlights, stance_by_date
from briefing_tui.core.safetext import safe_line
from briefing_tui.ui.messages import USER_ERRORS, services
from briefing_tui.ui.screens.speakers import stance_style
from briefing_tui.ui.widgets.sidebar import Sidebar, SidebarEntry

if TYPE_CHECKING:
    from briefing_tui.core.store import Store

FIRST_PAGE = 200  # statements read before the first frame; the rest in a worker
TIMELINE_ROWS = 12  # the most recent periods shown above the list
BAR_CELLS = 40  # the longest period's bar
BAR = "█"
FILTER_PROMPT = ("Filter: stance, #topic, briefing title or date, note — all terms must match "
                 "(empty shows all)")


def timeline_text(rows: Sequence[PeriodRow], stances: Sequence[Stance],
                  limit: int = TIMELINE_ROWS, width: int = BAR_CELLS) -> Text:
    """The stance over time drawn in cells: one line per period, a bar per stance in its
    colour (scaled to the busiest period), then the counts.

    >>> from datetime import date
    >>> s = Stance("o", 2, "opposes", "#d64545")
    >>> timeline_text([PeriodRow("2025-03", date(2025, 3, 1), {"o": 2})], [s]).plain
    'Stance over time (by month)\\n2025-03  ████████████████████████████████████████  opposes 2'
    """
    if not rows:
        return Text("Stance over time: no dated statement", style="dim")
    period = "week" if "-W" in rows[0].label else "month"
    shown = list(rows)
    if len(shown) > limit:  # too long: the periods without a statement go first
        shown = [row for row in shown if row.total][-limit:]
    head = f"Stance over time (by {period}"
    if len(shown) < len(rows):
        head += f"; {len(shown)} of {len(rows)} periods, those with statements, the latest"
    head += ")"
    text = Text(head, style="bold")
    busiest = max(row.total for row in shown) or 1
    named: list[tuple[str, str, Style | str]] = [
        (s.id, s.name, stance_style(s)) for s in stances]
    named.append((NO_STANCE, "no stance", "dim"))
    for row in shown:
        text.append(f"\n{row.label:<8} ")
        used = 0
        counts: list[tuple[str, Style | str]] = []
        for stance_id, name, style in named:
            count = row.counts.get(stance_id, 0)
            if count:
                cells = max(1, round(count * width / busiest))
                text.append(BAR * cells, style=style)
                used += cells
                counts.append((f"{safe_line(name)} {count}", style))
        text.append(" " * (max(0, width - used) + 2))
        for i, (label, style) in enumerate(counts):
            text.append(("  " if i else "") + label, style=style)
    return text


def entries(items: Sequence[AnnotatedHighlight]) -> list[SidebarEntry]:
    """The statements as list entries: the quote, then date · briefing title (where the
    reader's sidebar shows the speaker), stance, topics; the note for the filter."""
    labels: dict[str, str] = {}  # one per briefing
    out = []
    for item in items:
        ref, hl, stance = item.briefing, item.highlight, item.stance
        label = labels.get(ref.id)
        if label is None:
            label = labels[ref.id] = f"{ref.published[:10] or 'undated'} · {ref.title}"
        out.append(SidebarEntry(
            hl.id, hl.exact, label, stance.name if stance else "",
            stance.color if stance else None, hl.topics, bool(hl.note), item.orphaned,
            item.changed, (), hl.note))
    return out


class StatementList(Sidebar):
    """The dossier's statements; says when its filter changes (the timeline follows)."""

    class FilterChanged(Message):
        """The filter changed: the screen redraws the timeline and the counts."""

    def set_filter(self, text: str) -> None:
        """Filter as the sidebar does, then tell the screen."""
        super().set_filter(text)
        self.post_message(self.FilterChanged())

    def action_filter(self) -> None:
        """Ask for a filter (the previous one selected; empty clears it)."""
        from briefing_tui.ui.widgets.pickers import PathPrompt

        def apply(result: str | None) -> None:
            if result is not None:
                self.set_filter(result)

        self.app.push_screen(PathPrompt(FILTER_PROMPT, self.filter_text, allow_empty=True,
                                        title="Filter statements", select=True), apply)


class DossierScreen(Screen[None]):
    """Everything one speaker said, by date, with their stance over time above."""

    DEFAULT_CSS = """
    #dossier-title {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text;
        text-style: bold;
    }
    #dossier-timeline { height: auto; max-height: 14; padding: 0 1; }
    #dossier-list { height: 1fr; }
    #dossier-detail { height: auto; max-height: 4; padding: 0 1; background: $panel; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", id="dossier.filter"),
        Binding("escape", "back", "Speakers", id="dossier.back"),
    ]

    def __init__(self, speaker: Speaker) -> None:
        super().__init__(id="dossier")
        self.speaker = speaker
        self.items: list[AnnotatedHighlight] = []
        self._stances: list[Stance] = []
        self._by_id: dict[str, AnnotatedHighlight] = {}
        self._covered = False  # another screen was pushed over this one
        self._timeline: list[PeriodRow] = []
        self._total = 0  # statements of the speaker (all of them, even before they are read)
        self.loaded = False  # every statement is listed (not only the first page)

    @property
    def store(self) -> Store:
        """The app's store."""
        return services(self.app).store

    @property
    def statements(self) -> StatementList:
        """The list of statements."""
        return self.query_one("#dossier-list", StatementList)

    def compose(self) -> ComposeResult:
        yield Static("", id="dossier-title")
        yield Static("", id="dossier-timeline")
        yield StatementList(id="dossier-list")
        yield Static("", id="dossier-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.load()
        self.statements.focus()

    def on_screen_suspend(self) -> None:
        """The reader (or a dialog) covers the dossier: reload when it comes back."""
        self._covered = True

    def on_screen_resume(self) -> None:
        """Back from the reader: the statements may have changed there; the same row stays
        selected. (The first resume follows the mount, which has just loaded them.)"""
        if self._covered:
            self._covered = False
            self._load_all()

    def load(self) -> None:
        """Show the first statements and the whole stance over time now (two short reads
        whatever the number of statements), then read them all in a worker."""
        store = self.store
        try:
            self.speaker = store.speaker(self.speaker.id)
            self._stances = store.stances()
            query = dossier_query(self.speaker, limit=FIRST_PAGE)
            page = annotated_highlights(store, query)
            counts = stance_by_date(store, query)
        except USER_ERRORS as error:
            services(self.app).report_error(error)
            return
        self._total = sum(count for _published, _stance, count in counts)
        self._timeline = stance_over_time_counts(counts)
        self.loaded = len(page) >= self._total
        self._show(page)
        if not self.loaded:  # once the first screen is up: the worker would slow it
            self.call_after_refresh(self._load_all)

    @work(thread=True, exclusive=True, group="dossier-load", exit_on_error=False)
    def _load_all(self) -> None:
        """Read every statement (10,000 take a fifth of a second), then show them on the
        UI thread; the list and its selection stay as they are meanwhile."""
        app = services(self.app)
        try:
            loaded = dossier(self.store, self.speaker)
        except USER_ERRORS as error:
            app.call_from_thread(app.report_error, error)
            return
        app.call_from_thread(self._loaded, loaded)

    def _loaded(self, loaded: Dossier) -> None:
        if not self.is_attached:
            return
        self._timeline, self._total, self.loaded = loaded.timeline, len(loaded.items), True
        self._show(loaded.items)

    def _show(self, items: list[AnnotatedHighlight]) -> None:
        """List ``items`` (the selection and the filter are kept) and redraw the rest."""
        self.items = items
        self._by_id = {item.id: item for item in items}
        statements = self.statements
        statements.set_entries(entries(items))
        if statements.selected_id is None and statements.visible_entries:
            statements.select_highlight(statements.visible_entries[0].highlight_id)
        self._redraw()

    def _redraw(self) -> None:
        statements = self.statements
        if statements.filter_text:
            shown = [self._by_id[e.highlight_id] for e in statements.visible_entries]
            timeline, count = stance_over_time(shown), len(shown)
        else:
            timeline, count = self._timeline, self._total
        sp = self.speaker
        about = " · ".join(safe_line(t) for t in (sp.role, sp.affiliation) if t)
        title = f"Dossier — {safe_line(sp.name)}" + (f" ({about})" if about else "")
        title += f" — {count} statement{'s' if count != 1 else ''}"
        if statements.filter_text:
            title += f" of {self._total} (filter: {safe_line(statements.filter_text)})"
        # Text, not str: a str is read as markup ("[b]" in a name).
        self.query_one("#dossier-title", Static).update(Text(title))
        self.query_one("#dossier-timeline", Static).update(
            timeline_text(timeline, self._stances))
        self._show_detail()

    def _show_detail(self) -> None:
        item = self._by_id.get(self.statements.selected_id or "")
        detail = self.query_one("#dossier-detail", Static)
        if item is None:
            detail.update(Text("No statement" if not self.items else ""))
            return
        parts = [item.briefing.published[:10] or "undated", item.briefing.title]
        if item.stance is not None:
            parts.append(item.stance.name)
        if item.topics:
            parts.append(" ".join(f"#{t}" for t in item.topics))
        line = " · ".join(safe_line(p) for p in parts)
        if item.highlight.note:
            line += "\nNote: " + safe_line(item.highlight.note)
        detail.update(Text(line))

    @on(Sidebar.Highlighted, "#dossier-list")
    def _moved(self, event: Sidebar.Highlighted) -> None:
        event.stop()
        self._show_detail()

    @on(StatementList.FilterChanged)
    def _filtered(self, event: StatementList.FilterChanged) -> None:
        event.stop()
        self._redraw()

    @on(Sidebar.Activated, "#dossier-list")
    def _activated(self, event: Sidebar.Activated) -> None:
        event.stop()
        item = self._by_id.get(event.highlight_id)
        if item is None:
            return
        if item.orphaned:
            self.app.notify("This highlight is orphaned: its text is gone from the briefing;"
                            " opening it where it was last read", severity="warning")
            services(self.app).open_briefing(item.briefing.id)
            return
        services(self.app).open_briefing(item.briefing.id, at=item.start)

    def action_filter(self) -> None:
        """Filter the statements (stance, #topic, briefing, note)."""
        self.statements.action_filter()

    def action_back(self) -> None:
        """Back to the speakers screen."""
        self.app.pop_screen()
