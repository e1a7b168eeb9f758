"""The review queue (`a` in the reader, issue 12.3): proposals listed and underlined, y
accepts (one undo step), n rejects (stored), t accepts with another speaker, j/k move,
escape leaves; hostile text shows no control character."""

from __future__ import annotations

import hashlib
from pathlib import Path

from briefing_tui.core.document import parse_text
from briefing_tui.core.importer import import_paths
from briefing_tui.core.store import Store
from briefing_tui.ui.screens.reader import ReaderScreen
from briefing_tui.ui.widgets.pickers import SpeakerPicker
from briefing_tui.ui.widgets.review_list import ReviewList
from tests.hostile import UNSAFE
from tests.ui.conftest import type_text
from tests.ui.test_hostile_render import assert_inert

SIZE = (120, 34)
WIRE = (
    "Talks in the capital\n\n"
    "Kremlin spokesman Dmitry Peskov spoke to reporters on Monday. "
    '"Everything is progressing well," Peskov said.\n\n'
    "Foreign Minister Sergei Lavrov said that no deal was near.\n\n"
    "Peskov also said that the next round would come in spring.\n"
)
QUOTE = '"Everything is progressing well," Peskov said'
LAVROV = "Foreign Minister Sergei Lavrov said that no deal was near."
SPRING = "Peskov also said that the next round would come in spring."


def _import(store: Store, tmp_path: Path, text: str = WIRE) -> str:
    path = tmp_path / "wire.txt"
    path.write_text(text, encoding="utf-8")
    [result] = import_paths(store, [path])
    return result.briefing_id


async def _open_queue(pilot, count: int) -> tuple[ReaderScreen, ReviewList]:  # type: ignore[no-untyped-def]
    screen = pilot.app.screen
    assert isinstance(screen, ReaderScreen)
    screen.reader.focus()
    await pilot.press("a")
    for _ in range(100):  # the worker fills the queue
        await pilot.pause(0.02)
        queue = screen.query_one("#review", ReviewList)
        if not queue.scanning and len(queue.entries) >= count:
            break
    queue = screen.query_one("#review", ReviewList)
    assert queue.has_focus and queue.display and not screen.sidebar.display
    return screen, queue


def _made(store: Store, bid: str) -> list[tuple[str, str | None, bool]]:
    return [(h.exact, store.speaker(h.speaker_id).name if h.speaker_id else None,
             bool(h.reviewed)) for h in store.highlights(bid)]


async def test_a_opens_the_queue_listing_and_underlining_the_proposals(
        make_app, store: Store, tmp_path: Path) -> None:
    bid = _import(store, tmp_path)
    async with make_app(bid).run_test(size=SIZE) as pilot:
        screen, queue = await _open_queue(pilot, 3)
        assert [e.quote for e in queue.entries] == [QUOTE, LAVROV, SPRING]
        assert queue.entries[0].speaker == "Dmitry Peskov, Kremlin spokesman (new)"
        assert queue.selected_index == 0
        kinds = {(m.start, m.kind) for m in screen.reader._marks.marks}
        starts = [WIRE.index(q) for q in (QUOTE, LAVROV, SPRING)]
        # Every proposal underlined; the selected one in the accent over its underline.
        underlines = {(start, "proposal") for start in starts}
        assert kinds == underlines | {(starts[0], "current")}
        await pilot.press("j")
        await pilot.pause()
        assert queue.selected_index == 1 and screen.reader.cursor == starts[1]
        assert {(m.start, m.kind) for m in screen.reader._marks.marks} == underlines | {
            (starts[1], "current")}
        await pilot.press("k")
        await pilot.pause()
        assert queue.selected_index == 0
        await pilot.press("tab")  # tab goes to the text and back to the queue
        assert screen.reader.has_focus
        await pilot.press("tab")
        assert queue.has_focus
        await pilot.press("escape")  # leaves: the sidebar is back, the underlines gone
        await pilot.pause()
        assert not queue.display and screen.sidebar.display and screen.reader.has_focus
        assert screen.reader._marks.marks == []
        assert pilot.app.screen is screen  # escape left the queue, not the reader


async def test_y_y_n_then_u(make_app, store: Store, tmp_path: Path) -> None:
    bid = _import(store, tmp_path)
    async with make_app(bid).run_test(size=SIZE) as pilot:
        _, queue = await _open_queue(pilot, 3)
        await pilot.press("y")
        await pilot.pause()
        assert _made(store, bid) == [(QUOTE, "Dmitry Peskov", True)]
        assert [e.quote for e in queue.entries] == [LAVROV, SPRING]
        assert queue.selected_index == 0  # the next one
        await pilot.press("enter")  # enter accepts too
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert _made(store, bid) == [(QUOTE, "Dmitry Peskov", True),
                                     (LAVROV, "Sergei Lavrov", True)]
        assert store.conn.execute(
            "SELECT quote, speaker FROM proposal_rejections WHERE briefing_id = ?",
            (bid,)).fetchall() == [(SPRING, "Dmitry Peskov")]
        assert queue.entries == [] and not queue.scanning
        speakers = {s.name: s for s in store.speakers()}
        assert speakers["Sergei Lavrov"].role == "Foreign Minister"
        await pilot.press("u")  # undoes the last accept, not the rejection
        await pilot.pause()
        assert _made(store, bid) == [(QUOTE, "Dmitry Peskov", True)]
        assert "Sergei Lavrov" not in {s.name for s in store.speakers()}
        assert [e.quote for e in queue.entries] == [LAVROV]  # proposed again
    # The rejection holds after a restart: the queue does not offer it again.
    async with make_app(bid).run_test(size=SIZE) as pilot:
        _, queue = await _open_queue(pilot, 1)
        assert [e.quote for e in queue.entries] == [LAVROV]


