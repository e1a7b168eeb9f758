"""A speaker's dossier: every statement across the library by date, and the stance over time.

The statements are read through :func:`briefing_tui.core.queries.annotated_highlights`
(``HighlightQuery(speaker_id=..., order="date")``); :func:`stance_over_time` is pure: it
buckets them by week or month (chosen by the span of their dates) and counts each stance.
The CLI's ``speakers`` and ``dossier`` print what :func:`speakers_markdown`,
:func:`dossier_markdown` and the ``*_json`` functions make here.

>>> d = dossier(store, "Peskov", topic="ceasefire")   # doctest: +SKIP
>>> [(row.label, row.counts) for row in d.timeline]   # doctest: +SKIP
[('2025-03', {'<opposes id>': 2})]
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from briefing_tui.core.errors import StoreError
from briefing_tui.core.models import Speaker, Stance
from briefing_tui.core.queries import (
    AnnotatedHighlight,
    HighlightQuery,
    ReadSource,
    SpeakerSummary,
    annotated_highlights,
    stance_by_date,
)
from briefing_tui.core.safetext import safe_line

__all__ = [
    "WEEKLY_SPAN_DAYS",
    "Dossier",
    "Period",
    "choose_period",
    "dossier",
    "dossier_json",
    "dossier_markdown",
    "dossier_query",
    "parse_date",
    "resolve_speaker",
    "speakers_json",
    "speakers_markdown",
    "stance_over_time",
    "stance_over_time_counts",
]

Period = Literal["week", "month"]
#: Dates spanning at most this many days are counted by week, a longer span by month.
WEEKLY_SPAN_DAYS = 91
NO_STANCE = ""  # the key counting statements without a stance


def parse_date(text: str) -> date | None:
    """The date an ISO 8601 ``published`` value starts with, or None.

    >>> parse_date("2025-03-20T10:00"), parse_date("March"), parse_date("")
    (datetime.date(2025, 3, 20), None, None)
    """
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def choose_period(dates: Iterable[date]) -> Period:
    """Week when the dates span at most :data:`WEEKLY_SPAN_DAYS` days, else month.

    >>> choose_period([date(2025, 3, 1), date(2025, 3, 20)])
    'week'
    >>> choose_period([date(2025, 1, 1), date(2025, 9, 1)])
    'month'
    """
    found = list(dates)
    if not found:
        return "month"
    return "week" if (max(found) - min(found)).days <= WEEKLY_SPAN_DAYS else "month"


def _period_start(day: date, period: Period) -> date:
    return day - timedelta(days=day.weekday()) if period == "week" else day.replace(day=1)


def _next_period(start: date, period: Period) -> date:
    if period == "week":
        return start + timedelta(days=7)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


def _label(start: date, period: Period) -> str:
    if period == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{start.year:04d}-{start.month:02d}"


@dataclass(frozen=True)
class PeriodRow:
    """One period of the stance over time: its label ("2025-W12", "2025-03"), its first
    day, and the number of statements per stance id (:data:`NO_STANCE` for none)."""

    label: str
    start: date
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Every statement of the period."""
        return sum(self.counts.values())


def stance_over_time(items: Iterable[AnnotatedHighlight],
                     period: Period | None = None) -> list[PeriodRow]:
    """Statements counted per stance and period, oldest first, one row for every period
    from the first dated statement to the last (empty ones too: a gap is visible).

    ``period`` None chooses by the span of the dates (:func:`choose_period`). Undated
    statements are left out (the dossier lists them, last).
    """
    return stance_over_time_counts(
        ((item.briefing.published, item.highlight.stance_id, 1) for item in items), period)


