"""The read side (core/queries.py): annotated highlights by any filter, in a bounded
number of SQL statements whatever the number of briefings or highlights."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from briefing_tui.core import export, queries
from briefing_tui.core.document import parse_text
from briefing_tui.core.models import ORPHANED
from briefing_tui.core.queries import AnnotatedHighlight, HighlightQuery, annotated_highlights
from briefing_tui.core.store import Store, StoreError

TEXT = (
    "Talks stall in the capital\n\n"
    "The deputy minister called the round \"useful but slow\" and said no deal was near. "
    "Officials in the delegation expect nothing before spring.\n\n"
    "A spokesman repeated that the talks were useful but slow.\n"
)


def add(store: Store, title: str, published: str = "2025-03-20") -> str:
    return store.add_briefing(title=title, source="Our Wire", published=published, url="",
                              path="", fmt="text", source_text=TEXT,
                              document=parse_text(TEXT),
                              content_hash=title).id


def span(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    db = Store(tmp_path / "q.db")
    yield db
    db.close()


def annotate(store: Store, briefing_id: str, n: int) -> None:
    """Three highlights: a speaker + stance + topics, a stance, and a bare one."""
    peskov = store.create_speaker("Dmitry Peskov", role="spokesman")
    opposes = store.stance_by_key(2)
    supports = store.stance_by_key(1)
    assert opposes is not None and supports is not None
    first = store.create_highlight(briefing_id, *span("useful but slow"))
    store.set_speaker(first.id, peskov.id)
    store.set_stance(first.id, opposes.id)
    store.set_topics(first.id, ["talks", f"round-{n % 3}"])
    second = store.create_highlight(briefing_id, *span("expect nothing"))
    store.set_stance(second.id, supports.id)
    store.create_highlight(briefing_id, *span("spokesman repeated"))


def fill(store: Store, count: int) -> list[str]:
    ids = []
    for n in range(count):
        bid = add(store, f"Briefing {n:03d}", published=f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}")
        annotate(store, bid, n)
        ids.append(bid)
    return ids


def statements(store: Store, call: Callable[[], object]) -> int:
    """How many SQL statements ``call`` runs on the store's connection."""
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    try:
        call()
    finally:
        store.conn.set_trace_callback(None)
    return len(seen)


# ------------------------------------------------------------------ the shape


def test_a_highlight_comes_with_its_briefing_speaker_stance_topics_and_paragraph(
        store: Store) -> None:
    bid = add(store, "Talks stall")
    annotate(store, bid, 1)
    rows = annotated_highlights(store, HighlightQuery(briefing_ids=[bid], paragraphs=True))
    assert [r.highlight.exact for r in rows] == [
        "useful but slow", "expect nothing", "spokesman repeated"]
    first = rows[0]
    assert isinstance(first, AnnotatedHighlight)
    assert (first.briefing.id, first.briefing.title, first.briefing.published) == (
        bid, "Talks stall", "2025-03-20")
    assert first.speaker is not None and first.speaker.name == "Dmitry Peskov"
    assert first.speaker.role == "spokesman"
    assert first.stance is not None and first.stance.name == "opposes"
    assert first.topics == ("round-1", "talks")
    assert [r.paragraph for r in rows] == [2, 2, 3]
    assert rows[2].speaker is None and rows[2].stance is None and rows[2].topics == ()
    # Without paragraphs asked for, none are computed.
    assert all(r.paragraph is None for r in annotated_highlights(store))


def test_filters_order_and_paging(store: Store) -> None:
    ids = fill(store, 5)
    peskov = store.find_speaker("Dmitry Peskov")
    opposes = store.stance_by_key(2)
    assert peskov is not None and opposes is not None

    def exacts(**kw: object) -> list[tuple[str, str]]:
        rows = annotated_highlights(store, HighlightQuery(**kw))  # type: ignore[arg-type]
        return [(r.briefing.title, r.highlight.exact) for r in rows]

    assert len(exacts()) == 15
    assert exacts(speaker_id=peskov.id) == [(f"Briefing {n:03d}", "useful but slow")
                                            for n in range(5)]
    assert len(exacts(speaker_id="")) == 10  # unattributed
    assert len(exacts(stance_id=opposes.id)) == 5
    assert len(exacts(stance_id="")) == 5
    assert exacts(topic="round-2") == [("Briefing 002", "useful but slow")]
    # Briefing n is published 2025-(n+1)-(n+1).
    assert {t for t, _ in exacts(published_from="2025-02-01", published_to="2025-04")} == {
        "Briefing 001", "Briefing 002", "Briefing 003"}
    # Given briefings, in the given order.
    assert [t for t, _ in exacts(briefing_ids=[ids[3], ids[1]])] == [
        "Briefing 003"] * 3 + ["Briefing 001"] * 3
    # By date: oldest briefing first, positions inside.
    store.create_highlight(ids[0], *span("Talks stall"))
    by_date = exacts(order="date")
    assert by_date[:4] == [("Briefing 000", "Talks stall"), ("Briefing 000", "useful but slow"),
                           ("Briefing 000", "expect nothing"),
                           ("Briefing 000", "spokesman repeated")]
    # Paged: the pages put together are the whole.
    pages = [exacts(order="date", limit=4, offset=o) for o in range(0, 20, 4)]
    assert [len(p) for p in pages] == [4, 4, 4, 4, 0]
    assert [row for page in pages for row in page] == by_date
    assert [len(p) for p in queries.iter_pages(store, HighlightQuery(), page_size=7)] == [
        7, 7, 2]


