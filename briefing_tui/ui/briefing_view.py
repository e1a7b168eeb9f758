"""The reader's view-model: one briefing's highlights as the screen shows them.

Built from the read side (:func:`briefing_tui.core.queries.annotated_highlights`) in one
call; the reader screen binds its widgets to it: the marks of the text pane, the entries
of the sidebar, the counts of the status line, and the lookups the keys need (the
highlight under the cursor, the next and previous ones) in O(log n).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from rich.cells import cell_len, set_cell_size

from briefing_tui.core.models import ORPHANED, Highlight
from briefing_tui.core.queries import AnnotatedHighlight, HighlightQuery, ReadSource
from briefing_tui.core.queries import annotated_highlights as read_highlights
from briefing_tui.core.safetext import safe_line
from briefing_tui.ui.widgets.row_painter import HighlightMark
from briefing_tui.ui.widgets.sidebar import SidebarEntry, analyst_label


@dataclass(frozen=True)
class BriefingView:
    """A briefing's highlights: anchored ones by position, then the orphans."""

    items: tuple[AnnotatedHighlight, ...] = ()
    anchored: tuple[Highlight, ...] = ()
    _by_id: dict[str, AnnotatedHighlight] = field(default_factory=dict, repr=False)
    _starts: list[int] = field(default_factory=list, repr=False)
    _longest: int = 0
    changed_count: int = 0  # anchored on changed text (Highlight.changed)

    @classmethod
    def load(cls, store: ReadSource, briefing_id: str) -> BriefingView:
        """Read the briefing's annotated highlights (a bounded number of statements)."""
        return cls.build(read_highlights(store, HighlightQuery(briefing_ids=(briefing_id,))))

    @classmethod
    def build(cls, rows: list[AnnotatedHighlight]) -> BriefingView:
        """The view of ``rows`` (one briefing's, in position order)."""
        # Hot for 10k highlights: plain attribute reads, one pass each.
        anchored = [r for r in rows if r.highlight.status != ORPHANED]
        items = tuple(anchored + [r for r in rows if r.highlight.status == ORPHANED])
        highlights = tuple(r.highlight for r in anchored)
        # For cheap per-key lookups (cursor moves, ]/[): sorted starts and the longest span.
        return cls(items=items, anchored=highlights,
                   _by_id={r.highlight.id: r for r in items},
                   _starts=[h.start for h in highlights],
                   _longest=max((h.end - h.start for h in highlights), default=0),
                   changed_count=sum(h.changed for h in highlights))

    # -- what the widgets show --------------------------------------------------------

    @property
    def highlights(self) -> list[Highlight]:
        """Every highlight (anchored ones by position, then orphans)."""
        return [item.highlight for item in self.items]

    @property
    def orphan_count(self) -> int:
        """How many highlights lost their text."""
        return len(self.items) - len(self.anchored)

    def marks(self) -> list[HighlightMark]:
        """The text pane's marks: anchored highlights coloured by stance."""
        return [HighlightMark(id=h.id, start=h.start, end=h.end,
                              color=stance.color if stance is not None else None,
                              has_speaker=h.speaker_id is not None)
                for h, _, _, stance, _ in self.items[:len(self.anchored)]]

    def entries(self) -> list[SidebarEntry]:
        """The sidebar's entries, in the view's order."""
        first_orphan = len(self.anchored)
        return [SidebarEntry(highlight_id=h.id, quote=h.exact,
                             speaker=speaker.name if speaker is not None else "",
                             stance=stance.name if stance is not None else "",
                             color=stance.color if stance is not None else None,
                             topics=h.topics, has_note=bool(h.note.strip()),
                             orphaned=index >= first_orphan, changed=h.changed,
                             aliases=speaker.aliases if speaker is not None else (),
                             note=h.note, unreviewed=not h.reviewed,
                             analyst=analyst_label(h.created_by, h.updated_by))
                for index, (h, _, speaker, stance, _) in enumerate(self.items)]

    def status_line(self, *, title: str, percent: int, width: int, found: str = "",
                    readonly: bool = False, message: str = "") -> str:
        """The reader's status line, made safe: title · position % · find matches ·
        highlights · orphans · changed · read-only · last message. The title gives way
        to ``width``: position, counts and messages must always be readable."""
        anchored = len(self.anchored)
        orphans = self.orphan_count
        parts = [safe_line(title), f"{percent}%"]  # the title measured with placeholders
        if found:
            parts.append(found)
        parts.append(f"{anchored} highlight{'s' if anchored != 1 else ''}")
        if orphans:
            parts.append(f"{orphans} orphan{'s' if orphans != 1 else ''} (o)")
        if self.changed_count:
            parts.append(f"{self.changed_count} changed (o)")
        if readonly:
            parts.append("read-only database")
        if message:
            parts.append(message)
        tail = " · " + " · ".join(parts[1:])
        room = max(12, width - cell_len(tail) - 2)
        if cell_len(parts[0]) > room:
            parts[0] = set_cell_size(parts[0], room - 1) + "…"
        return safe_line(" · ".join(parts))

    # -- lookups ------------------------------------------------------------------------

    def get(self, highlight_id: str | None) -> Highlight | None:
        """The highlight with that id, if the view has it."""
        item = self._by_id.get(highlight_id) if highlight_id is not None else None
        return item.highlight if item is not None else None

    def is_orphaned(self, highlight_id: str) -> bool:
        """Whether that highlight is an orphan."""
        item = self._by_id.get(highlight_id)
        return item is not None and item.orphaned

    def covering(self, cursor: int) -> Highlight | None:
        """The innermost anchored highlight over ``cursor``."""
        # Only highlights starting in [cursor - longest, cursor] can cover the cursor.
        high = bisect_right(self._starts, cursor)
        low = bisect_left(self._starts, cursor - self._longest, 0, high)
        covering = [h for h in self.anchored[low:high] if cursor < h.end]
        if not covering:
            return None
        # Nested highlights: the innermost is the one the reader sees on top.
        return min(covering, key=lambda h: (h.end - h.start, -h.start))

    def next_after(self, cursor: int) -> Highlight | None:
        """The first highlight starting after ``cursor``."""
        index = bisect_right(self._starts, cursor)
        return self.anchored[index] if index < len(self.anchored) else None

    def previous_before(self, cursor: int) -> Highlight | None:
        """The highlight starting last before ``cursor`` (the first of those starting there)."""
        index = bisect_left(self._starts, cursor) - 1
        if index < 0:
            return None
        # Several highlights may start there: the first of them (the longest sorts last).
        return self.anchored[bisect_left(self._starts, self._starts[index])]

    def nearest(self, cursor: int) -> Highlight | None:
        """Nothing under the cursor: the next highlight in the text, else the last one
        (else the first orphan), so enter in the sidebar jumps forward as a reader expects."""
        index = bisect_left(self._starts, cursor)
        if index < len(self.anchored):
            return self.anchored[index]
        if self.anchored:
            return self.anchored[-1]
        return self.items[0].highlight if self.items else None
