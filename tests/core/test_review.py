"""core.review: pending proposals, accept, reject (stored, re-found after re-open and
re-import), apply (unreviewed highlights, min confidence), and what an edit confirms."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing_tui.core import review
from briefing_tui.core.attribution import Proposal
from briefing_tui.core.importer import import_paths
from briefing_tui.core.store import Store

WIRE = (
    "Talks in the capital\n\n"
    "Kremlin spokesman Dmitry Peskov spoke to reporters on Monday. "
    '"Everything is progressing well," Peskov said.\n\n'
    "Foreign Minister Sergei Lavrov said that no deal was near.\n\n"
    "Peskov also said that the next round would come in spring.\n"
)


@pytest.fixture()
def wire(tmp_path: Path) -> tuple[Store, str, Path]:
    path = tmp_path / "wire.txt"
    path.write_text(WIRE, encoding="utf-8")
    store = Store(tmp_path / "b.db")
    [result] = import_paths(store, [path])
    yield store, result.briefing_id, path
    store.close()


def quotes(store: Store, bid: str) -> list[tuple[str, str]]:
    text = store.get_briefing(bid).document.text
    return [(text[p.start:p.end], p.speaker) for p in review.pending_proposals(store, bid)]


def test_pending_lists_the_proposals_in_text_order(wire: tuple[Store, str, Path]) -> None:
    store, bid, _ = wire
    found = quotes(store, bid)
    assert [speaker for _, speaker in found] == ["Dmitry Peskov", "Sergei Lavrov",
                                                 "Dmitry Peskov"]
    assert "Everything is progressing well" in found[0][0]


def test_accept_makes_one_undoable_highlight_with_a_new_speaker(
        wire: tuple[Store, str, Path]) -> None:
    store, bid, _ = wire
    first = review.pending_proposals(store, bid)[0]
    made = review.accept(store, bid, first)
    assert (made.start, made.end, made.reviewed) == (first.start, first.end, True)
    speaker = store.speaker(made.speaker_id or "")
    assert (speaker.name, speaker.role) == ("Dmitry Peskov", "Kremlin spokesman")
    # The accepted proposal (and nothing overlapping it) is no longer pending.
    assert [s for _, s in quotes(store, bid)] == ["Sergei Lavrov", "Dmitry Peskov"]
    assert store.undo(bid) == "accept suggestion"  # one step: the highlight and the speaker
    assert store.highlights(bid) == [] and store.speakers() == []
    assert len(quotes(store, bid)) == 3


def test_accept_with_another_speaker(wire: tuple[Store, str, Path]) -> None:
    store, bid, _ = wire
    lavrov = review.pending_proposals(store, bid)[1]
    made = review.accept(store, bid, lavrov, "Maria Zakharova")
    assert store.speaker(made.speaker_id or "").name == "Maria Zakharova"
    other = store.create_speaker("Yuri Ushakov", "aide")
    made = review.accept(store, bid, review.pending_proposals(store, bid)[0], other)
    assert made.speaker_id == other.id


def test_overlapping_highlights_hide_proposals(wire: tuple[Store, str, Path]) -> None:
    store, bid, _ = wire
    lavrov = WIRE.index("Lavrov said")
    store.create_highlight(bid, lavrov, lavrov + 6)  # a few words inside the statement
    assert [s for _, s in quotes(store, bid)] == ["Dmitry Peskov", "Dmitry Peskov"]


def test_taken_overlap_is_exact_at_the_edges() -> None:
    from briefing_tui.core.models import Highlight

    taken = review.Taken([Highlight("h", "b", 10, 20, "", "", ""),
                          Highlight("long", "b", 100, 400, "", "", "")])
    assert not taken.overlaps(0, 10) and not taken.overlaps(20, 30)
    assert taken.overlaps(19, 21) and taken.overlaps(5, 11) and taken.overlaps(399, 500)
    assert not taken.overlaps(400, 500) and not taken.overlaps(30, 100)


def test_a_rejection_survives_reopening_the_database(wire: tuple[Store, str, Path],
                                                     tmp_path: Path) -> None:
    store, bid, _ = wire
    lavrov = review.pending_proposals(store, bid)[1]
    review.reject(store, bid, lavrov, store.get_briefing(bid).document.text)
    store.close()
    with Store(tmp_path / "b.db") as again:
        assert [s for _, s in quotes(again, bid)] == ["Dmitry Peskov", "Dmitry Peskov"]
        row = again.conn.execute(
            "SELECT id, briefing_id, quote, speaker, created_at FROM proposal_rejections"
        ).fetchone()
        assert len(row[0]) == 36 and row[1] == bid
        assert row[2] == "Foreign Minister Sergei Lavrov said that no deal was near."
        assert row[3] == "Sergei Lavrov" and row[4]


def test_a_rejection_survives_a_reimport_that_moves_the_text(
        wire: tuple[Store, str, Path]) -> None:
    store, bid, path = wire
    lavrov = review.pending_proposals(store, bid)[1]
    review.reject(store, bid, lavrov, WIRE)
    path.write_text(WIRE.replace("Talks in the capital\n\n",
                                 "Talks in the capital\n\nAn opening paragraph.\n\n"),
                    encoding="utf-8")
    [result] = import_paths(store, [path])
    assert result.briefing_id == bid
    assert [s for _, s in quotes(store, bid)] == ["Dmitry Peskov", "Dmitry Peskov"]


def test_a_rejection_is_of_that_speaker_only(wire: tuple[Store, str, Path]) -> None:
    store, bid, _ = wire
    text = store.get_briefing(bid).document.text
    lavrov = review.pending_proposals(store, bid)[1]
    review.reject(store, bid, lavrov, text)
    other = Proposal(lavrov.start, lavrov.end, "Somebody Else", "", None, "said", "indirect", 0.9)
    rejected = store.proposal_rejections(bid)
    assert review.is_rejected(lavrov, text, rejected)
    assert not review.is_rejected(other, text, rejected)
    review.reject(store, bid, lavrov, text)  # twice: one row
    assert store.conn.execute("SELECT COUNT(*) FROM proposal_rejections").fetchone()[0] == 1


def test_apply_marks_highlights_unreviewed_and_skips_decided_ones(
        wire: tuple[Store, str, Path]) -> None:
    store, bid, _ = wire
    text = store.get_briefing(bid).document.text
    first, lavrov, _ = review.pending_proposals(store, bid)
    review.accept(store, bid, first)
    review.reject(store, bid, lavrov, text)
    made = review.apply(store, bid)
    assert len(made) == 1 and not made[0].reviewed
    assert made[0].exact == "Peskov also said that the next round would come in spring."
    stored = {h.id: h for h in store.highlights(bid)}
    assert [bool(h.reviewed) for h in sorted(stored.values(), key=lambda h: h.start)] == [
        True, False]
    assert review.apply(store, bid) == []  # nothing left to apply


def test_apply_respects_the_minimum_confidence(wire: tuple[Store, str, Path]) -> None:
    store, bid, _ = wire
    proposals = review.pending_proposals(store, bid)
    bar = max(p.confidence for p in proposals)
    low = [p for p in proposals if p.confidence < bar]
    assert low, "the fixture needs proposals of two confidences"
    made = review.apply(store, bid, bar)
    assert {(h.start, h.end) for h in made} == {
        (p.start, p.end) for p in proposals if p.confidence >= bar}
    assert review.apply(store, bid, 1.01) == []


def test_apply_takes_the_first_of_overlapping_proposals(wire: tuple[Store, str, Path]) -> None:
    store, bid, _ = wire
    a = Proposal(0, 10, "A Person", "", None, "said", "indirect", 0.9)
    b = Proposal(5, 15, "B Person", "", None, "said", "indirect", 0.9)
    made = review.apply(store, bid, 0.5, [a, b])
    assert [(h.start, h.end) for h in made] == [(0, 10)]


def test_an_edit_confirms_an_unreviewed_highlight(wire: tuple[Store, str, Path]) -> None:
    store, bid, _ = wire
    made = review.apply(store, bid)
    assert all(not h.reviewed for h in made)
    stance = store.stance_by_key(1)
    assert stance is not None
    assert store.set_stance(made[0].id, stance.id).reviewed
    assert store.set_note(made[1].id, "checked").reviewed
    assert store.mark_reviewed(made[2].id).reviewed
    assert store.undo(bid) == "confirm suggestion"
    assert not store.highlight(made[2].id).reviewed


def test_propose_batches_add_up_to_propose() -> None:
    from briefing_tui.core.attribution import Attributor
    from briefing_tui.core.document import parse_text

    text = ("Ministry Press Briefing\n\nDaniel Hale, Ministry Spokesperson\n\n"
            + "MR. HALE: Good afternoon.\n\nIt is a long turn.\n\nQUESTION: Why?\n\n" * 7
            + WIRE)
    attributor = Attributor(parse_text(text), [])
    whole = attributor.propose()
    for blocks in (1, 2, 3, 50):
        pieces = list(attributor.propose_batches(blocks))
        assert [p for piece in pieces for p in piece] == whole, blocks
    assert len(list(attributor.propose_batches(1))) > len(whole)  # empty pieces too
