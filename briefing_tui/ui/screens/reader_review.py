"""The reader's review queue (``a``): the attribution engine's proposals for this briefing,
to accept or reject by keys. Mixed into :class:`~briefing_tui.ui.screens.reader.ReaderScreen`.

``a`` puts a :class:`~briefing_tui.ui.widgets.review_list.ReviewList` in the sidebar's
place and starts a thread worker that reads the whole text (:meth:`Attributor.
propose_batches`); the list opens at once and fills as the worker hands out proposals,
while the text stays responsive. Shown: the proposals not yet decided, in text order —
none overlapping a highlight, none rejected (:mod:`briefing_tui.core.review`, the same
verbs as ``briefing-tui suggest --apply``) — listed and underlined in the text, the
selected one in the accent colour.

``y``/``enter`` accepts the selected proposal (a highlight with its speaker, made if new:
one undo step, so the reader's ``u`` takes it back), ``n`` rejects it (stored), ``t``
accepts it with another speaker (the speaker picker), ``j``/``k`` move, ``escape`` leaves.
"""

from __future__ import annotations

import heapq
import time
from operator import itemgetter
from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from briefing_tui.core import review
from briefing_tui.core.models import Speaker
from briefing_tui.core.store import rejection_key
from briefing_tui.ui.messages import USER_ERRORS
from briefing_tui.ui.widgets.review_list import ReviewList
from briefing_tui.ui.widgets.row_painter import HighlightMark
from briefing_tui.ui.widgets.sidebar import Sidebar, SidebarEntry

if TYPE_CHECKING:
    from textual.screen import Screen

    from briefing_tui.core.attribution import Proposal
    from briefing_tui.core.document import Document
    from briefing_tui.core.models import Highlight
    from briefing_tui.core.store import Store
    from briefing_tui.ui.briefing_view import BriefingView
    from briefing_tui.ui.widgets.pickers import PickerDialog
    from briefing_tui.ui.widgets.reader_view import ReaderView

    _Base = Screen[None]
else:
    _Base = object

# The worker hands its proposals to the screen at most this often (seconds), the first ones
# at once: each hand-over costs the event loop some milliseconds (rows, underlines), which a
# key arriving meanwhile waits for. While keys come in (one in the last HAND_OVER_IDLE
# seconds), it waits for a pause in them, up to HAND_OVER_LATEST seconds.
HAND_OVER_EVERY = 1.0
HAND_OVER_IDLE = 0.5
HAND_OVER_LATEST = 5.0
# The worker reads block by block for a slice of time, then pauses: the event loop shares
# the interpreter with it and gets it back at each pause; between a key's arrival and the
# moment it is seen (on_key) the loop waits for the rest of a slice at each step. So the
# worker reads in short slices with long pauses while the analyst is pressing keys (one in
# the last KEYS_RECENT seconds), in long slices otherwise. (A block takes 0.02 ms
# typically, rarely a few ms: slices of eight blocks took 6 ms at the 99th percentile.)
SLICE_BUSY, PAUSE_BUSY = 0.0002, 0.0008
SLICE_IDLE, PAUSE_IDLE = 0.002, 0.0005
KEYS_RECENT = 1.0
# (A pause is a real sleep: a zero sleep releases the interpreter, but the worker mostly
# takes it back before the event loop wakes, which then waits for Python's switch interval,
# 5 ms.)
# After a key, the worker waits this long (seconds) before it reads on: a key, and the
# keys that follow it (a held j), have the interpreter to themselves.
KEY_HOLD = 0.15


def proposal_id(p: Proposal) -> str:
    """The queue's key of a proposal (its span and speaker)."""
    return f"{p.start}:{p.end}:{p.speaker}"


def _underline(p: Proposal) -> HighlightMark:
    return HighlightMark(proposal_id(p), p.start, p.end, None, False, "proposal")


def proposal_entry(p: Proposal, quote: str) -> SidebarEntry:
    """What the queue shows for ``p``: the quote, then speaker (role) · kind and confidence."""
    speaker = p.speaker + (f", {p.role}" if p.role else "") + ("" if p.speaker_id else " (new)")
    return SidebarEntry(highlight_id=proposal_id(p), quote=quote, speaker=speaker,
                        stance=f"{p.kind} {p.confidence:.2f}", color=None, topics=(),
                        has_note=False, note=p.cue)


