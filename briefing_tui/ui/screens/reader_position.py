"""The reader screen's reading position: a briefing reopens where the analyst left it.
Mixed into :class:`~briefing_tui.ui.screens.reader.ReaderScreen`.

The cursor is stored per briefing (``Store.save_reading_position``) once it rests
(unmoved for a whole poll interval, not on every move: another instance reloads on
each commit it sees), when another screen covers the reader, and when it closes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefing_tui.ui.messages import USER_ERRORS

if TYPE_CHECKING:
    from textual.screen import Screen

    from briefing_tui.core.store import Store
    from briefing_tui.ui.widgets.reader_view import ReaderView

    _Base = Screen[None]
else:
    _Base = object


class ReadingPosition(_Base):
    """Restore the cursor on mount; store it when it rests and when the reader is left."""

    if TYPE_CHECKING:  # provided by ReaderScreen
        briefing_id: str
        store: Store
        _text_pane: ReaderView

        @property
        def reader(self) -> ReaderView: ...

    open_at: int | None = None  # where to open instead of the stored position (a search hit)
    _saved_offset = 0  # the reading position as stored (see save_position)
    _polled_offset = 0  # the cursor at the last poll: it rests when unchanged

    def on_screen_suspend(self) -> None:
        """Another screen covers this one (or it is being left): keep the position."""
        self.save_position()

    def on_unmount(self) -> None:
        """The reader closes (back to the library, or the app quits): keep the position."""
        self.save_position()

    def _restore_position(self) -> None:
        """Put the cursor where the analyst left this briefing, or at ``open_at`` when
        given (clamped to the text)."""
        try:
            stored = self.store.reading_position(self.briefing_id)
        except USER_ERRORS:
            stored = 0
        offset = stored if self.open_at is None else self.open_at
        if offset > 0:
            self.reader.show_at(offset)
        self._polled_offset = self.reader.cursor
        # Opened at a search hit: that place is not stored yet, so leaving stores it.
        self._saved_offset = self.reader.cursor if self.open_at is None else stored

    def _position_poll(self) -> None:
        """At each poll: store the position once the cursor has rested a whole interval."""
        cursor = self.reader.cursor
        if cursor == self._polled_offset:
            self.save_position()
        self._polled_offset = cursor

    def save_position(self) -> None:
        """Store the cursor as this briefing's reading position, if it moved since it was
        last stored. Never blocks for long and never complains: a read-only or locked
        database keeps the old position (a later poll, or leaving, tries again)."""
        # Kept, not queried: the screen may be unmounting, its children already gone.
        pane = getattr(self, "_text_pane", None)
        if pane is None:  # never composed
            return
        offset = pane.cursor
        if offset == self._saved_offset or getattr(self.store, "readonly", False):
            return
        try:
            self.store.save_reading_position(self.briefing_id, offset)
        except USER_ERRORS:
            return
        self._saved_offset = offset
