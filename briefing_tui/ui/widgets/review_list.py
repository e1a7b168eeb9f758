"""The review queue's list: the attribution engine's pending proposals, in text order.

A :class:`~briefing_tui.ui.widgets.sidebar.Sidebar` (the same virtual list, two rows per
entry, hostile text made safe) that takes the sidebar's place while the analyst reviews::

    ▌ "Everything is progressing well," Peskov said
    ▌ Dmitry Peskov (new) · direct 0.90

Its keys call the reader screen's review actions (see
:mod:`briefing_tui.ui.screens.reader_review`).

| Key(s) | id | Description |
| :- | :- | :- |
| y, enter | `review.accept` | Accept: the statement becomes a highlight with that speaker. |
| n | `review.reject` | Reject: never proposed again for this briefing. |
| t | `review.other_speaker` | Accept with another speaker (the speaker picker). |
| j, k | `sidebar.down`, `sidebar.up` | Next, previous proposal. |
| escape | `review.leave` | Leave the review queue (the sidebar comes back). |
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from briefing_tui.ui.widgets.sidebar import Sidebar

__all__ = ["ReviewList"]

SCANNING_TEXT = "Finding proposals… (y accepts, n rejects, escape leaves)"
DONE_TEXT = "No proposals left to review — escape goes back to the highlights"


class ReviewList(Sidebar):
    """Pending proposals; ``scanning`` while the worker is still reading the text."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "screen.review_accept", "Accept", id="review.accept"),
        # Shown as y: the footer would show the enter inherited from the sidebar first.
        Binding("enter", "screen.review_accept", "Accept", id="review.accept", show=False),
        Binding("n", "screen.review_reject", "Reject", id="review.reject"),
        Binding("t", "screen.review_other_speaker", "Other speaker",
                id="review.other_speaker"),
        Binding("escape", "screen.review_leave", "Leave", id="review.leave"),
        # The list's filter stays (help lists it with the sidebar's keys), off the footer.
        Binding("f", "filter", "Filter", id="sidebar.filter", show=False),
    ]

    # Not scoped: the narrow reader's rule names the screen's class.
    SCOPED_CSS = False
    DEFAULT_CSS = """
    ReviewList {
        split: right;
        width: 30%;
        min-width: 24;
        height: 1fr;
    }
    .-narrow ReviewList {
        width: 45%;
        min-width: 16;
    }
    """

    scanning = True

    @property
    def empty_text(self) -> str:  # type: ignore[override]
        """What the empty queue says: still looking, or nothing left."""
        return SCANNING_TEXT if self.scanning else DONE_TEXT

    def set_scanning(self, scanning: bool) -> None:
        """The worker finished (or started again): the empty text changes."""
        self.scanning = scanning
        self.refresh()
