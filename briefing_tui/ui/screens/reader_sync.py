"""The reader screen's view kept in step with the store, at the cost of what changed.
Mixed into :class:`~briefing_tui.ui.screens.reader.ReaderScreen`.

- :meth:`ReaderSync.reload` reads the whole view (on mount, after a re-import). A briefing
  of more than ``WHOLE_UP_TO`` highlights opens with those over the text around the cursor
  (:meth:`ReaderSync.open_view`: one statement over the index, what the first screen shows)
  and the counts; a worker with a connection of its own reads the whole view after the
  first frame, and the screen swaps it in (:meth:`ReaderSync._view_read`), re-reading what
  changed meanwhile. Until then a jump reads the highlights where the cursor lands
  (:meth:`ReaderSync.read_around`), ``]``/``[`` ask the store for the next one
  (:meth:`ReaderSync.neighbour`) and the store counts them all after a change.
- A change made here (a stance, note, speaker, topics, create, delete, undo, redo) names
  the highlights it touched: :meth:`ReaderSync._changed` re-reads only those
  (``HighlightQuery(ids=...)``: two statements) and puts them in place in the view, the
  text's marks and the sidebar's entries; no other entry is rebuilt.
- Another instance's change (``PRAGMA data_version`` moved) or another screen's (the
  app's ``store_changed``): :meth:`ReaderSync.sync` reads each highlight's ``updated``
  stamp and the speakers and stances shown (three narrow statements, no join, nothing
  built per highlight), then re-reads only the highlights that differ. Deletions and
  undos (which set a stamp back) show as differences too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from briefing_tui.core.queries import (
    AnnotatedHighlight,
    HighlightCounts,
    HighlightQuery,
    annotated_highlights,
    highlight_counts,
    highlight_versions,
    neighbour_highlight,
)
from briefing_tui.core.store import Store
from briefing_tui.ui.briefing_view import BriefingView, entry
from briefing_tui.ui.messages import USER_ERRORS, StoreChange

if TYPE_CHECKING:
    from textual.screen import Screen

    from briefing_tui.core.models import Highlight
    from briefing_tui.ui.widgets.reader_view import ReaderView
    from briefing_tui.ui.widgets.row_painter import HighlightMark
    from briefing_tui.ui.widgets.sidebar import Sidebar, SidebarEntry

    _Base = Screen[None]
else:
    _Base = object

WHOLE_UP_TO = 1000
"""Highlights a briefing may have for the reader to read them all before its first frame
(~20 ms); with more, the first frame shows those around the cursor and a worker reads the
rest (10,000 take ~200 ms)."""

FIRST_SPAN = 12_000
"""Characters each side of the cursor whose highlights the first screen reads: more than a
screen holds, whichever row the cursor is on."""


def _around(cursor: int) -> tuple[int, int]:
    """The text a first screen (or a jump while the list is read) reads highlights over."""
    return max(0, cursor - FIRST_SPAN), cursor + FIRST_SPAN


class ReaderSync(_Base):
    """Load the view whole once, then change it one highlight at a time."""

    if TYPE_CHECKING:  # provided by ReaderScreen
        briefing_id: str
        view: BriefingView
        _last_made: str | None
        _message: str
        _data_version: int | None
        _changed_meanwhile: set[str]  # changed while the whole view was read
        _resync: bool  # a sync was asked while the whole view was read

        @property
        def store(self) -> Store: ...
        @property
        def reader(self) -> ReaderView: ...
        @property
        def sidebar(self) -> Sidebar: ...
        def report(self, error: BaseException) -> None: ...
        def update_status(self) -> None: ...
        def reopen(self, message: str = "") -> None: ...
        def _current_in_text(self) -> Highlight | None: ...
        def _position_poll(self) -> None: ...
        @property
        def reviewing(self) -> bool: ...
        def review_marks(self) -> list[HighlightMark]: ...

    def open_view(self) -> None:
        """On mount, with the cursor in place: the whole view, or for a long list the
        first screen's (see the module docstring)."""
        store = self.store
        try:
            counts = highlight_counts(store, self.briefing_id)
        except USER_ERRORS as error:
            self.report(error)
            return
        if counts.anchored + counts.orphaned <= WHOLE_UP_TO:
            self.reload()
            return
        cursor = self.reader.cursor
        try:
            self._data_version = store.data_version()
            self.view = BriefingView.first_screen(store, self.briefing_id, _around(cursor),
                                                  counts)
        except USER_ERRORS as error:
            self.report(error)
            return
        self._changed_meanwhile, self._resync = set(), False
        self._show_view()
        self.call_after_refresh(self.run_worker, self._read_view, thread=True,
                                group="reader-view", exclusive=True, exit_on_error=False)

    @property
    def view_loading(self) -> bool:
        """Whether the view is a first screen's, the whole one still being read."""
        return self.view.partial is not None

    def neighbour(self, cursor: int, *, after: bool) -> Highlight | None:
        """The highlight ``]`` (``after``) or ``[`` reaches from ``cursor``. While the
        whole view is read, the first screen's view lacks most of them: the store is asked
        (one statement) and the one found is put in the view, so the keys, and what
        follows them (a stance, a note), act on it at once."""
        view = self.view
        if not self.view_loading:
            return view.next_after(cursor) if after else view.previous_before(cursor)
        try:
            found = neighbour_highlight(self.store, self.briefing_id, cursor, after=after)
        except USER_ERRORS as error:
            self.report(error)
            return None
        if found is not None and view.get(found) is None:
            self._read_into_view(HighlightQuery(briefing_ids=(self.briefing_id,), ids=(found,)))
        return view.get(found)

    def _read_view(self) -> None:
        """The worker: the whole view, its marks and entries, read by a connection of this
        thread (the screen's store stays free for keys); then swapped in on the UI thread."""
        try:
            with Store(self.store.path, readonly=True) as store:
                view = BriefingView.load(store, self.briefing_id)
            marks, entries = view.marks(), view.entries()
        except USER_ERRORS as error:
            self.app.call_from_thread(self.report, error)
            return
        self.app.call_from_thread(self._view_read, view, marks, entries)

    def _view_read(self, view: BriefingView, marks: list[HighlightMark],
                   entries: list[SidebarEntry]) -> None:
        """Show the whole view; what this screen changed meanwhile is re-read (the
        worker's read may predate it); another instance's changes come at the next poll
        (the data version is the one taken before the first screen's read)."""
        if not self.is_attached or not self.view_loading:
            return
        changed, self._changed_meanwhile = self._changed_meanwhile, set()
        resync, self._resync = self._resync, False
        self.view = view
        self._show_view(marks, entries)
        if resync:
            self.sync()
        elif changed:
            self.refresh_highlights(changed)

    def _show_view(self, marks: list[HighlightMark] | None = None,
                   entries: list[SidebarEntry] | None = None) -> None:
        """Redraw the text's marks, the sidebar and the status line from the view (its
        ``marks`` and ``entries`` when the worker made them already)."""
        self.reader.set_highlights((self.view.marks() if marks is None else marks)
                                   + self.review_marks())
        sidebar = self.sidebar
        keep = sidebar.selected_id if sidebar.has_focus else None
        sidebar.set_entries(self.view.entries() if entries is None else entries)
        self._shown(keep)

    def reload(self) -> None:
        """Re-read the briefing's view; redraw the text, sidebar and status from it."""
        store = self.store
        try:
            self.view = BriefingView.load(store, self.briefing_id)
            self._data_version = store.data_version()
        except USER_ERRORS as error:
            self.report(error)
            return
        self._show_view()

    def _changed(self, message: str = "", ids: Iterable[str] | None = None) -> None:
        """This screen changed the highlights ``ids`` (None: it cannot say which, e.g.
        an undone speaker edit): show them as stored now, with ``message``."""
        self._message = message
        if ids is None:
            self.sync()
        else:
            self.refresh_highlights(ids)

    def refresh_highlights(self, ids: Iterable[str]) -> None:
        """Re-read the highlights ``ids`` (two statements, whatever the briefing holds)
        and put them in place: their marks, their sidebar entries and the counts."""
        ids = tuple(ids)
        if self.view_loading:  # the whole view, when it comes, re-reads them too
            self._changed_meanwhile.update(ids)
        if not ids:
            if self.reviewing:  # a rejection changes no highlight, but the queue
                self.reader.set_highlights(self.view.marks() + self.review_marks())
            self.update_status()
            return
        try:
            rows = annotated_highlights(
                self.store, HighlightQuery(briefing_ids=(self.briefing_id,), ids=ids))
            # A first screen's view holds only some highlights: the store counts them all.
            counts = (highlight_counts(self.store, self.briefing_id) if self.view_loading
                      else None)
        except USER_ERRORS as error:
            self.report(error)
            return
        self._put(rows, ids, counts)

    def read_around(self) -> None:
        """While the whole view is read: the highlights over the text around the cursor,
        once it has left what the first screen's view holds (one statement over the
        index), so a jump (``G``, a find) shows its marks and the keys act on them."""
        view = self.view
        if not self.view_loading:
            return
        cursor, margin = self.reader.cursor, FIRST_SPAN // 2
        if any((lo == 0 or lo + margin <= cursor) and cursor + margin <= hi
               for lo, hi in view.read_spans):
            return
        span = _around(cursor)
        if self._read_into_view(BriefingView.over(self.briefing_id, span)):
            view.read_spans.append(span)

    def _read_into_view(self, query: HighlightQuery) -> bool:
        """Put the highlights ``query`` reads in the first screen's view (not a change:
        nothing to re-read when the whole view lands); False if the read failed."""
        try:
            rows = annotated_highlights(self.store, query)
        except USER_ERRORS as error:
            self.report(error)
            return False
        self._put(rows, [r.id for r in rows])
        return True

    def _put(self, rows: list[AnnotatedHighlight], ids: Iterable[str],
             counts: HighlightCounts | None = None) -> None:
        """Put ``rows`` (the highlights ``ids`` as stored now) in place: their marks,
        their sidebar entries and the counts (``counts``: a first screen's view's)."""
        sidebar = self.sidebar
        keep = sidebar.selected_id if sidebar.has_focus else None
        change = self.view.apply(rows, ids)
        if counts is not None:
            self.view.partial = counts
        self.reader.change_highlights(change.marks_removed, change.marks_added)
        sidebar.change_entries([(op.kind, op.index, entry(op.item) if op.item else None)
                                for op in change.ops])
        if self.reviewing:  # the queue drops what is now taken; its underlines follow
            self.reader.set_highlights(self.view.marks() + self.review_marks())
        self._shown(keep)

    def sync(self) -> None:
        """Show what changed in the store since the view was read, whoever changed it:
        the stamps tell which highlights (see the module docstring)."""
        if self.view_loading:  # the whole view is being read: compared once it is in
            self._resync = True
            return
        store = self.store
        try:
            version = store.data_version()
            view = self.view
            stale = view.stale(highlight_versions(store, self.briefing_id, view.speaker_ids()))
        except USER_ERRORS as error:
            self.report(error)
            return
        self._data_version = version
        self.refresh_highlights(stale)

    def _shown(self, keep: str | None) -> None:
        """After the panes changed: the selection (``keep``, else the highlight under the
        cursor), the highlight just made if it is still there, the status line."""
        if self.view.get(self._last_made) is None:
            self._last_made = None
        if self.view.get(keep) is None:
            current = self._current_in_text()
            keep = current.id if current is not None else None
        self.sidebar.select_highlight(keep)
        self.update_status()

    def _store_changed(self, change: StoreChange) -> None:
        """Someone else (the app, a worker) changed the store: show it."""
        if change.briefing_id not in (None, self.briefing_id):
            return
        if change.reimported:
            self.reopen(change.message)
        else:
            self.sync()

    def poll_store(self) -> None:
        """Show another process's commits to the database since our last look."""
        try:
            version = self.store.data_version()
        except USER_ERRORS:
            return  # a transient lock: try again at the next tick
        if version != self._data_version:
            self._message = ""  # it may name a stance or note another instance changed since
            self.sync()
        else:
            self.update_status()  # the position % also moves with mouse scrolling
        self._position_poll()
