"""The speaker × stance matrix as text: Markdown, CSV and JSON, and its filter.

The counts come from :func:`briefing_tui.core.queries.matrix` (one grouped statement);
this module writes them out for ``briefing-tui matrix``, the library-wide section of
``export --all`` and the matrix screen's filter prompt.

>>> parse_filter("#ceasefire since:2025-03 until:2025-04-30 source:wire")
MatrixFilter(topic='ceasefire', since='2025-03', until='2025-04-30', source='wire', briefing_ids=None)
>>> parse_filter("since:May 31, 2022").since
'2022-05-31'
"""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
from dataclasses import dataclass
from typing import Any

from briefing_tui.core.dates import find_date
from briefing_tui.core.export import escape_markdown_inline
from briefing_tui.core.queries import HighlightQuery, Matrix
from briefing_tui.core.safetext import csv_cell, safe_display, safe_line

__all__ = ["MATRIX_FORMATS", "NO_SPEAKER", "NO_STANCE", "MatrixFilter", "date_arg",
           "matrix_data", "matrix_markdown", "parse_filter", "render"]

MATRIX_FORMATS = ("md", "csv", "json")
NO_SPEAKER = "Unattributed"
NO_STANCE = "no stance"
_PARTIAL_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_KEYS = ("topic", "since", "until", "source")
# Written as \uXXXX in JSON: DEL, C1 controls, bidi and format controls (json.dumps
# escapes C0 itself): lossless, and inert on a terminal.
_JSON_RAW = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u206f\ufff9-\ufffb]")


def date_arg(text: str) -> str:
    """A --since/--until value as an ISO date or its prefix ("2025", "2025-03"); any form
    :func:`~briefing_tui.core.dates.find_date` reads ("May 31, 2022") too. ValueError
    names a value that is none of these."""
    text = text.strip()
    if _PARTIAL_DATE.fullmatch(text):
        return text
    found = find_date(text)
    if not found:
        raise ValueError(f"not a date: {safe_line(text)!r} (use YYYY-MM-DD, YYYY-MM or YYYY)")
    return found


@dataclass(frozen=True)
class MatrixFilter:
    """What the matrix counts: highlights with ``topic``, in briefings dated ``since`` ..
    ``until`` (inclusive, ISO prefixes), whose source holds ``source``, among
    ``briefing_ids``. None: no condition."""

    topic: str | None = None
    since: str | None = None
    until: str | None = None
    source: str | None = None
    briefing_ids: tuple[str, ...] | None = None

    def query(self) -> HighlightQuery:
        """The :class:`HighlightQuery` this filter is."""
        return HighlightQuery(briefing_ids=self.briefing_ids, topic=self.topic,
                              published_from=self.since, published_to=self.until,
                              source=self.source)

    def describe(self) -> str:
        """One line for a header: "#ceasefire · since 2025-03", "whole library"."""
        parts = []
        if self.topic is not None:
            parts.append(f"#{self.topic}")
        for word, value in (("since", self.since), ("until", self.until),
                            ("source", self.source)):
            if value is not None:
                parts.append(f"{word} {value}")
        if self.briefing_ids is not None:
            parts.append(f"{len(self.briefing_ids)} briefings")
        return safe_line(" · ".join(parts) or "whole library")

    def prompt_text(self) -> str:
        """The filter as the prompt reads it back (the inverse of :func:`parse_filter`)."""
        parts = []
        if self.topic is not None:
            parts.append(f"#{self.topic}")
        for key in ("since", "until", "source"):
            value = getattr(self, key)
            if value is not None:
                parts.append(f"{key}:{shlex.quote(value) if ' ' in value else value}")
        return " ".join(parts)


