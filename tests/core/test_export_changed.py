"""Exports keep a changed highlight (re-anchored onto edited text) with a marker: the
quote as marked, next to the new text, in Markdown, JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from briefing_tui.core.export import to_csv, to_json, to_markdown
from briefing_tui.core.importer import import_paths
from briefing_tui.core.store import Store

TEXT = ("# One month in\n\nToday, the adviser said the sanctions campaign has undermined the "
        "talks, and the budget office will report next week on the cost.\n")
OLD = "the sanctions campaign has undermined the talks"
NEW = "the sanctions campaign has not undermined the talks"
KEPT = "the budget office will report next week"


@pytest.fixture
def store(tmp_path: Path):
    path = tmp_path / "month.md"
    path.write_text(TEXT, encoding="utf-8")
    with Store(tmp_path / "b.db") as opened:
        [result] = import_paths(opened, [path])
        text = opened.get_briefing(result.briefing_id).document.text
        for quote in (OLD, KEPT):
            opened.create_highlight(result.briefing_id, text.index(quote),
                                    text.index(quote) + len(quote))
        path.write_text(TEXT.replace("has undermined", "has not undermined"), encoding="utf-8")
        import_paths(opened, [path])
        assert opened.briefing_info(result.briefing_id).changed_count == 1
        yield opened


def test_markdown_marks_the_changed_highlight_with_the_quote_as_marked(store: Store) -> None:
    markdown = to_markdown(store, group_by="order")
    assert f"> {NEW}" in markdown and f"> {KEPT}" in markdown
    assert markdown.count("- Changed:") == 1
    assert f"- Changed: the text now differs; marked as: {OLD}" in markdown
    # the marker belongs to the changed item, not the other one
    assert markdown.index(NEW) < markdown.index("- Changed:") < markdown.index(KEPT)


def test_json_has_changed_from_on_the_changed_annotation_only(store: Store) -> None:
    items = json.loads(to_json(store))["first"]["items"]
    by_quote = {a["target"]["selector"][0]["exact"]: a for a in items}
    assert by_quote[NEW]["changedFrom"] == OLD
    assert "changedFrom" not in by_quote[KEPT]


def test_csv_has_a_changed_from_column(store: Store) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(store))))
    by_quote = {r["quote"]: r for r in rows}
    assert by_quote[NEW]["changed_from"] == OLD
    assert by_quote[KEPT]["changed_from"] == ""
