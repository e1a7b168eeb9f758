"""Who said it: proposals of attributed statements in a briefing's reading text.

Rules, not a model (the note in the README gives the figures of both paths on the
gold set): direct quotations with a cue, reported speech, transcript turns and
anaphora ("he added", "the spokesman said"), each resolved to the speaker registry
or proposed as a new speaker with the fullest name the briefing gives::

    >>> doc = parse_text('Kremlin spokesman Dmitry Peskov spoke on Monday. '
    ...                  '"Everything is progressing well," Peskov said.')
    >>> [(p.speaker, p.role, p.kind, p.cue) for p in propose(doc, [])]
    [('Dmitry Peskov', 'Kremlin spokesman', 'direct', 'Peskov said')]

:func:`propose` reads a whole briefing (run it in a worker); :func:`propose_at` answers
for one sentence from the few blocks before it, at any briefing length.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from briefing_tui.core.attribution_names import Person, Reader
from briefing_tui.core.document import Document, parse_text
from briefing_tui.core.models import Speaker

__all__ = ["KINDS", "Attributor", "Proposal", "propose", "propose_at"]

KINDS = ("direct", "indirect", "turn", "anaphora")


@dataclass(frozen=True)
class Proposal:
    """An attributed statement: ``[start, end)`` of the reading text and who said it.

    ``speaker_id`` is the registry's id, or None for a speaker not yet in the
    registry (then ``speaker`` and ``role`` are what the briefing gives).
    """

    start: int
    end: int
    speaker: str
    role: str
    speaker_id: str | None
    cue: str
    kind: str
    confidence: float

    def as_dict(self, text: str) -> dict[str, object]:
        """The JSON Lines row: the span, its exact ``quote``, speaker and cue."""
        return {
            "start": self.start, "end": self.end, "quote": text[self.start:self.end],
            "speaker": self.speaker, "role": self.role, "speaker_id": self.speaker_id,
            "kind": self.kind, "cue": self.cue, "confidence": round(self.confidence, 2),
        }


class Attributor:
    """Proposals for one document and one registry; cheap to keep per open briefing."""

    # How far back propose_at reads for names and anaphora.
    WINDOW_BLOCKS = 8
    WINDOW_CHARS = 12_000

    def __init__(self, doc: Document, speakers: Sequence[Speaker], title: str = "") -> None:
        self.doc = doc
        self.speakers = list(speakers)
        self.title = title
        self._seeded: Reader | None = None

    def _reader(self) -> Reader:
        """A reader that knows the names of the title and the opening (learnt once)."""
        if self._seeded is None:
            reader = Reader(self.doc, self.speakers)
            reader.seed(self.title + "\n" + self.doc.text_between(0, min(self.doc.length, 3000)))
            self._seeded = reader
        return self._seeded.fresh_copy()

    def propose(self) -> list[Proposal]:
        """Every proposal of the briefing, in text order."""
        reader = self._reader()
        for block in self.doc.blocks:
            reader.block(block.start, block.end, block.kind)
        return [_proposal(p) for p in reader.out]

    def propose_batches(self, blocks: int = 200) -> Iterator[list[Proposal]]:
        """:meth:`propose` in pieces, one every ``blocks`` blocks (perhaps empty), in text
        order: a worker hands out the first proposals of a long briefing while it reads on,
        and can pause between pieces."""
        reader = self._reader()
        done = 0
        for count, block in enumerate(self.doc.blocks, 1):
            reader.block(block.start, block.end, block.kind)
            if count % blocks == 0:
                # The last one found may still grow (a turn running on): held back.
                ready = max(len(reader.out) - 1, done)
                yield [_proposal(p) for p in reader.out[done:ready]]
                done = ready
        yield [_proposal(p) for p in reader.out[done:]]

    def propose_at(self, offset: int) -> list[Proposal]:
        """The proposals overlapping the sentence at ``offset`` (or its block when
        the sentence has none), from the blocks just before it: never the whole text."""
        doc = self.doc
        here = doc.block_at(offset)
        if here is None:
            return []
        sentence = doc.sentence_at(offset) or (here.start, here.end)
        blocks = [here]
        start = here.start
        while len(blocks) < self.WINDOW_BLOCKS and offset - start < self.WINDOW_CHARS:
            prev = doc.prev_block(start)
            if prev is None:
                break
            block = doc.block_at(prev)
            if block is None or block.start >= start:
                break
            blocks.append(block)
            start = block.start
        blocks.reverse()
        reader = self._reader()
        reader.find_turn_before(start)
        for block in blocks:
            reader.block(block.start, block.end, block.kind)
        s, e = sentence
        found = [_proposal(p) for p in reader.out if p.start < e and p.end > s]
        if not found:
            found = [_proposal(p) for p in reader.out if p.start < here.end and p.end > here.start
                     and p.start <= offset <= p.end]
        return found


def _proposal(found: Person.Found) -> Proposal:
    person = found.person
    return Proposal(found.start, found.end, person.display_name, person.display_role,
                    person.speaker_id, found.cue, found.kind, found.confidence)


def propose(doc: Document, speakers: Sequence[Speaker], title: str = "") -> list[Proposal]:
    """Every attributed statement of ``doc`` with its speaker, in text order.

    >>> doc = parse_text("MR. HALE: Good afternoon.\\n\\nQUESTION: Thanks.\\n\\nMR. HALE: Sure.")
    >>> [(doc.text[p.start:p.end], p.speaker, p.kind) for p in propose(doc, [])]
    [('Good afternoon.', 'Hale', 'turn'), ('Sure.', 'Hale', 'turn')]
    """
    return Attributor(doc, speakers, title).propose()


def propose_at(doc: Document, speakers: Sequence[Speaker], offset: int,
               title: str = "") -> list[Proposal]:
    """The proposals for the sentence at ``offset`` (see :meth:`Attributor.propose_at`)."""
    return Attributor(doc, speakers, title).propose_at(offset)


def best_at(proposals: Sequence[Proposal], start: int, end: int) -> Proposal | None:
    """The proposal that best fits the span ``[start, end)``: the one overlapping it
    most, the more confident first on a tie; None when none overlaps."""
    best: tuple[int, float] | None = None
    chosen = None
    for p in proposals:
        overlap = min(end, p.end) - max(start, p.start)
        if overlap <= 0 and not (start == end and p.start <= start <= p.end):
            continue
        key = (overlap, p.confidence)
        if best is None or key > best:
            best, chosen = key, p
    return chosen


__all__ += ["best_at", "parse_text"]