def test_status_filter_orphans_and_changed_highlights(store: Store) -> None:
    bid = add(store, "Talks stall")
    annotate(store, bid, 0)
    victim = annotated_highlights(store)[1].highlight
    store.conn.execute("UPDATE highlights SET status = 'orphaned' WHERE id = ?", (victim.id,))
    orphans = annotated_highlights(store, HighlightQuery(status=ORPHANED, paragraphs=True))
    assert [o.id for o in orphans] == [victim.id]
    assert orphans[0].orphaned and orphans[0].paragraph is None
    # A highlight re-anchored on other text is changed: counted, its old quote carried.
    moved = annotated_highlights(store)[0].highlight
    store.conn.execute("UPDATE highlights SET previous_exact = 'useful, but slow'"
                       " WHERE id = ?", (moved.id,))
    [first] = [r for r in annotated_highlights(store) if r.id == moved.id]
    assert first.changed and first.highlight.previous_exact == "useful, but slow"
    [info] = queries.briefings(store)
    assert (info.highlight_count, info.orphan_count, info.changed_count) == (3, 1, 1)


def test_briefings_with_counts_in_title_or_date_order(store: Store) -> None:
    later = add(store, "b later", published="2025-05-01")
    undated = add(store, "A undated", published="")
    earlier = add(store, "c earlier", published="2025-01-01")
    annotate(store, later, 0)
    assert [b.title for b in queries.briefings(store)] == ["A undated", "b later", "c earlier"]
    assert [b.id for b in queries.briefings(store, order="date")] == [earlier, later, undated]
    assert [b.id for b in queries.briefings(store, [undated, later, undated])] == [
        undated, later]
    counted = {b.id: (b.highlight_count, b.orphan_count) for b in queries.briefings(store)}
    assert counted == {later: (3, 0), undated: (0, 0), earlier: (0, 0)}
    with pytest.raises(StoreError, match="no briefing"):
        queries.briefings(store, ["nope"])


# ------------------------------------------------------------------ bounded statements


@pytest.mark.parametrize("call", [
    pytest.param(lambda s, ids: annotated_highlights(s), id="all"),
    pytest.param(lambda s, ids: annotated_highlights(
        s, HighlightQuery(briefing_ids=ids, paragraphs=True)), id="by-ids-with-paragraphs"),
    pytest.param(lambda s, ids: annotated_highlights(
        s, HighlightQuery(topic="talks", order="date", limit=50)), id="filtered-paged"),
    pytest.param(lambda s, ids: queries.briefings(s), id="briefings"),
    pytest.param(lambda s, ids: queries.briefings(s, ids), id="briefings-by-ids"),
    pytest.param(lambda s, ids: export.to_markdown(s, None), id="export-md-all"),
    pytest.param(lambda s, ids: export.to_json(s, ids), id="export-json-ids"),
    pytest.param(lambda s, ids: export.to_csv(s, ids), id="export-csv-ids"),
])
def test_statement_count_does_not_grow_with_briefings(
        tmp_path: Path, call: Callable[[Store, list[str]], object]) -> None:
    counts = []
    for size in (1, 100):
        with Store(tmp_path / f"n{size}.db") as store:
            ids = fill(store, size)
            assert len(annotated_highlights(store)) == 3 * size
            counts.append(statements(store, lambda: call(store, ids)))  # noqa: B023
    one, hundred = counts
    assert one == hundred, f"{one} statements for 1 briefing, {hundred} for 100"
    assert hundred <= 5


def test_briefings_limit_reads_the_first_by_title_and_the_total_counts_all(
        tmp_path: Path) -> None:
    with Store(tmp_path / "lib.db") as store:
        document = parse_text("One sentence.\n")
        for i in (3, 1, 4, 0, 2):
            store.add_briefing(title=f"B{i}", source="", published="", url="", path="",
                               fmt="text", source_text="One sentence.\n", document=document,
                               content_hash=f"h{i}")
        first = queries.briefings(store, limit=3)
        assert [info.title for info in first] == ["B0", "B1", "B2"]
        assert queries.briefing_total(store) == 5
        store.delete_briefing(first[0].id)
        assert queries.briefing_total(store) == 4
        assert [info.title for info in queries.briefings(store, limit=3)] == ["B1", "B2", "B3"]
        with pytest.raises(ValueError):
            queries.briefings(store, order="date", limit=3)


def test_briefings_limit_with_counts_counts_those_briefings_as_a_whole_read_does(
        tmp_path: Path) -> None:
    """A big library's first screen: the first briefings by title with their highlight,
    orphan and changed counts, as the whole library's read has them."""
    with Store(tmp_path / "lib.db") as store:
        ids = [add(store, f"B{i}") for i in (3, 1, 4, 0, 2)]
        for n, bid in enumerate(ids):
            for k in range(n):
                annotate(store, bid, k)
        rows = store.conn.execute("SELECT id FROM highlights WHERE briefing_id = ?",
                                  (ids[4],)).fetchall()  # B2's: among the first three
        store.conn.execute("UPDATE highlights SET status = 'orphaned' WHERE id = ?", rows[0])
        store.conn.execute("UPDATE highlights SET previous_exact = 'was' WHERE id IN (?, ?)",
                           (rows[1][0], rows[2][0]))
        every = queries.briefings(store)
        first = queries.briefings(store, limit=3)
        assert first == every[:3]
        assert [info.title for info in first] == ["B0", "B1", "B2"]
        assert (first[2].orphan_count, first[2].changed_count) == (1, 2)
        assert queries.briefings(store, limit=5) == every
        assert queries.briefings(store, counts=False, limit=3) == [
            replace(i, highlight_count=0, orphan_count=0, changed_count=0) for i in every[:3]]
