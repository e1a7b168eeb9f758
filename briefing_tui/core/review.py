"""Reviewing the attribution engine's proposals: the verbs the review queue (``a`` in the
reader) and ``briefing-tui suggest --apply`` share. Never imports textual.

- :func:`pending` / :func:`pending_proposals`: the proposals not yet decided, in text
  order: none overlapping an existing highlight, none the analyst rejected;
- :func:`accept`: a proposal becomes a highlight with its speaker (made if new): one undo
  step;
- :func:`reject`: stored (``proposal_rejections``, keyed by quote and speaker name, see
  :func:`~briefing_tui.core.store.rejection_key`), so it is not proposed again for that
  briefing, after a restart or a re-import;
- :func:`apply`: every pending proposal at or above a confidence, as highlights marked
  *unreviewed* (``Highlight.reviewed`` False) until the analyst confirms them in the app.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from briefing_tui.core.models import ANCHORED, Highlight, Speaker
from briefing_tui.core.store import rejection_key

if TYPE_CHECKING:
    from briefing_tui.core.attribution import Proposal
    from briefing_tui.core.store import Store

__all__ = ["Taken", "accept", "apply", "confirm", "is_rejected", "pending", "pending_proposals",
           "reject"]


class Taken:
    """The spans of a briefing's anchored highlights, for overlap tests in O(log n)."""

    def __init__(self, highlights: Iterable[Highlight]) -> None:
        spans = sorted((h.start, h.end) for h in highlights if h.status == ANCHORED)
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]
        self.longest = max((e - s for s, e in spans), default=0)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether a highlight overlaps ``[start, end)``."""
        low = bisect_left(self.starts, start - self.longest)
        high = bisect_left(self.starts, end)
        return any(self.ends[i] > start for i in range(low, high))


def is_rejected(proposal: Proposal, text: str, rejected: set[tuple[str, str]]) -> bool:
    """Whether the analyst rejected ``proposal`` (its quote with its speaker) before."""
    return bool(rejected) and rejection_key(
        text[proposal.start:proposal.end], proposal.speaker) in rejected


def pending(proposals: Iterable[Proposal], text: str, highlights: Iterable[Highlight] | Taken,
            rejected: set[tuple[str, str]]) -> list[Proposal]:
    """``proposals`` less those overlapping a highlight and those rejected, in order."""
    taken = highlights if isinstance(highlights, Taken) else Taken(highlights)
    speakers = {speaker for _, speaker in rejected}  # the quote is folded only for these
    return [p for p in proposals if not taken.overlaps(p.start, p.end)
            and not (rejection_key("", p.speaker)[1] in speakers
                     and is_rejected(p, text, rejected))]


def pending_proposals(store: Store, briefing_id: str) -> list[Proposal]:
    """The briefing's proposals not yet decided, in text order (reads the whole text:
    run it in a worker in an app)."""
    from briefing_tui.core.attribution import propose  # not on the start-up path

    briefing = store.get_briefing(briefing_id, with_source=False)
    doc = briefing.document
    proposals = propose(doc, store.speakers(), briefing.title)
    return pending(proposals, doc.text, store.highlights(briefing_id),
                   store.proposal_rejections(briefing_id))


def accept(store: Store, briefing_id: str, proposal: Proposal,
           speaker: Speaker | str | None = None) -> Highlight:
    """Make ``proposal`` a highlight with its speaker, or with ``speaker`` instead (a
    registry speaker, a suggested new one with its role, or a new name): one undo step.
    The highlight is reviewed: the analyst accepted it."""
    speaker_id, name, role = proposal.speaker_id, proposal.speaker, proposal.role
    if isinstance(speaker, Speaker):
        speaker_id, name, role = speaker.id or None, speaker.name, speaker.role
    elif isinstance(speaker, str):
        speaker_id, name, role = None, speaker, ""
    return store.create_attributed_highlights(
        briefing_id, [(proposal.start, proposal.end, speaker_id, name, role)])[0]


def confirm(store: Store, highlight_id: str, speaker: Speaker | str | None = None) -> Highlight:
    """Confirm an unreviewed highlight (``suggest --apply``), with ``speaker`` instead of its
    own if given: one undo step."""
    if isinstance(speaker, Speaker) and speaker.id:
        highlight = store.set_speaker(highlight_id, speaker.id)
    elif isinstance(speaker, Speaker):
        highlight = store.set_new_speaker(highlight_id, speaker.name, speaker.role)
    elif isinstance(speaker, str):
        highlight = store.set_new_speaker(highlight_id, speaker)
    else:
        return store.mark_reviewed(highlight_id)
    # The speaker it had already: nothing changed, so it is confirmed on its own.
    return highlight if highlight.reviewed else store.mark_reviewed(highlight_id)


def reject(store: Store, briefing_id: str, proposal: Proposal, text: str) -> None:
    """Never propose ``proposal`` (its quote with its speaker) again in this briefing."""
    store.reject_proposal(briefing_id, text[proposal.start:proposal.end], proposal.speaker)


def apply(store: Store, briefing_id: str, min_confidence: float = 0.0,
          proposals: Sequence[Proposal] | None = None) -> list[Highlight]:
    """Accept every pending proposal with a confidence of at least ``min_confidence`` as a
    highlight marked unreviewed; all in one write. Overlapping proposals: the first (in
    text order) wins. Returns the highlights made."""
    chosen: list[Proposal] = []
    last_end = -1
    for p in pending_proposals(store, briefing_id) if proposals is None else proposals:
        if p.confidence >= min_confidence and p.start >= last_end:
            chosen.append(p)
            last_end = p.end
    if not chosen:
        return []
    return store.create_attributed_highlights(
        briefing_id, [(p.start, p.end, p.speaker_id, p.speaker, p.role) for p in chosen],
        reviewed=False, description="apply suggestions")