class ReviewQueue(_Base):
    """The ``a`` key and the queue's ``review_*`` actions."""

    if TYPE_CHECKING:  # provided by ReaderScreen and AnnotationActions
        briefing_id: str
        _last_made: str | None
        view: BriefingView

        @property
        def store(self) -> Store: ...
        @property
        def reader(self) -> ReaderView: ...
        @property
        def sidebar(self) -> Sidebar: ...
        @property
        def document(self) -> Document: ...
        def report(self, error: BaseException) -> None: ...
        def show_message(self, message: str) -> None: ...
        def _changed(self, message: str = "") -> None: ...
        def _writable(self) -> bool: ...
        def _beside(self, dialog: PickerDialog, target: Highlight | Proposal) -> PickerDialog: ...

    _review: ReviewList | None = None
    _review_found: list[Proposal]  # every proposal the worker handed out so far
    _review_shown: dict[str, Proposal]  # the pending ones, by proposal_id
    _review_entries: list[tuple[int, SidebarEntry]]  # (start, entry) per pending proposal
    _review_underlines: list[HighlightMark]  # one per pending proposal (not the current one)
    _review_unreviewed: dict[str, str]  # queue key -> id of an unreviewed highlight shown
    _review_taken: review.Taken  # the highlights' spans, as of the last reload
    _review_rejected: set[tuple[str, str]]
    _review_round = 0  # a new scan ignores what an older worker still hands out
    _review_hold = 0.0  # the worker pauses until then (time.monotonic), see on_key
    _review_said = False  # the status line told who said the first proposal selected

    def on_key(self) -> None:
        """A key: the scanning worker pauses a moment (it shares the interpreter)."""
        self._review_hold = time.monotonic() + KEY_HOLD

    @property
    def reviewing(self) -> bool:
        """Whether the review queue is open."""
        return self._review is not None and self._review.display

    @property
    def review_focused(self) -> bool:
        """Whether the review queue has the keys."""
        return self.reviewing and self._review is not None and self._review.has_focus

    def review_focus(self) -> bool:
        """Give the keys to the review queue if it is open (tab from the text)."""
        if not self.reviewing or self._review is None:
            return False
        self._review.focus()
        return True

    # -- opening and closing ---------------------------------------------------------

    def action_review(self) -> None:
        """Open the review queue (or give it the keys again), and scan the text."""
        if self.reviewing:
            assert self._review is not None
            self._review.focus()
            return
        if not self._writable():
            return
        try:
            document = self.document
            document.text  # noqa: B018 - the worker must not read the database
            speakers = self.store.speakers()
            self._review_rejected = self.store.proposal_rejections(self.briefing_id)
        except USER_ERRORS + (ValueError,) as error:
            self.report(error)
            return
        self._review_found, self._review_shown, self._review_entries = [], {}, []
        self._review_unreviewed, self._review_underlines = {}, []
        self._review_said = False
        self._review_taken = review.Taken(self.view.highlights)
        self._review_round += 1
        if self._review is None:
            self._review = ReviewList(id="review")
            self.mount(self._review, before=self.sidebar)
        self._review.set_entries([])
        self._review.set_scanning(True)
        self._review.display = True
        self.sidebar.display = False
        self._review.focus()
        title = getattr(self, "_title", "")
        round_ = self._review_round
        self.run_worker(lambda: self._review_scan(round_, document, speakers, title),
                        thread=True, group="review", exclusive=True, exit_on_error=False)

    def _review_scan(self, round_: int, document: Document, speakers: list[Speaker],
                     title: str) -> None:
        """In a thread: the whole text's proposals, handed to the screen in pieces."""
        from briefing_tui.core.attribution import Attributor

        worker = get_current_worker()
        batch: list[Proposal] = []
        last, handed = time.monotonic(), False
        pieces = Attributor(document, speakers, title).propose_batches(1)
        sliced, slice_, pause = time.monotonic(), SLICE_IDLE, PAUSE_IDLE
        try:
            for piece in pieces:
                batch += piece
                if time.monotonic() - sliced < slice_:
                    continue
                time.sleep(pause)  # the event loop takes the interpreter here
                while time.monotonic() < self._review_hold and not worker.is_cancelled:
                    time.sleep(KEY_HOLD / 4)
                sliced = time.monotonic()
                busy = sliced - self._review_hold < KEYS_RECENT - KEY_HOLD
                slice_, pause = (SLICE_BUSY, PAUSE_BUSY) if busy else (SLICE_IDLE, PAUSE_IDLE)
                if worker.is_cancelled:
                    return
                now = time.monotonic()
                due = now - last >= HAND_OVER_EVERY and (
                    now - self._review_hold >= HAND_OVER_IDLE - KEY_HOLD
                    or now - last >= HAND_OVER_LATEST)
                if batch and (not handed or due):
                    self.app.call_from_thread(self._review_add, round_, batch, False)
                    batch, last, handed = [], time.monotonic(), True
            if not worker.is_cancelled:
                self.app.call_from_thread(self._review_add, round_, batch, True)
        except RuntimeError:  # the app closed meanwhile (call_from_thread refuses)
            return
        except Exception as error:  # noqa: BLE001 - said in the app, never a traceback
            if not worker.is_cancelled:
                self.app.call_from_thread(self.report, error)

    def _review_add(self, round_: int, batch: list[Proposal], done: bool) -> None:
        """On the event loop: more proposals from the worker."""
        if round_ != self._review_round or self._review is None:
            return
        self._review_found += batch
        text = self.document.text
        new = review.pending(batch, text, self._review_taken, self._review_rejected)
        self._review_shown.update((proposal_id(p), p) for p in new)
        self._review_entries += [(p.start, proposal_entry(p, text[p.start:p.end])) for p in new]
        self._review_underlines += [_underline(p) for p in new]
        if done:
            self._review.set_scanning(False)
        if new or done:
            self._review_show()

    def action_review_leave(self) -> None:
        """Close the queue: the sidebar comes back, the underlines go."""
        if self._review is None:
            return
        self._review_round += 1  # what the worker still hands out is dropped
        self.workers.cancel_group(self, "review")
        self._review.display = False
        self._review_found, self._review_shown, self._review_entries = [], {}, []
        self._review_underlines = []
        self.sidebar.display = True
        self.reader.focus()
        self.reader.set_highlights(self.view.marks())

    # -- what is shown ---------------------------------------------------------------

    def review_marks(self) -> list[HighlightMark]:
        """The underlines of the pending proposals (none while the queue is closed);
        refreshes the queue's list against the highlights and rejections as they are now."""
        if not self.reviewing:
            return []
        return self._review_refresh(set_marks=False)

    def _review_refresh(self, *, set_marks: bool = True) -> list[HighlightMark]:
        """Everything found so far, filtered again (after a change to the highlights)."""
        text = self.document.text
        self._review_taken = review.Taken(self.view.highlights)
        shown = review.pending(self._review_found, text, self._review_taken,
                               self._review_rejected)
        self._review_shown = {proposal_id(p): p for p in shown}
        self._review_entries = [(p.start, proposal_entry(p, text[p.start:p.end]))
                                for p in shown]
        self._review_underlines = [_underline(p) for p in shown]
        return self._review_show(set_marks=set_marks)

    def _review_show(self, *, set_marks: bool = True) -> list[HighlightMark]:
        """Put the pending proposals in the list and (``set_marks``) the text."""
        review_list = self._review
        assert review_list is not None
        entries = self._review_entries
        unreviewed = self._review_highlights()
        if unreviewed:  # suggest --apply's highlights, to confirm: in text order with the rest
            entries = list(heapq.merge(entries, unreviewed, key=itemgetter(0)))
        shown = [self._review_shown[entry.highlight_id] for _, entry in entries]
        before = review_list.selected_id
        review_list.set_entries([entry for _, entry in entries])
        if review_list.selected_id is None and shown:
            # The first proposal from the cursor on (the first of all once all are in).
            cursor = self.reader.cursor
            first = next((p for p in shown if p.end > cursor), None)
            if first is not None or not review_list.scanning:
                review_list.select_highlight(proposal_id(first or shown[0]))
        now = review_list.selected_id
        if now is not None and now != before:  # the text shows the proposal selected
            # Said once the queue opens; after an accept (or u) the status line keeps what
            # was done.
            self._review_follow(self._review_shown[now], say=not self._review_said)
            self._review_said = True
        marks = self._review_marks()
        if set_marks:
            self.reader.set_highlights(self.view.marks() + marks)
        return marks

    def _review_highlights(self) -> list[tuple[int, SidebarEntry]]:
        """The unreviewed highlights (``suggest --apply``), as queue items to confirm."""
        from briefing_tui.core.attribution import Proposal  # off the start-up path

        for key in self._review_unreviewed:
            self._review_shown.pop(key, None)
        self._review_unreviewed = {}
        out = []
        for item in self.view.items[:len(self.view.anchored)]:
            h, speaker = item.highlight, item.speaker
            if h.reviewed:
                continue
            key = f"h:{h.id}"
            self._review_unreviewed[key] = h.id
            self._review_shown[key] = Proposal(
                h.start, h.end, speaker.name if speaker else "", speaker.role if speaker else "",
                h.speaker_id, "made by suggest --apply", "unreviewed", 1.0)
            out.append((h.start, SidebarEntry(
                highlight_id=key, quote=h.exact, speaker=speaker.name if speaker else "",
                stance="to confirm", color=None, topics=(), has_note=False,
                unreviewed=True)))
        return out

    def _review_marks(self) -> list[HighlightMark]:
        """The proposals' underlines, and the selected item's accent over its own."""
        current = self._review_current()
        if current is None:
            return self._review_underlines
        return [*self._review_underlines, HighlightMark(
            self._review_key(), current.start, current.end, None, False, "current")]

    def _review_key(self) -> str:
        """The queue key of the selected item ("" when none)."""
        if self._review is None or not self.reviewing:
            return ""
        return self._review.selected_id or ""

    def _review_current(self) -> Proposal | None:
        return self._review_shown.get(self._review_key())

    # A handler by name, not @on: the decorator is only read from a Textual class's own
    # namespace, and this mixin is a plain class.
    def on_sidebar_highlighted(self, event: Sidebar.Highlighted) -> None:
        """j/k in the queue: the text shows the proposal, underlined in the accent."""
        if event.sidebar is not self._review:
            return
        proposal = self._review_shown.get(event.highlight_id)
        if proposal is None:
            return
        self._review_follow(proposal)
        self.reader.set_highlights(self.view.marks() + self._review_marks())

    def _review_follow(self, proposal: Proposal, *, say: bool = True) -> None:
        """The text shows the selected proposal; the status line says who and why (the
        list's rows are narrow)."""
        self.reader.move_cursor(proposal.start, center="if_hidden")
        if not say:
            return
        who = proposal.speaker + (f", {proposal.role}" if proposal.role else "")
        how = (f"{proposal.kind} {proposal.confidence:.2f}: “{proposal.cue}”"
               if proposal.kind != "unreviewed" else "made by suggest --apply: y confirms")
        self.show_message(f"{who} · {how}")

    # -- deciding ----------------------------------------------------------------------

    def _review_target(self) -> Proposal | None:
        if not self._writable():
            return None
        proposal = self._review_current()
        if proposal is None:
            self.app.notify("No proposal selected" + (
                " yet: the text is still being read" if self._review and self._review.scanning
                else ""), severity="warning")
        return proposal

    def action_review_accept(self, speaker: Speaker | str | None = None) -> None:
        """Accept the selected proposal (with ``speaker`` instead of its own, if given)."""
        proposal = self._review_target()
        if proposal is None:
            return
        try:
            hid = self._review_unreviewed.get(self._review_key())
            if hid is not None:  # an unreviewed highlight: confirmed (with that speaker)
                highlight = review.confirm(self.store, hid, speaker)
            else:
                highlight = review.accept(self.store, self.briefing_id, proposal, speaker)
            name = self.store.speaker(highlight.speaker_id or "").name
        except USER_ERRORS as error:
            self.report(error)
            return
        self._last_made = highlight.id
        self._changed(f"accepted: {name} (u undoes)")

    def action_review_reject(self) -> None:
        """Reject the selected proposal: it is not proposed again for this briefing."""
        proposal = self._review_target()
        if proposal is None:
            return
        try:
            hid = self._review_unreviewed.get(self._review_key())
            if hid is not None:  # an unreviewed highlight: deleted (u brings it back)
                self.store.delete_highlight(hid)
            review.reject(self.store, self.briefing_id, proposal, self.document.text)
        except USER_ERRORS as error:
            self.report(error)
            return
        self._review_rejected = self._review_rejected | {rejection_key(
            self.document.text[proposal.start:proposal.end], proposal.speaker)}
        self._changed(f"rejected: {proposal.speaker}")

    def action_review_other_speaker(self) -> None:
        """Accept the selected proposal with a speaker picked in the speaker picker."""
        proposal = self._review_target()
        if proposal is None:
            return

        try:
            speakers = self.store.speakers()
        except USER_ERRORS as error:
            self.report(error)
            return

        def picked(result: Speaker | str | None) -> None:
            if result is not None:
                self.action_review_accept(result)

        from briefing_tui.ui.widgets.pickers import SpeakerPicker

        self.app.push_screen(
            self._beside(SpeakerPicker(speakers, suggestion=proposal), proposal), picked)