def parse_filter(text: str, briefing_ids: tuple[str, ...] | None = None) -> MatrixFilter:
    """The filter typed in the matrix screen: ``#topic`` (or ``topic:T``), ``since:D``,
    ``until:D``, ``source:S``; quotes keep spaces (``source:"Example Wire"``); a date
    may be written with spaces without quotes when nothing follows it
    (``since:May 31, 2022``). ValueError names what it cannot read."""
    values: dict[str, str] = {}
    try:
        words = shlex.split(text)
    except ValueError:
        raise ValueError("unbalanced quotes in the filter") from None
    i = 0
    while i < len(words):
        word = words[i]
        i += 1
        if word.startswith("#") and len(word) > 1:
            values["topic"] = word[1:]
            continue
        key, sep, value = word.partition(":")
        if not sep or key.lower() not in _KEYS:
            raise ValueError(f"cannot read {safe_line(word)!r}: use #topic, since:, until:,"
                             " source:")
        key = key.lower()
        if key in ("since", "until"):
            # "since:May 31, 2022": the words up to the next key belong to the date.
            while i < len(words) and ":" not in words[i] and not words[i].startswith("#"):
                value += " " + words[i]
                i += 1
            value = date_arg(value)
        if value:
            values[key] = value
    return MatrixFilter(briefing_ids=briefing_ids, **values)


def _names(grid: Matrix) -> tuple[list[str], list[str]]:
    """The column names and the row names, as stored (not yet escaped)."""
    columns = [NO_STANCE if c is None else c.name for c in grid.columns]
    rows = [NO_SPEAKER if r.speaker is None else r.speaker.name for r in grid.rows]
    return columns, rows


def matrix_markdown(grid: Matrix, *, title: str = "", level: int = 1) -> str:
    """A Markdown table under a heading ``title`` (at ``level``): speaker, a column per
    stance, total; a totals row last. Names and the title are escaped so a renderer
    shows them literally; controls are placeholders."""
    def cell(text: str) -> str:
        return escape_markdown_inline(text, single_line=True)

    columns, rows = _names(grid)
    out = [f"{'#' * level} {cell(title)}", ""] if title else []
    if not grid.rows:
        out += ["*No highlights.*", ""]
        return safe_display("\n".join(out))
    out += ["| " + " | ".join(["speaker", *map(cell, columns), "total"]) + " |",
            "| " + " | ".join(["---"] + ["---:"] * (len(columns) + 1)) + " |"]
    for name, row in zip(rows, grid.rows, strict=True):
        out.append("| " + " | ".join([cell(name), *map(str, row.counts), str(row.total)])
                   + " |")
    out.append("| " + " | ".join(["**total**", *map(str, grid.column_totals()),
                                  str(grid.total)]) + " |")
    return safe_display("\n".join(out) + "\n")


def _csv(grid: Matrix) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    columns, rows = _names(grid)
    writer.writerow(map(csv_cell, ["speaker", *columns, "total"]))
    for name, row in zip(rows, grid.rows, strict=True):
        writer.writerow(map(csv_cell, [name, *row.counts, row.total]))
    return buffer.getvalue()


def matrix_data(grid: Matrix) -> dict[str, Any]:
    """The matrix as JSON-ready data: ``columns`` (stance names, then "no stance"),
    ``rows`` (``speaker``, ``speaker_id``, ``counts`` by column, ``total``), ``total``."""
    columns, rows = _names(grid)
    return {
        "columns": columns,
        "rows": [{"speaker": name, "speaker_id": row.speaker.id if row.speaker else None,
                  "counts": dict(zip(columns, row.counts, strict=True)), "total": row.total}
                 for name, row in zip(rows, grid.rows, strict=True)],
        "total": grid.total,
    }


def _json(grid: Matrix, filters: MatrixFilter) -> str:
    data: dict[str, Any] = {
        "filter": {k: getattr(filters, k) for k in _KEYS if getattr(filters, k) is not None},
        **matrix_data(grid),
    }
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def render(grid: Matrix, fmt: str = "md", filters: MatrixFilter | None = None) -> str:
    """The matrix in ``fmt`` ("md", "csv" or "json"); safe to print as it is."""
    filters = filters or MatrixFilter()
    if fmt == "md":
        return matrix_markdown(grid, title=f"Speaker × stance: {filters.describe()}")
    if fmt == "csv":
        return _csv(grid)
    if fmt == "json":
        return _json(grid, filters)
    raise ValueError(f"unknown format {fmt!r} (md, csv or json)")
