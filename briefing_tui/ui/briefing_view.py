"""The reader's view-model: one briefing's highlights as the screen shows them.

Built from the read side (:func:`briefing_tui.core.queries.annotated_highlights`) in one
call (a long list: first the highlights of the first screen, :meth:`BriefingView.first_screen`),
then changed in place, one highlight at a time (:meth:`BriefingView.apply`); the reader
screen binds its widgets to it: the marks of the text pane, the entries
of the sidebar, the counts of the status line, and the lookups the keys need (the
highlight under the cursor, the next and previous ones) in O(log n).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from typing import NamedTuple

from rich.cells import cell_len, set_cell_size

from briefing_tui.core.models import ANCHORED, ORPHANED, Highlight
from briefing_tui.core.queries import (
    AnnotatedHighlight,
    HighlightCounts,
    HighlightQuery,
    ReadSource,
    Versions,
)
from briefing_tui.core.queries import annotated_highlights as read_highlights
from briefing_tui.core.safetext import safe_line
from briefing_tui.ui.widgets.row_painter import HighlightMark
from briefing_tui.ui.widgets.sidebar import SidebarEntry, analyst_label


class Op(NamedTuple):
    """One step of a change to the view's order (anchored highlights by position, then
    the orphans), which the sidebar replays: ``"remove"`` the entry at ``index``,
    ``"insert"`` ``item`` at ``index``, or ``"replace"`` the one at ``index`` by ``item``."""

    kind: str
    index: int
    item: AnnotatedHighlight | None = None


class Change(NamedTuple):
    """What :meth:`BriefingView.apply` changed: the sidebar's steps and the text's marks."""

    ops: list[Op]
    marks_removed: list[HighlightMark]
    marks_added: list[HighlightMark]


def _key(item: AnnotatedHighlight) -> tuple[int, int, str]:
    h = item.highlight
    return (h.start, h.end, h.id)  # the read model's order inside a briefing


def mark(item: AnnotatedHighlight) -> HighlightMark:
    """The text pane's mark of an anchored highlight, coloured by its stance."""
    h, stance = item.highlight, item.stance
    return HighlightMark(id=h.id, start=h.start, end=h.end,
                         color=stance.color if stance is not None else None,
                         has_speaker=h.speaker_id is not None)


def entry(item: AnnotatedHighlight) -> SidebarEntry:
    """The sidebar's entry of a highlight."""
    h, speaker, stance = item.highlight, item.speaker, item.stance
    return SidebarEntry(highlight_id=h.id, quote=h.exact,
                        speaker=speaker.name if speaker is not None else "",
                        stance=stance.name if stance is not None else "",
                        color=stance.color if stance is not None else None,
                        topics=h.topics, has_note=bool(h.note.strip()),
                        orphaned=h.status == ORPHANED, changed=h.changed,
                        aliases=speaker.aliases if speaker is not None else (),
                        note=h.note, unreviewed=not h.reviewed,
                        analyst=analyst_label(h.created_by, h.updated_by))


