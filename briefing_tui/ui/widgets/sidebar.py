"""The annotation sidebar: a briefing's highlights in text order, as a virtual list.

Built on the Line API (``ScrollView`` + ``render_line``): there is no widget per
entry, only the rows on screen are drawn, so 10,000 highlights open and scroll
like 100. Each entry takes two rows::

    ▌ talks are unlikely to bring "instant results" and the…
    ▌ Dmitry Peskov · opposes · #ceasefire #timeline ✎

The bar is in the stance colour. The screen feeds the sidebar plain
``SidebarEntry`` values and listens to its messages; the sidebar never touches
the store.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from typing import ClassVar

from rich.color import ColorParseError
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from briefing_tui.core.highlight_filter import matches, parse_filter
from briefing_tui.core.safetext import safe_line
from briefing_tui.ui.looks import Look, Looks

ENTRY_HEIGHT = 2
"""Rows per entry: the quote, then speaker · stance · topics · marks."""

EMPTY_TEXT = "No highlights yet — select text and press enter"
NEUTRAL_COLOR = "#8a8a8a"
"""Bar colour of an entry without a stance (the reader's neutral highlight is similar)."""

NOTE_MARK = "✎"
ORPHAN_MARK = "⚠ orphaned"
CHANGED_MARK = "≠ changed"  # re-anchored on text other than the quote as marked
UNREVIEWED_MARK = "◇ suggested"  # made by `suggest --apply`, not yet confirmed (a, y)
SEPARATOR = " · "

ROW_CACHE_SIZE = 400
"""Rendered entry rows kept: a few screens, so a scroll by one entry rebuilds only new rows."""

RULE = "▏"
"""The rule down the sidebar's left edge (one cell; the accent colour while focused). Drawn
with each row rather than as a CSS border: a border is styled per row by Textual, a tenth of
the time the first screen spends on the sidebar."""

# How the parts of a row look, in theme colours (see briefing_tui.ui.looks).
LOOKS: dict[str, Look] = {
    "cursor": Look("block-cursor-blurred-foreground", "block-cursor-blurred-background",
                   "$block-cursor-blurred-text-style"),
    "cursor-focused": Look("block-cursor-foreground", "block-cursor-background",
                           "$block-cursor-text-style"),
    "meta": Look("text-muted"),
    "empty": Look("text-muted", text_style="italic"),
    "filter": Look("text-accent", text_style="bold"),
    "orphan": Look("text-warning", text_style="bold"),
    "rule": Look("panel-lighten-2"),
    "rule-focused": Look("accent"),
}


FILTER_PROMPT = ("Filter: speaker or alias, stance, #topic, note — all terms must match "
                 "(empty shows all)")


@dataclass(frozen=True)
class SidebarEntry:
    """What the sidebar shows for one highlight (built by the reader screen)."""

    highlight_id: str
    quote: str  # full quote; the sidebar shortens it for display
    speaker: str  # "" when none
    stance: str  # "" when none
    color: str | None  # stance colour "#rrggbb"
    topics: tuple[str, ...]
    has_note: bool
    orphaned: bool = False
    changed: bool = False  # re-anchored on other text: Highlight.changed
    aliases: tuple[str, ...] = ()  # the speaker's other names (the filter matches them)
    note: str = ""  # the note's text (the filter searches it)
    # Who made it ("alice", or "alice → bob" when bob changed it last); shown when the
    # entries come from more than one analyst (a merged database: see core.merge).
    analyst: str = ""
    unreviewed: bool = False  # made from a suggestion nobody confirmed (Highlight.reviewed)


def analyst_label(created_by: str, updated_by: str) -> str:
    """The sidebar's analyst of a highlight: its maker, and who changed it last if another.

    >>> analyst_label("alice", "bob"), analyst_label("alice", "alice"), analyst_label("", "")
    ('alice → bob', 'alice', '')
    """
    if updated_by and created_by and updated_by != created_by:
        return f"{created_by} → {updated_by}"
    return created_by or updated_by


# Insertions and removals noted before the positions are renumbered (see Sidebar._shift).
MAX_SHIFTS = 64


def _one_line(text: str, limit: int) -> str:
    """Whitespace-collapsed head of ``text``, long enough to fill ``limit`` cells.

    Only the head is looked at, so a 50 KB quote costs what a short one does.
    """
    # Every visible character takes at least one cell; leave room for runs of
    # whitespace that collapse to one space. Controls show as placeholders (safetext).
    return safe_line(" ".join(text[: limit * 2 + 16].split()))


def _truncate(text: Text, width: int) -> Text:
    """Cut ``text`` to ``width`` terminal cells with an ellipsis (CJK-aware via rich.cells)."""
    if text.cell_len > width:
        text.truncate(max(width, 0), overflow="ellipsis")
    return text


def _safe_style(color: str | None) -> Style:
    """A foreground style for a stance colour; a bad colour string falls back to neutral."""
    try:
        return Style(color=color or NEUTRAL_COLOR)
    except ColorParseError:
        return Style(color=NEUTRAL_COLOR)


class Sidebar(ScrollView, can_focus=True):
    """The highlights of the open briefing, two rows per entry, in text order.

    The screen calls `set_entries` whenever highlights change and `select_highlight`
    when the reader's cursor enters a highlight (no message is posted then, so the
    reader and the sidebar can follow each other without a loop).

    | Key(s) | id | Description |
    | :- | :- | :- |
    | j, down | `sidebar.down` | Select the next entry (posts `Highlighted`). |
    | k, up | `sidebar.up` | Select the previous entry (posts `Highlighted`). |
    | home, g | `sidebar.first` | Select the first entry. |
    | end, G | `sidebar.last` | Select the last entry. |
    | pagedown | `sidebar.page_down` | Move a screenful down. |
    | pageup | `sidebar.page_up` | Move a screenful up. |
    | enter | `sidebar.activate` | Jump to the entry in the text (posts `Activated`). |
    | f | `sidebar.filter` | Filter: speaker or alias, stance, topic (`#topic`), note; terms combine (a prompt; empty clears). |

    The annotate keys (1–9, t, #, c, x) are bound by the reader screen, which reads
    `selected_id` when the sidebar has focus.

    Messages: `Sidebar.Highlighted(highlight_id)` (selection moved by a key or a
    click), `Sidebar.Activated(highlight_id)` (enter or click: jump to it).

    Colours come from the theme through :data:`LOOKS` (not component classes, see
    :mod:`briefing_tui.ui.looks`): the selected entry (stronger with focus), the meta
    row, the empty-state and filter lines, the orphan mark and the left rule.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Next", id="sidebar.down", show=False),
        Binding("k,up", "cursor_up", "Previous", id="sidebar.up", show=False),
        Binding("home,g", "first", "First", id="sidebar.first", show=False),
        Binding("end,G", "last", "Last", id="sidebar.last", show=False),
        Binding("pagedown", "page_down", "Page down", id="sidebar.page_down", show=False),
        Binding("pageup", "page_up", "Page up", id="sidebar.page_up", show=False),
        Binding("enter", "activate", "Jump to", id="sidebar.activate", show=True),
        Binding("f", "filter", "Filter", id="sidebar.filter", show=True),
    ]

    empty_text = EMPTY_TEXT  # what an empty list says

    DEFAULT_CSS = """
    Sidebar {
        width: 1fr;
        height: 1fr;
        overflow-x: hidden;
        background: $surface;
    }
    """

    class Highlighted(Message):
        """The selection moved by a key or a click; the screen updates the current highlight."""

        def __init__(self, sidebar: Sidebar, highlight_id: str) -> None:
            super().__init__()
            self.sidebar = sidebar
            self.highlight_id = highlight_id

        @property
        def control(self) -> Sidebar:
            """The sidebar that posted the message (for ``@on``)."""
            return self.sidebar

    class Activated(Message):
        """Enter (or a click) on an entry: jump to its highlight in the text."""

        def __init__(self, sidebar: Sidebar, highlight_id: str) -> None:
            super().__init__()
            self.sidebar = sidebar
            self.highlight_id = highlight_id

        @property
        def control(self) -> Sidebar:
            """The sidebar that posted the message (for ``@on``)."""
            return self.sidebar

    def __init__(
        self,
        entries: Sequence[SidebarEntry] = (),
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._entries: list[SidebarEntry] = []
        self._show_analyst = False
        self._analysts: Counter[str] = Counter()  # the entries' analysts, counted
        self._visible: list[SidebarEntry] = []
        # highlight id -> (index in _visible, shifts noted before it; see _index)
        self._position: dict[str, tuple[int, int]] = {}
        self._shifts: list[tuple[int, int]] = []  # (index, +1 | -1) since the last renumber
        self._selected: str | None = None  # remembered even while filtered out
        self._filter = ""
        # Rendered entry rows, keyed by everything that shapes them (see
        # `_entry_strip`). Building a row costs 0.3-0.6 ms and a scroll redraws
        # every row on screen, so following the cursor through a long list would
        # otherwise rebuild the whole screen per key.
        self._row_cache: LRUCache[tuple[object, ...], Strip] = LRUCache(ROW_CACHE_SIZE)
        self._looks: Looks | None = None
        self._base: Style | None = None
        self._empty_lines: tuple[tuple[str, int], list[Text]] | None = None
        self._blank: Strip | None = None  # an empty row, at the last width
        self.set_entries(entries)

    # ------------------------------------------------------------------ data

    @property
    def entries(self) -> Sequence[SidebarEntry]:
        """All entries, unfiltered, in the order given."""
        return self._entries

    @property
    def visible_entries(self) -> Sequence[SidebarEntry]:
        """The entries that pass the filter, as drawn."""
        return self._visible

    @property
    def filter_text(self) -> str:
        """The active filter ("" when none)."""
        return self._filter

    @property
    def selected_id(self) -> str | None:
        """The selected entry's highlight id, or None (also while the filter hides it)."""
        if self._selected is not None and self._selected in self._position:
            return self._selected
        return None

    @property
    def selected_index(self) -> int | None:
        """Index of the selected entry in `visible_entries`, or None."""
        if self._selected is None:
            return None
        return self._index(self._selected)

    def set_entries(self, entries: Sequence[SidebarEntry]) -> None:
        """Replace the entries (in text order); keeps the selection and the filter.

        When the selected entry is gone (deleted), the entry now at its place is
        selected, so pressing ``x`` repeatedly in the sidebar walks down the list.
        """
        old_index = self.selected_index
        self._entries = list(entries)
        # One analyst's file: saying who on every row is noise. Several: show each row's.
        self._analysts = Counter(e.analyst for e in self._entries if e.analyst)
        self._show_analyst = len(self._analysts) > 1
        self._row_cache.clear()
        self._apply_filter()
        self._keep_selection(old_index)
        self._content_changed()

    def change_entries(self, ops: Sequence[tuple[str, int, SidebarEntry | None]]) -> None:
        """Change a few entries in place, each op ``("replace" | "insert", index, entry)``
        or ``("remove", index, None)`` (indexes in `entries`, applied in turn): the
        other entries are neither rebuilt nor redrawn (their rows stay cached). Keeps
        the selection and the filter as `set_entries` does."""
        if not ops:
            return
        old_index = self.selected_index
        entries = self._entries
        filtered = bool(parse_filter(self._filter))
        analysts = self._analysts
        for kind, index, entry in ops:
            if kind != "insert" and entries[index].analyst:  # its analyst counted no more
                analysts[entries[index].analyst] -= 1
                if not analysts[entries[index].analyst]:
                    del analysts[entries[index].analyst]
            if entry is not None and entry.analyst:
                analysts[entry.analyst] += 1
            if kind == "remove":
                del entries[index]
            elif kind == "insert":
                assert entry is not None
                entries.insert(index, entry)
            else:
                assert entry is not None
                entries[index] = entry
        if (len(analysts) > 1) != self._show_analyst:  # a second analyst came or went
            self._show_analyst = len(analysts) > 1
            self._row_cache.clear()
        if filtered:  # which entries pass may have changed: the filter's own pass
            self._apply_filter()
        else:  # unfiltered, the list is the entries: the same steps, positions shifted
            visible = self._visible
            for kind, index, entry in ops:  # (a shift may renumber: self._position anew)
                if kind == "remove":
                    self._position.pop(visible[index].highlight_id, None)
                    del visible[index]
                    self._shift(index, -1)
                elif kind == "insert":
                    assert entry is not None
                    visible.insert(index, entry)
                    self._shift(index, +1)
                    self._position[entry.highlight_id] = (index, len(self._shifts))
                else:
                    assert entry is not None
                    visible[index] = entry  # the same highlight: its position holds
        self._keep_selection(old_index)
        self._content_changed()

    def _shift(self, index: int, delta: int) -> None:
        """Entries from ``index`` on moved by ``delta`` (an insert +1, a removal -1): noted,
        not renumbered (that would cost the whole list per change); every
        ``MAX_SHIFTS`` notes the positions are renumbered once."""
        self._shifts.append((index, delta))
        if len(self._shifts) > MAX_SHIFTS:
            self._renumber()

    def _renumber(self) -> None:
        self._position = {entry.highlight_id: (i, 0) for i, entry in enumerate(self._visible)}
        self._shifts = []

    def _index(self, highlight_id: str | None) -> int | None:
        """Index in `visible_entries` of that entry: its position as noted, moved by the
        shifts noted since (a few at most)."""
        found = self._position.get(highlight_id) if highlight_id is not None else None
        if found is None:
            return None
        index, since = found
        for at, delta in islice(self._shifts, since, None):
            if delta > 0:
                if index >= at:
                    index += 1
            elif index > at:
                index -= 1
        return index

    def _keep_selection(self, old_index: int | None) -> None:
        """The selected entry is gone (deleted): select the one now at its place."""
        if self._selected is not None and self._selected not in self._position:
            if old_index is not None and self._visible:
                self._selected = self._visible[min(old_index, len(self._visible) - 1)].highlight_id
            else:
                self._selected = None

    def set_filter(self, text: str) -> None:
        """Show only entries whose speaker or stance contains ``text`` (case-insensitive).

        ``""`` clears the filter.
        """
        self._filter = " ".join(text.split())
        self._row_cache.clear()
        self._apply_filter()
        self._content_changed()
        if self.is_mounted:
            self.scroll_to(y=0, animate=False, immediate=True)

    def select_highlight(self, highlight_id: str | None) -> None:
        """Select ``highlight_id`` (None clears) and scroll it into view; posts nothing.

        This is how the reader drives the sidebar: following the cursor must not
        bounce a `Highlighted` back at it.
        """
        if highlight_id is not None and highlight_id not in self._position:
            highlight_id = None
        if highlight_id == self._selected:
            self._scroll_to_selected(center=True)
            return
        self._change_selection(highlight_id)
        # The reader jumps (`]`, a search, a click): an entry that was out of view comes
        # to the middle, with its neighbours around it, so the next jumps need no scroll.
        self._scroll_to_selected(center=True)

    def _change_selection(self, highlight_id: str | None) -> None:
        """Select ``highlight_id``, repainting only the rows of the old and new selection."""
        old = self.selected_index
        self._selected = highlight_id
        for index in (old, self.selected_index):
            if index is not None:
                self.refresh_lines(self._header_rows + index * ENTRY_HEIGHT, ENTRY_HEIGHT)

    def _apply_filter(self) -> None:
        terms = parse_filter(self._filter)
        if terms:
            self._visible = [
                entry
                for entry in self._entries
                if matches(terms, speaker=entry.speaker, aliases=entry.aliases,
                           stance=entry.stance, topics=entry.topics, note=entry.note,
                           analyst=entry.analyst)
            ]
        else:
            self._visible = list(self._entries)
        self._renumber()

    @property
    def _header_rows(self) -> int:
        return 1 if self._filter else 0

    def _content_changed(self) -> None:
        rows = self._header_rows + max(len(self._visible) * ENTRY_HEIGHT, 1)
        self.virtual_size = Size(0, rows)
        self.refresh()

    # ------------------------------------------------------------ movement

    def _select_index(self, index: int) -> None:
        """Select visible entry ``index`` (clamped), scroll to it, post `Highlighted`."""
        if not self._visible:
            return
        index = max(0, min(index, len(self._visible) - 1))
        entry_id = self._visible[index].highlight_id
        changed = entry_id != self.selected_id
        self._change_selection(entry_id)
        self._scroll_to_selected()
        if changed:
            self.post_message(self.Highlighted(self, entry_id))

    def reveal(self, highlight_id: str) -> None:
        """Bring an entry into view (to the middle if it was out of view) without
        selecting it: the reader keeps the list in step with the text this way."""
        index = self._index(highlight_id)
        if index is not None:
            self._scroll_to_index(index, center=True)

    def _scroll_to_selected(self, *, center: bool = False) -> None:
        """Bring the selection into view: by as little as needed (keys in the list), or
        to the middle when ``center`` (a jump from the text). In view: no scroll."""
        index = self.selected_index
        if index is not None:
            self._scroll_to_index(index, center=center)

    def _scroll_to_index(self, index: int, *, center: bool) -> None:
        if not self.is_mounted:
            return
        y = self._header_rows + index * ENTRY_HEIGHT
        top, height = self.scroll_offset.y, self.scrollable_content_region.height
        if height and top <= y and y + ENTRY_HEIGHT <= top + height:
            return
        self.scroll_to_region(
            Region(0, y, max(self.scrollable_content_region.width, 1), ENTRY_HEIGHT),
            animate=False,
            force=True,
            immediate=True,
            center=center,
        )

    def action_cursor_down(self) -> None:
        """Select the next entry (the first when none is selected)."""
        index = self.selected_index
        self._select_index(0 if index is None else index + 1)

    def action_cursor_up(self) -> None:
        """Select the previous entry (the last when none is selected)."""
        index = self.selected_index
        self._select_index(len(self._visible) - 1 if index is None else index - 1)

    def action_first(self) -> None:
        """Select the first entry."""
        self._select_index(0)

    def action_last(self) -> None:
        """Select the last entry."""
        self._select_index(len(self._visible) - 1)

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height // ENTRY_HEIGHT)

    def action_page_down(self) -> None:
        """Move the selection a screenful down."""
        index = self.selected_index
        self._select_index(0 if index is None else index + self._page())

    def action_page_up(self) -> None:
        """Move the selection a screenful up."""
        index = self.selected_index
        self._select_index(0 if index is None else index - self._page())

    def action_activate(self) -> None:
        """Post `Activated` for the selected entry (nothing when none is selected)."""
        if (entry_id := self.selected_id) is not None:
            self.post_message(self.Activated(self, entry_id))

    def action_filter(self) -> None:
        """Ask for a filter text; the previous one comes selected (typing replaces it,
        a cursor key keeps it for editing); an empty answer clears the filter."""
        from briefing_tui.ui.widgets.pickers import PathPrompt

        def apply(result: str | None) -> None:
            if result is not None:
                self.set_filter(result)

        self.app.push_screen(
            PathPrompt(FILTER_PROMPT, self._filter, allow_empty=True,
                       title="Filter highlights", select=True),
            apply,
        )

    def entry_at_row(self, row: int) -> int | None:
        """Index in `visible_entries` of the entry drawn at virtual ``row``, or None."""
        row -= self._header_rows
        if row < 0:
            return None
        index = row // ENTRY_HEIGHT
        return index if index < len(self._visible) else None

    def on_click(self, event: events.Click) -> None:
        """A click on an entry selects it and activates it (as ``enter`` does)."""
        # The rows are entries, not text: Widget's own click handling (select all on a
        # double click) has nothing to act on here, so base classes don't see the click.
        event.prevent_default()
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = self.entry_at_row(self.scroll_offset.y + offset.y)
        if index is None:
            return
        event.stop()
        self._select_index(index)
        self.post_message(self.Activated(self, self._visible[index].highlight_id))

    def on_resize(self, event: events.Resize) -> None:
        """Rows are drawn for a width: drop them, and keep the selection in view."""
        self._row_cache.clear()
        self._scroll_to_selected()

    def on_show(self) -> None:
        """Scroll to the selection once the sidebar has a size."""
        self._scroll_to_selected()

    # ------------------------------------------------------------ drawing

    def render_line(self, y: int) -> Strip:
        """Draw screen row ``y``: only rows on screen are ever computed."""
        width = self._text_width()
        base = self._base_style()
        row = self.scroll_offset.y + y
        if self._filter and row == 0:
            return self._text_strip(self._filter_header(), width, base)
        if not self._visible:
            return self._empty_line(row - self._header_rows, width, base)
        index = self.entry_at_row(row)
        if index is None:
            return self._blank_row(width)
        entry = self._visible[index]
        part = (row - self._header_rows) % ENTRY_HEIGHT
        style = base
        if entry.highlight_id == self._selected:
            style = self._style("cursor-focused" if self.has_focus else "cursor")
        return self._entry_strip(entry, part, width, style)

    def _entry_strip(self, entry: SidebarEntry, part: int, width: int, style: Style) -> Strip:
        """Row ``part`` of ``entry`` drawn in ``style``, from the row cache when possible.

        The key holds the entry itself (its text, marks and colour: an edited entry
        is a new value), the row, the width and the resolved row style, which
        differs for the selected row and again with focus; the meta and orphan
        styles go in too, so a theme change can never reuse an old row even if
        the cache were not cleared.
        """
        meta = self._style("meta")
        orphan = self._style("orphan")
        key = (entry, part, width, style, meta, orphan, self._rule_segment())
        strip = self._row_cache.get(key)
        if strip is None:
            text = self._quote_row(entry, width) if part == 0 else self._meta_row(entry, width)
            text.style = style
            strip = self._text_strip(text, width, style)
            self._row_cache.set(key, strip)
        return strip

    def _text_width(self) -> int:
        """Cells for the text of a row: the content width but the rule."""
        return max(self.scrollable_content_region.width - len(RULE), 0)

    def _rule_segment(self) -> Segment:
        look = "rule-focused" if self.has_focus else "rule"
        return Segment(RULE, self._base_style() + self._style(look))

    def _text_strip(self, text: Text, width: int, style: Style) -> Strip:
        """The rule, then ``text`` cut or padded to ``width`` cells: one Strip."""
        _truncate(text, width)
        segments = [self._rule_segment(), *text.render(self.app.console, end="")]
        cells = text.cell_len
        if cells < width:
            segments.append(Segment(" " * (width - cells), style))
        return Strip(segments, width + len(RULE))

    def _blank_row(self, width: int) -> Strip:
        """The rule and nothing else (one Strip for every such row)."""
        blank = self._blank
        if blank is None or blank.cell_length != width + len(RULE):
            blank = self._blank = Strip(
                [self._rule_segment(), Segment(" " * width, self._base_style())],
                width + len(RULE))
        return blank

    def _base_style(self) -> Style:
        """The sidebar's own style (cached: ``rich_style`` walks the DOM on every call)."""
        if self._base is None:
            self._base = self.rich_style
        return self._base

    def _empty_line(self, line: int, width: int, base: Style) -> Strip:
        """Row ``line`` of the empty-state message, word-wrapped to the width."""
        message = (self.empty_text if not self._filter
                   else f"No highlights match “{safe_line(self._filter)}”")
        if self._empty_lines is None or self._empty_lines[0] != (message, width):
            wrapped = list(Text(message).wrap(self.app.console, max(width - 2, 1)))
            self._empty_lines = ((message, width), wrapped)
        lines = self._empty_lines[1]
        if not 0 <= line < len(lines):
            return self._blank_row(width)
        text = Text(" ", style=self._style("empty"))
        text.append(lines[line])
        return self._text_strip(text, width, base)

    def _filter_header(self) -> Text:
        shown, total = len(self._visible), len(self._entries)
        return Text(
            f" Filter: {safe_line(self._filter)} — {shown} of {total} (f to change)",
            style=self._style("filter"),
        )

    def _bar(self, entry: SidebarEntry) -> Text:
        return Text.assemble(("▌", _safe_style(entry.color)), " ")

    def _quote_row(self, entry: SidebarEntry, width: int) -> Text:
        """Row 1: the stance bar and the quote, shortened to the width with an ellipsis."""
        text = self._bar(entry)
        if entry.changed:  # the meta row's "≠ changed" may give way: this stays
            text.append(CHANGED_MARK[:2], self._style("orphan"))
        if entry.unreviewed:  # the same for "◇ suggested"
            text.append(UNREVIEWED_MARK[:2], self._style("orphan"))
        room = max(width - text.cell_len, 0)
        text.append(_truncate(Text(_one_line(entry.quote, room)), room))
        return text

    def _meta_row(self, entry: SidebarEntry, width: int) -> Text:
        """Row 2: speaker · stance · #topics ✎ (⚠ orphaned, ≠ changed); topics give way
        first."""
        meta = self._style("meta")
        head = self._bar(entry)
        if entry.speaker:
            head.append(safe_line(entry.speaker), Style(bold=True))
        else:
            head.append("no speaker", meta + Style(italic=True))
        head.append(SEPARATOR, meta)
        if entry.stance:
            head.append(safe_line(entry.stance), _safe_style(entry.color) + Style(bold=True))
        else:
            head.append("no stance", meta + Style(italic=True))

        tail = Text()
        if entry.has_note:
            tail.append(" " + NOTE_MARK)
        if entry.orphaned:
            tail.append(" " + ORPHAN_MARK, self._style("orphan"))
        elif entry.changed:
            tail.append(" " + CHANGED_MARK, self._style("orphan"))
        if entry.unreviewed:
            tail.append(" " + UNREVIEWED_MARK, self._style("orphan"))

        extra = ""
        if self._show_analyst and entry.analyst:
            extra = SEPARATOR + "by " + safe_line(entry.analyst)
        if entry.topics or extra:
            tags = safe_line(" ".join(f"#{topic}" for topic in entry.topics))
            topics = Text(extra + (SEPARATOR + tags if tags else ""), meta)
            room = width - head.cell_len - tail.cell_len
            if room >= len(SEPARATOR) + 2:
                head.append(_truncate(topics, room))
        head.append(tail)
        return head

    def _style(self, look: str) -> Style:
        """The Rich style of one of :data:`LOOKS` under the current theme."""
        if self._looks is None:
            self._looks = Looks(LOOKS, self.app.theme_variables, self.background_colors[1])
        return self._looks.style(look)

    def notify_style_update(self) -> None:
        """Colours changed (theme, focus): drop the cached rows and redraw."""
        super().notify_style_update()
        self._looks = None
        self._base = None
        self._blank = None
        self._row_cache.clear()
        self.refresh()


__all__ = ["EMPTY_TEXT", "ENTRY_HEIGHT", "UNREVIEWED_MARK", "Sidebar", "SidebarEntry"]
