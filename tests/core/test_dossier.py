"""Across briefings (issue 13.2, 13.3): speaker summaries in one grouped statement, the
stance over time by week or month, the dossier by date, and merging two speakers as one
undoable step."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from briefing_tui.core import dossier as core_dossier
from briefing_tui.core import queries
from briefing_tui.core.dossier import (
    choose_period,
    dossier,
    dossier_json,
    dossier_markdown,
    resolve_speaker,
    speakers_markdown,
    stance_over_time,
)
from briefing_tui.core.models import Highlight
from briefing_tui.core.queries import AnnotatedHighlight, BriefingRef
from briefing_tui.core.store import LIBRARY, Store, StoreError
from tests.core.test_queries import add, span, statements

HOSTILE = "Evil\x1b]0;pwned\x07 \x9b2J\u202eName|"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    db = Store(tmp_path / "d.db")
    yield db
    db.close()


def _stance(store: Store, key: int) -> str:
    stance = store.stance_by_key(key)
    assert stance is not None
    return stance.id


def three_statements(store: Store) -> tuple[str, str, str, str]:
    """Peskov: two highlights in a March briefing (opposes, supports), one in a July one
    (opposes, topic ceasefire); one by somebody else. Returns both briefings and ids."""
    march = add(store, "March briefing", published="2025-03-20")
    july = add(store, "July briefing", published="2025-07-02")
    peskov = store.create_speaker("Dmitry Peskov", role="Kremlin spokesman")
    other = store.create_speaker("Maria Zakharova")
    first = store.create_highlight(march, *span("useful but slow"))
    second = store.create_highlight(march, *span("expect nothing"))
    third = store.create_highlight(july, *span("spokesman repeated"))
    fourth = store.create_highlight(july, *span("useful but slow"))
    for hid in (first.id, second.id, third.id):
        store.set_speaker(hid, peskov.id)
    store.set_speaker(fourth.id, other.id)
    store.set_stance(first.id, _stance(store, 2))
    store.set_stance(second.id, _stance(store, 1))
    store.set_stance(third.id, _stance(store, 2))
    store.set_topics(third.id, ["ceasefire"])
    store.set_note(third.id, "hardens the line")
    return march, july, peskov.id, other.id


# ------------------------------------------------------------------ summaries


def test_speaker_summaries_count_statements_briefings_dates_and_stances(store: Store) -> None:
    _march, _july, peskov, other = three_statements(store)
    idle = store.create_speaker("Nobody Yet")
    summaries = queries.speaker_summaries(store)
    assert [s.speaker.name for s in summaries] == ["Dmitry Peskov", "Maria Zakharova",
                                                   "Nobody Yet"]
    p, z, n = summaries
    assert (p.speaker.id, p.statements, p.briefings, p.first, p.last) == (
        peskov, 3, 2, "2025-03-20", "2025-07-02")
    assert p.count(_stance(store, 2)) == 2 and p.count(_stance(store, 1)) == 1
    assert p.count(None) == 0
    assert (z.speaker.id, z.statements, z.briefings, z.count(None)) == (other, 1, 1, 1)
    assert (n.speaker.id, n.statements, n.briefings, n.first, n.stances) == (
        idle.id, 0, 0, "", {})


def test_speaker_summaries_filter_by_name_alias_role_and_skip_deleted_briefings(
        store: Store) -> None:
    march, _july, peskov, _other = three_statements(store)
    store.update_speaker(peskov, aliases=["Pieskow"])
    assert [s.speaker.name for s in queries.speaker_summaries(store, "pieskow")] == [
        "Dmitry Peskov"]
    assert [s.speaker.name for s in queries.speaker_summaries(store, "KREMLIN")] == [
        "Dmitry Peskov"]
    store.delete_briefing(march)
    [p] = queries.speaker_summaries(store, "peskov")
    assert (p.statements, p.briefings, p.first) == (1, 1, "2025-07-02")


def test_speaker_summaries_is_one_statement_after_the_stances_whatever_the_speakers(
        store: Store) -> None:
    bid = add(store, "Many", published="2025-01-01")
    for n in range(30):
        speaker = store.create_speaker(f"Speaker {n}")
        hl = store.create_highlight(bid, *span("useful but slow"))
        store.set_speaker(hl.id, speaker.id)
    # The label set (one statement), then one grouped statement: never one per speaker.
    assert statements(store, lambda: queries.speaker_summaries(store)) == 2


# ------------------------------------------------------------------ stance over time


def _item(published: str, stance: str | None) -> AnnotatedHighlight:
    hl = Highlight("h", "b", 0, 1, "x", "", "", None, stance)
    return AnnotatedHighlight(hl, BriefingRef("b", "t", published))


def test_stance_over_time_by_week_for_a_short_span_with_the_gaps_shown() -> None:
    items = [_item("2025-03-03", "opp"), _item("2025-03-05T10:00", "opp"),
             _item("2025-03-19", "sup"), _item("2025-03-20", None), _item("", "opp")]
    rows = stance_over_time(items)
    assert [(r.label, r.start, r.counts) for r in rows] == [
        ("2025-W10", date(2025, 3, 3), {"opp": 2}),
        ("2025-W11", date(2025, 3, 10), {}),
        ("2025-W12", date(2025, 3, 17), {"sup": 1, "": 1}),
    ]
    assert [r.total for r in rows] == [2, 0, 2]


def test_stance_over_time_by_month_for_a_long_span_across_a_year() -> None:
    items = [_item("2024-10-30", "opp"), _item("2025-02-01", "sup"), _item("2025-02-27", "sup")]
    rows = stance_over_time(items)
    assert [(r.label, r.counts) for r in rows] == [
        ("2024-10", {"opp": 1}), ("2024-11", {}), ("2024-12", {}), ("2025-01", {}),
        ("2025-02", {"sup": 2})]
    assert stance_over_time(items, "month") == rows
    assert len(stance_over_time(items, "week")) == 18  # asked for: by week
    assert stance_over_time([_item("", "opp")]) == []


def test_the_period_is_chosen_by_the_span_of_dates() -> None:
    start = date(2025, 1, 1)
    assert choose_period([start, date(2025, 4, 1)]) == "week"  # 90 days
    assert choose_period([start, date(2025, 4, 3)]) == "month"  # 92 days
    assert choose_period([]) == "month"


# ------------------------------------------------------------------ the dossier


def test_the_dossier_lists_a_speakers_statements_by_date_and_filters(store: Store) -> None:
    _march, _july, peskov, _other = three_statements(store)
    speaker = store.speaker(peskov)
    d = dossier(store, speaker)
    assert [(i.briefing.title, i.highlight.exact) for i in d.items] == [
        ("March briefing", "useful but slow"), ("March briefing", "expect nothing"),
        ("July briefing", "spokesman repeated")]
    assert [r.label for r in d.timeline] == ["2025-03", "2025-04", "2025-05", "2025-06", "2025-07"]
    assert [i.highlight.exact for i in dossier(store, speaker, topic="ceasefire").items] == [
        "spokesman repeated"]
    assert len(dossier(store, speaker, stance_id=_stance(store, 2)).items) == 2
    assert [i.briefing.title for i in dossier(store, speaker, since="2025-04-01").items] == [
        "July briefing"]
    assert len(dossier(store, speaker, until="2025-03-20").items) == 2


def test_dossier_markdown_has_the_table_and_every_statement(store: Store) -> None:
    _march, _july, peskov, _other = three_statements(store)
    text = dossier_markdown(dossier(store, store.speaker(peskov)), store.stances())
    assert "# Dmitry Peskov" in text and "Kremlin spokesman" in text
    assert "| period | supports | opposes | conditional | neutral | no stance | total |" in text
    assert "| 2025-03 | 1 | 1 | 0 | 0 | 0 | 2 |" in text
    assert "| 2025-07 | 0 | 1 | 0 | 0 | 0 | 1 |" in text
    assert text.index("2025-03-20 — March briefing") < text.index("2025-07-02 — July briefing")
    assert "> spokesman repeated" in text and "- Topics: #ceasefire" in text
    assert "- Note: hardens the line" in text
    data = json.loads(dossier_json(dossier(store, store.speaker(peskov)), store.stances()))
    assert [s["quote"] for s in data["statements"]] == [
        "useful but slow", "expect nothing", "spokesman repeated"]
    assert data["stance_over_time"][0] == {
        "period": "2025-03", "start": "2025-03-01", "stances": {"supports": 1, "opposes": 1},
        "no_stance": 0, "total": 2}


def test_hostile_names_notes_and_titles_never_reach_the_output(store: Store) -> None:
    bid = add(store, HOSTILE, published="2025-03-20")
    speaker = store.create_speaker(HOSTILE, role=HOSTILE)
    hl = store.create_highlight(bid, *span("useful but slow"))
    store.set_speaker(hl.id, speaker.id)
    store.set_note(hl.id, HOSTILE)
    store.set_topics(hl.id, [HOSTILE])
    # Stored names already show controls as placeholders; old rows may not: force raw ones.
    store.conn.execute("UPDATE speakers SET name = ?, role = ?", (HOSTILE, HOSTILE))
    store.conn.execute("UPDATE briefings SET title = ?", (HOSTILE,))
    store.conn.execute("UPDATE highlights SET note = ?", (HOSTILE,))
    summaries = queries.speaker_summaries(store)
    d = dossier(store, summaries[0].speaker)
    for text in (speakers_markdown(summaries, store.stances()),
                 dossier_markdown(d, store.stances()),
                 core_dossier.speakers_json(summaries, store.stances()),
                 dossier_json(d, store.stances())):
        for bad in ("\x1b", "\x07", "\x9b", "\u202e"):
            assert bad not in text


def test_resolve_speaker_by_name_alias_fragment_and_refuses_ambiguity(store: Store) -> None:
    peskov = store.create_speaker("Dmitry Peskov", aliases=["Pieskow"])
    store.create_speaker("Dmitry Medvedev")
    speakers = store.speakers()
    assert resolve_speaker(speakers, "dmitry peskov") == peskov
    assert resolve_speaker(speakers, "PIESKOW") == peskov
    assert resolve_speaker(speakers, "pesk") == peskov
    assert resolve_speaker(speakers, peskov.id[:8]) == peskov
    with pytest.raises(StoreError, match="several speakers"):
        resolve_speaker(speakers, "dmitry")
    with pytest.raises(StoreError, match="no speaker"):
        resolve_speaker(speakers, "zakharova")


# ------------------------------------------------------------------ merge


def test_merge_unites_aliases_moves_highlights_and_is_one_undoable_step(store: Store) -> None:
    march, _july, peskov, _other = three_statements(store)
    dup = store.create_speaker("D. Peskov", aliases=["Peskov"])
    extra = store.create_highlight(march, *span("spokesman repeated"))
    store.set_speaker(extra.id, dup.id)
    merged = store.merge_speakers(peskov, dup.id, undo_scope=None)
    assert merged.aliases == ("D. Peskov", "Peskov")
    assert [s.name for s in store.speakers()] == ["Dmitry Peskov", "Maria Zakharova"]
    assert store.highlight(extra.id).speaker_id == peskov
    [p, _z] = queries.speaker_summaries(store)
    assert p.statements == 4
    # One step: u brings the duplicate back with its highlight and the aliases as they were.
    assert store.undo(LIBRARY) == "merge speakers"
    assert store.speaker(dup.id).name == "D. Peskov"
    assert store.speaker(dup.id).aliases == ("Peskov",)
    assert store.speaker(peskov).aliases == ()
    assert store.highlight(extra.id).speaker_id == dup.id
    assert [s.statements for s in queries.speaker_summaries(store)] == [1, 3, 1]
    assert store.redo(LIBRARY) == "merge speakers"
    assert store.highlight(extra.id).speaker_id == peskov
    assert store.speaker(peskov).aliases == ("D. Peskov", "Peskov")
    with pytest.raises(StoreError):
        store.speaker(dup.id)


def test_merge_refuses_itself_and_unknown_speakers(store: Store) -> None:
    peskov = store.create_speaker("Dmitry Peskov")
    with pytest.raises(StoreError, match="itself"):
        store.merge_speakers(peskov.id, peskov.id)
    with pytest.raises(StoreError, match="no speaker"):
        store.merge_speakers(peskov.id, "nope")
    assert store.undo(LIBRARY) == "create speaker"  # no step recorded by the refusals


def test_a_first_page_of_the_dossier_has_the_whole_stance_over_time(store: Store) -> None:
    _march, _july, peskov, _other = three_statements(store)
    speaker = store.speaker(peskov)
    whole = dossier(store, speaker)
    first = dossier(store, speaker, limit=1)
    assert [i.id for i in first.items] == [whole.items[0].id]
    assert first.timeline == whole.timeline
    assert sorted(queries.stance_by_date(store, core_dossier.dossier_query(speaker))) == sorted([
        ("2025-03-20", _stance(store, 1), 1), ("2025-03-20", _stance(store, 2), 1),
        ("2025-07-02", _stance(store, 2), 1)])
    assert len(dossier(store, speaker, limit=2, topic="ceasefire").timeline) == 1