async def test_t_accepts_with_another_speaker(make_app, store: Store, tmp_path: Path) -> None:
    bid = _import(store, tmp_path)
    async with make_app(bid).run_test(size=SIZE) as pilot:
        await _open_queue(pilot, 3)
        await pilot.press("j")
        await pilot.press("t")
        await pilot.pause()
        picker = pilot.app.screen
        assert isinstance(picker, SpeakerPicker)
        assert picker.rows[0].kind == "suggested"  # its own speaker first
        await type_text(pilot, "Maria Zakharova")
        await pilot.press("enter")
        await pilot.pause()
        assert _made(store, bid) == [(LAVROV, "Maria Zakharova", True)]


async def test_an_edit_in_the_reader_confirms_an_unreviewed_highlight(
        make_app, store: Store, tmp_path: Path) -> None:
    from briefing_tui.core import review

    bid = _import(store, tmp_path)
    review.apply(store, bid)  # all three made, unreviewed
    async with make_app(bid).run_test(size=SIZE) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, ReaderScreen)
        assert [e.unreviewed for e in screen.sidebar.entries] == [True, True, True]
        _, queue = await _open_queue(pilot, 3)
        assert [e.highlight_id[:2] for e in queue.entries] == ["h:"] * 3  # to confirm
        await pilot.press("escape")
        screen.reader.move_cursor(WIRE.index(LAVROV) + 3)
        await pilot.press("1")  # a stance: the analyst has looked at it
        await pilot.pause()
        assert [bool(h.reviewed) for h in store.highlights(bid)] == [False, True, False]
        assert [e.unreviewed for e in screen.sidebar.entries] == [True, False, True]


async def test_hostile_speaker_and_quote_render_with_no_control(
        make_app, store: Store, tmp_path: Path) -> None:
    text = ("Hostile\n\nMR. HALE: Good \x1b]0;PWNED\x07 after\x9b2Jnoon \u202eevil.\n\n"
            "QUESTION: Why?\n\nMR. HALE: Because \x1b[2J.\n")
    info = store.add_briefing(title="Hostile", source="", published="", url="",
                              path=str(tmp_path / "h.txt"), fmt="text", source_text=text,
                              document=parse_text(text),
                              content_hash=hashlib.sha256(text.encode()).hexdigest())
    store.create_speaker("Daniel \x1b[31mHale\u202e\x07", "spokes\x9bman", aliases=["Hale"])
    async with make_app(info.id).run_test(size=SIZE) as pilot:
        _, queue = await _open_queue(pilot, 2)
        assert len(queue.entries) == 2
        await pilot.pause()
        lines = [queue.render_line(y).text for y in range(6)]
        assert "Hale" in "".join(lines) and "Good" in "".join(lines)
        assert all(UNSAFE.search(line) is None for line in lines), lines
        assert_inert(pilot.app, shown=("Daniel", "Because"))  # the queue and the text
        await pilot.press("y")  # accepted with the hostile registry speaker
        await pilot.pause()
        assert_inert(pilot.app, shown=("Accept",))
        await pilot.press("escape")
        await pilot.pause()
        assert_inert(pilot.app, shown=("Daniel",))  # the sidebar's entry


async def test_a_key_pauses_the_worker(make_app, store: Store, tmp_path: Path) -> None:
    import time

    from briefing_tui.ui.screens import reader_review

    bid = _import(store, tmp_path)
    async with make_app(bid).run_test(size=SIZE) as pilot:
        screen, _ = await _open_queue(pilot, 3)
        screen.reader.focus()
        before = time.monotonic()
        await pilot.press("j")  # a key in the text while the queue is open
        assert before < screen._review_hold <= time.monotonic() + reader_review.KEY_HOLD


async def test_the_queue_lists_unreviewed_highlights_to_confirm(
        make_app, store: Store, tmp_path: Path) -> None:
    from briefing_tui.core import review

    bid = _import(store, tmp_path)
    proposals = review.pending_proposals(store, bid)
    review.apply(store, bid, proposals=proposals[:2])  # two unreviewed, one still proposed
    async with make_app(bid).run_test(size=SIZE) as pilot:
        _, queue = await _open_queue(pilot, 3)
        assert [(e.quote, e.unreviewed) for e in queue.entries] == [
            (QUOTE, True), (LAVROV, True), (SPRING, False)]
        queue.select_highlight(queue.entries[0].highlight_id)
        await pilot.press("y")  # confirms the first
        await pilot.pause()
        assert _made(store, bid) == [(QUOTE, "Dmitry Peskov", True),
                                     (LAVROV, "Sergei Lavrov", False)]
        assert [e.quote for e in queue.entries] == [LAVROV, SPRING]
        await pilot.press("n")  # deletes the second and stores the rejection
        await pilot.pause()
        assert _made(store, bid) == [(QUOTE, "Dmitry Peskov", True)]
        assert store.proposal_rejections(bid) == {(LAVROV.casefold(), "sergei lavrov")}
        assert [e.quote for e in queue.entries] == [SPRING]
        await pilot.press("u")  # the delete comes back, unreviewed
        await pilot.pause()
        assert _made(store, bid)[1] == (LAVROV, "Sergei Lavrov", False)


async def test_on_a_narrow_terminal_the_text_keeps_more_than_half(
        make_app, store: Store, tmp_path: Path) -> None:
    bid = _import(store, tmp_path)
    async with make_app(bid).run_test(size=(44, 20)) as pilot:
        screen, queue = await _open_queue(pilot, 3)
        assert queue.size.width < screen.reader.size.width
        assert queue.size.width >= 16
