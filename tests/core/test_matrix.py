"""The speaker × stance matrix (core/queries.matrix, core/matrix.py): counts over the
library or a filter in one grouped statement, sorted rows, a cell's highlights, and the
Markdown / CSV / JSON text with hostile names kept inert."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from briefing_tui.core import export, queries
from briefing_tui.core.document import parse_text
from briefing_tui.core.matrix import MatrixFilter, date_arg, parse_filter, render
from briefing_tui.core.queries import HighlightQuery, annotated_highlights
from briefing_tui.core.store import Store
from tests.core.test_queries import fill, statements
from tests.hostile import FORMULAS, PAYLOAD, UNSAFE

TEXT = "Alpha said one. Beta said two. Gamma said three. Delta said four. Epsilon said five.\n"


def add(store: Store, title: str, published: str, source: str = "Our Wire") -> str:
    return store.add_briefing(title=title, source=source, published=published, url="",
                              path="", fmt="text", source_text=TEXT,
                              document=parse_text(TEXT), content_hash=title).id


def mark(store: Store, bid: str, word: str, speaker: str | None, key: int | None,
         topics: tuple[str, ...] = ()) -> None:
    start = TEXT.index(word)
    h = store.create_highlight(bid, start, start + len(word))
    if speaker is not None:
        found = store.find_speaker(speaker) or store.create_speaker(speaker)
        store.set_speaker(h.id, found.id)
    if key is not None:
        stance = store.stance_by_key(key)
        assert stance is not None
        store.set_stance(h.id, stance.id)
    if topics:
        store.set_topics(h.id, topics)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "m.db") as db:
        march = add(db, "March", "2025-03-10")
        april = add(db, "April", "2025-04-02", source="Other Agency")
        undated = add(db, "Undated", "")
        mark(db, march, "Alpha", "Dmitry Peskov", 2, ("ceasefire",))
        mark(db, march, "Beta", "Dmitry Peskov", 2)
        mark(db, march, "Gamma", "Mike Waltz", 1, ("ceasefire",))
        mark(db, april, "Alpha", "Dmitry Peskov", 3, ("ceasefire",))
        mark(db, april, "Delta", "Mike Waltz", None)
        mark(db, april, "Epsilon", None, 4)
        mark(db, undated, "Alpha", "Anna Nowak", 1)
        yield db


def table(grid: queries.Matrix) -> dict[str, tuple[int, ...]]:
    return {(r.speaker.name if r.speaker else "-"): r.counts for r in grid.rows}


def test_counts_over_the_library_with_totals_and_a_no_stance_column(store: Store) -> None:
    grid = queries.matrix(store)
    assert [c.name if c else None for c in grid.columns] == [
        "supports", "opposes", "conditional", "neutral", None]
    assert table(grid) == {
        "Dmitry Peskov": (0, 2, 1, 0, 0),
        "Mike Waltz": (1, 0, 0, 0, 1),
        "Anna Nowak": (1, 0, 0, 0, 0),
        "-": (0, 0, 0, 1, 0),
    }
    assert [r.total for r in grid.rows] == [3, 2, 1, 1]
    assert grid.total == 7 and grid.column_totals() == (2, 2, 1, 1, 1)


def test_rows_sort_by_total_or_by_name_unattributed_last(store: Store) -> None:
    assert list(table(queries.matrix(store, sort="name"))) == [
        "Anna Nowak", "Dmitry Peskov", "Mike Waltz", "-"]
    with pytest.raises(ValueError, match="unknown sort"):
        queries.matrix(store, sort="stance")  # type: ignore[arg-type]


@pytest.mark.parametrize(("filters", "expected"), [
    (MatrixFilter(topic="ceasefire"),
     {"Dmitry Peskov": (0, 1, 1, 0), "Mike Waltz": (1, 0, 0, 0)}),
    (MatrixFilter(since="2025-04"),
     {"Dmitry Peskov": (0, 0, 1, 0, 0), "Mike Waltz": (0, 0, 0, 0, 1), "-": (0, 0, 0, 1, 0)}),
    (MatrixFilter(until="2025-03-31"),
     {"Dmitry Peskov": (0, 2, 0, 0), "Mike Waltz": (1, 0, 0, 0)}),
    (MatrixFilter(since="2025-03-01", until="2025-03"),
     {"Dmitry Peskov": (0, 2, 0, 0), "Mike Waltz": (1, 0, 0, 0)}),
    (MatrixFilter(source="other"),
     {"Dmitry Peskov": (0, 0, 1, 0, 0), "Mike Waltz": (0, 0, 0, 0, 1), "-": (0, 0, 0, 1, 0)}),
    (MatrixFilter(topic="nothing-like-it"), {}),
])
def test_counts_under_a_filter(store: Store, filters: MatrixFilter,
                               expected: dict[str, tuple[int, ...]]) -> None:
    assert table(queries.matrix(store, filters.query())) == expected


def test_a_briefing_set_and_a_deleted_briefing(store: Store) -> None:
    undated = next(b.id for b in store.list_briefings() if b.title == "Undated")
    assert table(queries.matrix(store, MatrixFilter(briefing_ids=(undated,)).query())) == {
        "Anna Nowak": (1, 0, 0, 0)}
    store.delete_briefing(undated)
    assert "Anna Nowak" not in table(queries.matrix(store))


def test_a_cell_lists_the_highlights_it_counts(store: Store) -> None:
    grid = queries.matrix(store)
    for r, row in enumerate(grid.rows):
        for c, count in enumerate(row.counts):
            assert len(annotated_highlights(store, grid.cell_query(r, c))) == count
        assert len(annotated_highlights(store, grid.cell_query(r, len(grid.columns)))) == row.total
    peskov_opposes = annotated_highlights(store, grid.cell_query(0, 1))
    assert [(h.briefing.title, h.highlight.exact) for h in peskov_opposes] == [
        ("March", "Alpha"), ("March", "Beta")]
    for filters in (MatrixFilter(source="other"), MatrixFilter(since="2025-04", topic="ceasefire"),
                    MatrixFilter(until="2025-03")):
        grid = queries.matrix(store, filters.query())
        for r, row in enumerate(grid.rows):  # the list of a cell is what it counts
            for c, count in enumerate(row.counts):
                assert len(annotated_highlights(store, grid.cell_query(r, c))) == count
    filtered = queries.matrix(store, MatrixFilter(topic="ceasefire").query())
    assert [h.highlight.exact for h in annotated_highlights(store, filtered.cell_query(0, 1))] \
        == ["Alpha"]


def test_tally_of_read_highlights_equals_the_grouped_statement(store: Store) -> None:
    items = annotated_highlights(store)
    assert table(queries.tally(items, store.stances())) == table(queries.matrix(store))


def test_one_grouped_statement_whatever_the_size(tmp_path: Path) -> None:
    counts = []
    for size in (1, 60):
        with Store(tmp_path / f"n{size}.db") as db:
            fill(db, size)
            counts.append(statements(db, lambda: queries.matrix(db, HighlightQuery(
                topic="talks", published_from="2025-01"))))
    assert counts[0] == counts[1] <= 2  # the counts, and the label set


def test_filter_prompt_and_date_arguments() -> None:
    assert parse_filter("") == MatrixFilter()
    assert parse_filter('#ceasefire source:"Example Wire" until:2025') == MatrixFilter(
        topic="ceasefire", source="Example Wire", until="2025")
    assert parse_filter("topic:talks since:May 31, 2022 until:17 квітня 2022") == MatrixFilter(
        topic="talks", since="2022-05-31", until="2022-04-17")
    for bad in ("since:someday", "colour:red", 'source:"open'):
        with pytest.raises(ValueError):
            parse_filter(bad)
    assert date_arg("2025-03") == "2025-03" and date_arg("3 марта 2021") == "2021-03-03"
    again = parse_filter(MatrixFilter(topic="t", source="A B", since="2025").prompt_text())
    assert again == MatrixFilter(topic="t", source="A B", since="2025")


def test_hostile_names_stay_inert_in_every_format(store: Store) -> None:
    bid = add(store, "Hostile", "2025-05-01")
    mark(store, bid, "Alpha", f"{FORMULAS[0]}{PAYLOAD}", 1)
    mark(store, bid, "Beta", f"{FORMULAS[2]} | *x*", 2)
    grid = queries.matrix(store)
    md = render(grid, "md", MatrixFilter(topic=f"t{PAYLOAD}"))
    assert not UNSAFE.search(md) and "\x1b" not in md
    assert "\\| \\*x\\*" in md  # a name cannot break the table
    rows = list(csv.reader(io.StringIO(render(grid, "csv"))))
    assert not UNSAFE.search(render(grid, "csv"))
    assert rows[0][0] == "speaker" and all(not row[0].startswith(("=", "+", "-", "@"))
                                           for row in rows)
    text = render(grid, "json")
    assert not UNSAFE.search(text)
    names = [row["speaker"] for row in json.loads(text)["rows"]]
    assert f"{FORMULAS[0]}{PAYLOAD}" in names  # JSON is lossless


def test_export_of_all_briefings_opens_with_the_library_matrix(store: Store) -> None:
    text = export.to_markdown(store)
    head, _, _rest = text.partition("## March")
    assert "## Speaker × stance: all briefings" in head
    assert "| Dmitry Peskov | 0 | 2 | 1 | 0 | 0 | 3 |" in head
    assert "| **total** | 2 | 2 | 1 | 1 | 1 | 7 |" in head
    one = export.to_markdown(store, [store.list_briefings()[0].id])
    assert "Speaker × stance" not in one  # a single briefing keeps its own table


def test_briefings_without_counts_or_with_them_up_to_a_size(store: Store) -> None:
    counted = {b.title: b.highlight_count for b in queries.briefings(store)}
    assert counted == {"April": 3, "March": 3, "Undated": 1}
    assert {b.highlight_count for b in queries.briefings(store, counts=False)} == {0}
    assert {b.title: b.highlight_count for b in queries.briefings(store, counts=3)} == counted
    assert {b.highlight_count for b in queries.briefings(store, counts=2)} == {0}  # 3 > 2
    assert statements(store, lambda: queries.briefings(store, counts=False)) == 1


def test_json_export_of_all_briefings_carries_the_library_matrix(store: Store) -> None:
    data = json.loads(export.to_json(store))
    rows = {r["speaker"]: r for r in data["matrix"]["rows"]}
    assert rows["Dmitry Peskov"]["counts"]["opposes"] == 2 and data["matrix"]["total"] == 7
    some = json.loads(export.to_json(store, [store.list_briefings()[0].id]))
    assert "matrix" not in some


def test_the_whole_library_matrix_groups_by_reading_an_index(store: Store) -> None:
    """Migration 11: the grouping reads highlights_speaker_stance in order instead of
    sorting every highlight (~320 ms at 200,000 without it, 26 ms with it)."""
    query = replace(HighlightQuery(), speaker_id=None, stance_id=None, limit=None, offset=0,
                    paragraphs=False)
    where, params = queries._matrix_where(query)
    plan = " | ".join(row[3] for row in store.conn.execute(
        "EXPLAIN QUERY PLAN SELECT h.speaker_id, h.stance_id, COUNT(*) FROM highlights h"
        f"{where} GROUP BY h.speaker_id, h.stance_id", params))
    assert "highlights_speaker_stance" in plan, plan
    assert "TEMP B-TREE FOR GROUP BY" not in plan, plan