class BriefingView:
    """A briefing's highlights: anchored ones by position, then the orphans.

    Built whole once (:meth:`load`); after a change only the highlights it touched are
    re-read (``HighlightQuery(ids=...)``) and put in place by :meth:`apply`, which says
    what the sidebar and the text pane must change: the cost of a change does not grow
    with the number of highlights.
    """

    def __init__(self, rows: list[AnnotatedHighlight] | None = None) -> None:
        rows = rows or []
        # Hot for 20k highlights: plain attribute reads, one pass each.
        self._anchored = [r for r in rows if r.highlight.status != ORPHANED]
        self._orphans = [r for r in rows if r.highlight.status == ORPHANED]
        self._keys = [_key(r) for r in self._anchored]
        self._orphan_keys = [_key(r) for r in self._orphans]
        self._highlights = [r.highlight for r in self._anchored]
        # For cheap per-key lookups (cursor moves, ]/[): sorted starts and the longest span
        # (an upper bound once highlights are removed: lookups stay right).
        self._starts = [h.start for h in self._highlights]
        self._longest = max((h.end - h.start for h in self._highlights), default=0)
        self._by_id = {r.highlight.id: r for r in rows}
        self.changed_count = sum(h.changed for h in self._highlights)  # Highlight.changed
        # A first screen's view (:meth:`first_screen`): the briefing's counts, as the store
        # had them, while the rest is read.
        self.partial: HighlightCounts | None = None
        # And the parts of the text ``[from, to)`` whose highlights it holds.
        self.read_spans: list[tuple[int, int]] = []

    @classmethod
    def load(cls, store: ReadSource, briefing_id: str) -> BriefingView:
        """Read the briefing's annotated highlights (a bounded number of statements)."""
        return cls.build(read_highlights(store, HighlightQuery(briefing_ids=(briefing_id,))))

    @classmethod
    def first_screen(cls, store: ReadSource, briefing_id: str, span: tuple[int, int],
                     counts: HighlightCounts) -> BriefingView:
        """The view of the anchored highlights over ``span`` of the text only (what a
        first screen there shows), carrying the briefing's ``counts``: :attr:`partial`
        until the whole view (:meth:`load`) takes its place."""
        view = cls.build(read_highlights(store, cls.over(briefing_id, span)))
        view.partial = counts
        view.read_spans.append(span)
        return view

    @staticmethod
    def over(briefing_id: str, span: tuple[int, int]) -> HighlightQuery:
        """The query of the briefing's anchored highlights over ``span`` of its text."""
        return HighlightQuery(briefing_ids=(briefing_id,), status=ANCHORED, span=span)

    @classmethod
    def build(cls, rows: list[AnnotatedHighlight]) -> BriefingView:
        """The view of ``rows`` (one briefing's, in position order)."""
        return cls(rows)

    # -- changes ------------------------------------------------------------------------

    def apply(self, rows: list[AnnotatedHighlight], ids: Iterable[str]) -> Change:
        """Put the highlights ``ids`` as ``rows`` now has them (an id missing from
        ``rows`` was deleted): each one is taken out of its place and put in its new one
        (or replaced where it stands); the other highlights are not looked at."""
        fresh = {r.highlight.id: r for r in rows}
        change = Change([], [], [])
        for hid in dict.fromkeys([*ids, *fresh]):
            old, new = self._by_id.pop(hid, None), fresh.get(hid)
            if old is None and new is None:
                continue
            if old is not None and new is not None and _key(old) == _key(new) and (
                    old.orphaned == new.orphaned):
                self._replace(old, new, change)
                continue
            if old is not None:
                self._remove(old, change)
            if new is not None:
                self._insert(new, change)
        return change

    def _place(self, item: AnnotatedHighlight) -> tuple[list[tuple[int, int, str]], int, int]:
        """The key list ``item`` belongs to, its index there (bisect) and the offset of
        that list in the view's order."""
        if item.orphaned:
            keys, offset = self._orphan_keys, len(self._anchored)
        else:
            keys, offset = self._keys, 0
        return keys, bisect_left(keys, _key(item)), offset

    def _replace(self, old: AnnotatedHighlight, new: AnnotatedHighlight, change: Change) -> None:
        _, index, offset = self._place(old)
        if new.orphaned:
            self._orphans[index] = new
        else:
            self._anchored[index] = new
            self._highlights[index] = new.highlight
            self.changed_count += new.changed - old.changed
            change.marks_removed.append(mark(old))
            change.marks_added.append(mark(new))
        self._by_id[new.highlight.id] = new
        change.ops.append(Op("replace", offset + index, new))

    def _remove(self, old: AnnotatedHighlight, change: Change) -> None:
        keys, index, offset = self._place(old)
        del keys[index]
        if old.orphaned:
            del self._orphans[index]
        else:
            del self._anchored[index], self._highlights[index], self._starts[index]
            self.changed_count -= old.changed
            change.marks_removed.append(mark(old))
        change.ops.append(Op("remove", offset + index))

    def _insert(self, new: AnnotatedHighlight, change: Change) -> None:
        keys, index, offset = self._place(new)
        keys.insert(index, _key(new))
        if new.orphaned:
            self._orphans.insert(index, new)
        else:
            h = new.highlight
            self._anchored.insert(index, new)
            self._highlights.insert(index, h)
            self._starts.insert(index, h.start)
            self._longest = max(self._longest, h.end - h.start)
            self.changed_count += h.changed
            change.marks_added.append(mark(new))
        self._by_id[new.highlight.id] = new
        change.ops.append(Op("insert", offset + index, new))

    def speaker_ids(self) -> set[str]:
        """The speakers the view shows."""
        return {item.speaker.id for item in self._by_id.values() if item.speaker is not None}

    def stale(self, versions: Versions) -> set[str]:
        """The highlights whose row, speaker or stance differs from ``versions`` (another
        instance changed them), added or deleted: what to re-read."""
        stamps, speakers, stances = versions
        by_id = self._by_id
        stale = {hid for hid, stamp in stamps.items()
                 if (item := by_id.get(hid)) is None or item.highlight.updated != stamp}
        stale.update(hid for hid in by_id if hid not in stamps)
        for hid, item in by_id.items():
            h = item.highlight
            if ((h.speaker_id is not None and speakers.get(h.speaker_id) != item.speaker)
                    or (h.stance_id is not None and stances.get(h.stance_id) != item.stance)):
                stale.add(hid)
        return stale

    # -- what the widgets show --------------------------------------------------------

    @property
    def items(self) -> tuple[AnnotatedHighlight, ...]:
        """Every highlight, annotated (anchored ones by position, then orphans)."""
        return (*self._anchored, *self._orphans)

    @property
    def anchored(self) -> list[Highlight]:
        """The anchored highlights, by position."""
        return self._highlights

    @property
    def highlights(self) -> list[Highlight]:
        """Every highlight (anchored ones by position, then orphans)."""
        return [*self._highlights, *(item.highlight for item in self._orphans)]

    @property
    def orphan_count(self) -> int:
        """How many highlights lost their text."""
        return len(self._orphans)

    def marks(self) -> list[HighlightMark]:
        """The text pane's marks: anchored highlights coloured by stance."""
        return [mark(item) for item in self._anchored]

    def entries(self) -> list[SidebarEntry]:
        """The sidebar's entries, in the view's order."""
        return [entry(item) for item in (*self._anchored, *self._orphans)]

    def status_line(self, *, title: str, percent: int, width: int, found: str = "",
                    readonly: bool = False, message: str = "") -> str:
        """The reader's status line, made safe: title · position % · find matches ·
        highlights · orphans · changed · read-only · last message. The title gives way
        to ``width``: position, counts and messages must always be readable."""
        anchored, orphans, changed = (len(self.anchored), self.orphan_count, self.changed_count)
        if self.partial is not None:
            anchored, orphans, changed = self.partial
        parts = [safe_line(title), f"{percent}%"]  # the title measured with placeholders
        if found:
            parts.append(found)
        parts.append(f"{anchored} highlight{'s' if anchored != 1 else ''}")
        if orphans:
            parts.append(f"{orphans} orphan{'s' if orphans != 1 else ''} (o)")
        if changed:
            parts.append(f"{changed} changed (o)")
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
        return self._orphans[0].highlight if self._orphans else None
