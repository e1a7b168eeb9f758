"""A briefing's date: front matter, else a date its text states near the top, else none
(never the file's mtime); every form stored as ISO 8601 (core/dates.py, the importer)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefing_tui.core.dates import TOP_CHARS, date_near_top, find_date
from briefing_tui.core.importer import import_paths
from briefing_tui.core.store import Store


@pytest.mark.parametrize(("line", "iso"), [
    ("Department Press Briefing – May 31, 2022", "2022-05-31"),
    ("Thursday, February 20, 2025", "2025-02-20"),
    ("Sept. 3 2021", "2021-09-03"),
    ("Posted on March 1st, 2024", "2024-03-01"),
    ("31 May 2022", "2022-05-31"),
    ("Published 2025-02-20 20:00", "2025-02-20"),
    ("17.04.2022, 21:40", "2022-04-17"),
    ("17 квітня 2022 року", "2022-04-17"),
    ("1 січня 2023", "2023-01-01"),
    ("24 лютого 2022", "2022-02-24"),
    ("5 листопада 2021", "2021-11-05"),
    ("3 марта 2021 г.", "2021-03-03"),
    ("12 декабря 2020", "2020-12-12"),
    ("9 мая 2019", "2019-05-09"),
    ("Квітень: 2 квітень 2022", "2022-04-02"),   # the nominative, as some datelines write it
    ("30 ИЮНЯ 2020", "2020-06-30"),              # any case
])
def test_each_form_reads_as_iso(line: str, iso: str) -> None:
    assert find_date(line) == iso


@pytest.mark.parametrize("line", [
    "February 30, 2025",       # no such day
    "2025-13-01",              # no such month
    "31 квітня 2022",          # April has 30 days
    "v1.2.2022-beta",          # a version, not a date
    "in 2022 and May",
    "",
])
def test_no_date_or_an_impossible_one_gives_nothing(line: str) -> None:
    assert find_date(line) == ""


def test_the_leftmost_date_wins_and_an_invalid_one_is_skipped() -> None:
    assert find_date("2024-01-05 (updated 3 March 2024)") == "2024-01-05"
    assert find_date("February 30, 2025 — no, 1 March 2025") == "2025-03-01"


def test_only_the_top_of_the_text_counts() -> None:
    body = "\n\n".join(f"Paragraph {n} of the body, without any date." for n in range(40))
    assert date_near_top(f"Title\n\n{body}\n\nSigned on 4 May 2021.") == ""
    assert date_near_top("x" * TOP_CHARS + " May 4, 2021") == ""
    assert date_near_top("Звернення Президента\n\n17 квітня 2022 року\n\n" + body) == "2022-04-17"


def _import(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / "in" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (1_600_000_000, 1_600_000_000))  # 2020-09-13: must never become the date
    with Store(tmp_path / "d.db") as store:
        result = import_paths(store, [path])[0]
        return store.briefing_info(result.briefing_id).published


@pytest.mark.parametrize(("name", "text", "iso"), [
    ("uk.md", "# Звернення Президента\n\n17 квітня 2022 року\n\nУкраїнці!\n", "2022-04-17"),
    ("ru.md", "# Заявление\n\n*3 марта 2021 г.*\n\nТекст заявления.\n", "2021-03-03"),
    ("en.md", "# Remarks\n\nFebruary 20, 2025\n\nGood afternoon.\n", "2025-02-20"),
    ("iso.txt", "Daily update\n\nThe text begins. Posted 2025-02-20.\n", "2025-02-20"),
    ("wire.txt", ("Talks resume in Riyadh. Delegations met on Monday.\n\n"
                  "KYIV, 17 квітня 2022 — more text.\n"), "2022-04-17"),
    ("none.md", "# No date\n\nJust text.\n", ""),
])
def test_import_stores_the_date_the_text_states_never_the_mtime(
        tmp_path: Path, name: str, text: str, iso: str) -> None:
    assert _import(tmp_path, name, text) == iso


def test_front_matter_wins_over_the_text(tmp_path: Path) -> None:
    text = "---\ntitle: T\npublished: 2024-12-01\n---\n\n# T\n\nMay 31, 2022\n"
    assert _import(tmp_path, "fm.md", text) == "2024-12-01"