def stance_over_time_counts(counts: Iterable[tuple[str, str | None, int]],
                            period: Period | None = None) -> list[PeriodRow]:
    """:func:`stance_over_time` from ``(published, stance id, count)`` triples (as
    :func:`briefing_tui.core.queries.stance_by_date` reads them)."""
    # Parsed once per date (10,000 statements come from a few hundred briefings).
    days: dict[str, date | None] = {}
    dated: list[tuple[date, str, int]] = []
    for published, stance_id, count in counts:
        day = days.get(published, date.min)
        if day is date.min:
            day = days[published] = parse_date(published)
        if day is not None:
            dated.append((day, stance_id or NO_STANCE, count))
    if not dated:
        return []
    chosen: Period = period or choose_period(d for d in days.values() if d is not None)
    starts = {day: _period_start(day, chosen) for day in days.values() if day is not None}
    buckets: dict[date, dict[str, int]] = {}
    for day, stance, count in dated:
        bucket = buckets.setdefault(starts[day], {})
        bucket[stance] = bucket.get(stance, 0) + count
    rows = []
    start, last = min(buckets), max(buckets)
    while start <= last:
        rows.append(PeriodRow(_label(start, chosen), start, buckets.get(start, {})))
        start = _next_period(start, chosen)
    return rows


# --------------------------------------------------------------------------- the dossier


@dataclass(frozen=True)
class Dossier:
    """What the dossier of one speaker shows."""

    speaker: Speaker
    items: list[AnnotatedHighlight]
    timeline: list[PeriodRow]


def dossier_query(speaker: Speaker, *, topic: str | None = None,
                  stance_id: str | None = None, since: str | None = None,
                  until: str | None = None, limit: int | None = None) -> HighlightQuery:
    """The query of ``speaker``'s statements by date (undated briefings last), filtered."""
    return HighlightQuery(speaker_id=speaker.id, topic=topic, stance_id=stance_id,
                          published_from=since, published_to=until, order="date", limit=limit)


def dossier(store: ReadSource, speaker: Speaker, *, topic: str | None = None,
            stance_id: str | None = None, since: str | None = None,
            until: str | None = None, limit: int | None = None) -> Dossier:
    """``speaker``'s statements by date (undated briefings last), filtered, with their
    stance over time. With ``limit``, only the first statements are read, and the stance
    over time is counted by one grouped statement (:func:`stance_by_date`) instead: what
    a first screen needs of 10,000 statements. Three statements at most."""
    query = dossier_query(speaker, topic=topic, stance_id=stance_id, since=since,
                          until=until, limit=limit)
    items = annotated_highlights(store, query)
    if limit is None:
        return Dossier(speaker, items, stance_over_time(items))
    return Dossier(speaker, items, stance_over_time_counts(stance_by_date(store, query)))


def resolve_speaker(speakers: Sequence[Speaker], ref: str) -> Speaker:
    """The speaker ``ref`` names: its id (or an id prefix of 8+), its name or an alias
    (ignoring case), else the only speaker whose name or alias contains it.
    StoreError when none or several match."""
    key = " ".join(ref.split()).casefold()
    if not key:
        raise StoreError("name a speaker")
    for test in (
        lambda s: s.id == ref or (len(ref) >= 8 and s.id.startswith(ref)),
        lambda s: s.name.casefold() == key,
        lambda s: any(alias.casefold() == key for alias in s.aliases),
    ):
        found = [s for s in speakers if test(s)]
        if len(found) == 1:
            return found[0]
    found = [s for s in speakers
             if key in s.name.casefold() or any(key in a.casefold() for a in s.aliases)]
    if len(found) == 1:
        return found[0]
    if not found:
        raise StoreError(f"no speaker {ref!r}")
    names = ", ".join(repr(s.name) for s in found[:5])
    raise StoreError(f"{ref!r} names several speakers: {names}")


# --------------------------------------------------------------------------- rendering


def _cell(text: str) -> str:
    """Text from data in a Markdown table cell or line: safe, and ``|`` escaped."""
    return safe_line(text).replace("\\", "\\\\").replace("|", "\\|")


def _stance_name(stances: dict[str, Stance], stance_id: str | None) -> str:
    stance = stances.get(stance_id or "")
    return stance.name if stance is not None else ""


