"""Dates a briefing's text states, as ISO 8601.

A briefing's date is its ``published`` front matter; else the date its text states near
its top (a title "Department Press Briefing – May 31, 2022", a dateline "17 квітня
2022 року"); else none. Never the file's modification time. :func:`date_near_top` finds
that date, :func:`find_date` the first date of one line.

Forms read: "May 31, 2022" / "Sept. 3 2021", "31 May 2022", "2025-02-20", "17.04.2022"
(day first, as Europe writes it), and day, month, year with Ukrainian or Russian month
names, nominative or genitive ("17 квітня 2022", "3 марта 2021 г.").

>>> find_date("Department Press Briefing – May 31, 2022")
'2022-05-31'
>>> find_date("17 квітня 2022 року, 21:40")
'2022-04-17'
>>> date_near_top("Звернення\\n\\n3 марта 2021 г.\\n\\nТекст.")
'2021-03-03'
>>> date_near_top("No date here at all.")
''
"""

from __future__ import annotations

import re
from datetime import date

__all__ = ["TOP_CHARS", "date_near_top", "find_date"]

# "Near the top": the title, byline and dateline, not a date the body mentions later.
TOP_CHARS = 1500
TOP_LINES = 12

_ENGLISH = (
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
    ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
    ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
    ("december", "dec"))
# Nominative and genitive ("квітень", "17 квітня"); Russian, then Ukrainian.
_CYRILLIC = (
    ("январь", "января", "січень", "січня"),
    ("февраль", "февраля", "лютий", "лютого"),
    ("март", "марта", "березень", "березня"),
    ("апрель", "апреля", "квітень", "квітня"),
    ("май", "мая", "травень", "травня"),
    ("июнь", "июня", "червень", "червня"),
    ("июль", "июля", "липень", "липня"),
    ("август", "августа", "серпень", "серпня"),
    ("сентябрь", "сентября", "вересень", "вересня"),
    ("октябрь", "октября", "жовтень", "жовтня"),
    ("ноябрь", "ноября", "листопад", "листопада"),
    ("декабрь", "декабря", "грудень", "грудня"))

MONTHS: dict[str, int] = {name: n for table in (_ENGLISH, _CYRILLIC)
                          for n, names in enumerate(table, start=1) for name in names}
_EN = "|".join(sorted((n for names in _ENGLISH for n in names), key=len, reverse=True))
_ALL = "|".join(sorted(MONTHS, key=len, reverse=True))
# (?<!\w) / (?!\w) rather than \b: the same on both sides of Cyrillic and Latin letters.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"(?<!\w)({_EN})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\w)",
                re.IGNORECASE), "mdy"),
    (re.compile(rf"(?<!\w)(\d{{1,2}})\s+({_ALL})\.?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE),
     "dmy"),
    (re.compile(r"(?<![\w.-])(\d{4})-(\d{2})-(\d{2})(?!\d)"), "ymd"),
    (re.compile(r"(?<![\w.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d.]\d)"), "dmy"),
)


def _valid(parts: dict[str, str]) -> str:
    month = parts["m"]
    number = int(month) if month.isdigit() else MONTHS.get(month.lower(), 0)
    try:
        return date(int(parts["y"]), number, int(parts["d"])).isoformat()
    except ValueError:
        return ""


def _dates(text: str) -> list[tuple[int, str]]:
    """Every valid date in ``text`` with where it starts."""
    found = []
    for pattern, order in _PATTERNS:
        for m in pattern.finditer(text):
            iso = _valid(dict(zip(order, m.groups(), strict=True)))
            if iso:
                found.append((m.start(), iso))
    return found


def find_date(line: str) -> str:
    """The first valid date written in ``line`` (the leftmost), as ISO; else ""."""
    found = _dates(line)
    return min(found)[1] if found else ""


def date_near_top(text: str) -> str:
    """The first date the text states in its first lines (at most :data:`TOP_LINES`
    non-blank lines and :data:`TOP_CHARS` characters), as ISO; else ""."""
    head = text[:TOP_CHARS]
    lines = [line for line in head.splitlines() if line.strip()][:TOP_LINES]
    return find_date("\n".join(lines))