def speakers_markdown(summaries: Sequence[SpeakerSummary], stances: Sequence[Stance]) -> str:
    """The speaker registry as a Markdown table (data text made safe)."""
    head = ["speaker", "role", "affiliation", "aliases", "statements", "briefings", "first",
            "last", *(_cell(s.name) for s in stances), "no stance"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for summary in summaries:
        sp = summary.speaker
        cells = [_cell(sp.name), _cell(sp.role), _cell(sp.affiliation),
                 _cell(", ".join(sp.aliases)), str(summary.statements), str(summary.briefings),
                 _cell(summary.first[:10]), _cell(summary.last[:10]),
                 *(str(summary.count(s.id)) for s in stances), str(summary.count(None))]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def speakers_json(summaries: Sequence[SpeakerSummary], stances: Sequence[Stance]) -> str:
    """The speaker registry as JSON (strings as stored; controls are ``\\u`` escapes)."""
    names = {s.id: s.name for s in stances}
    data = [{
        "id": s.speaker.id, "name": s.speaker.name, "role": s.speaker.role,
        "affiliation": s.speaker.affiliation, "aliases": list(s.speaker.aliases),
        "statements": s.statements, "briefings": s.briefings,
        "first": s.first or None, "last": s.last or None,
        "stances": {names.get(k, k): v for k, v in s.stances.items() if k},
        "no_stance": s.count(None),
    } for s in summaries]
    return json.dumps(data, ensure_ascii=True, indent=2) + "\n"


def dossier_markdown(d: Dossier, stances: Sequence[Stance]) -> str:
    """The dossier as Markdown: the speaker, the stance-over-time table, then every
    statement with its briefing and date (quotes as block quotes; data made safe)."""
    sp = d.speaker
    by_id = {s.id: s for s in stances}
    lines = [f"# {_cell(sp.name)}", ""]
    about = ", ".join(_cell(t) for t in (sp.role, sp.affiliation) if t)
    if about:
        lines += [about, ""]
    if sp.aliases:
        lines += [f"Aliases: {_cell(', '.join(sp.aliases))}", ""]
    lines += [f"{len(d.items)} statement{'s' if len(d.items) != 1 else ''}", ""]
    if d.timeline:
        head = ["period", *(_cell(s.name) for s in stances), "no stance", "total"]
        lines += ["## Stance over time", "", "| " + " | ".join(head) + " |",
                  "|" + " --- |" * len(head)]
        for row in d.timeline:
            cells = [row.label, *(str(row.counts.get(s.id, 0)) for s in stances),
                     str(row.counts.get(NO_STANCE, 0)), str(row.total)]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    lines += ["## Statements", ""]
    for item in d.items:
        published = _cell(item.briefing.published[:10]) or "undated"
        lines += [f"### {published} — {_cell(item.briefing.title)}", ""]
        quote = safe_line(item.highlight.exact)
        lines += [f"> {_cell(quote)}", ""]
        stance = _stance_name(by_id, item.highlight.stance_id)
        if stance:
            lines.append(f"- Stance: {_cell(stance)}")
        if item.topics:
            lines.append("- Topics: " + " ".join(f"#{_cell(t)}" for t in item.topics))
        if item.highlight.note:
            lines.append(f"- Note: {_cell(item.highlight.note)}")
        if item.orphaned:
            lines.append("- Orphaned: its text is gone from the briefing")
        lines.append("")
    return "\n".join(lines)


def dossier_json(d: Dossier, stances: Sequence[Stance]) -> str:
    """The dossier as JSON: speaker, stance over time (counts by stance name), statements."""
    names = {s.id: s.name for s in stances}
    sp = d.speaker
    data: dict[str, Any] = {
        "speaker": {"id": sp.id, "name": sp.name, "role": sp.role,
                    "affiliation": sp.affiliation, "aliases": list(sp.aliases)},
        "stance_over_time": [{
            "period": row.label, "start": row.start.isoformat(),
            "stances": {names.get(k, k): v for k, v in row.counts.items() if k},
            "no_stance": row.counts.get(NO_STANCE, 0), "total": row.total,
        } for row in d.timeline],
        "statements": [{
            "highlight_id": item.id, "briefing_id": item.briefing.id,
            "briefing": item.briefing.title, "published": item.briefing.published or None,
            "start": item.start, "end": item.end, "quote": item.highlight.exact,
            "stance": names.get(item.highlight.stance_id or "") or None,
            "topics": list(item.topics), "note": item.highlight.note,
            "orphaned": item.orphaned,
        } for item in d.items],
    }
    return json.dumps(data, ensure_ascii=True, indent=2) + "\n"
