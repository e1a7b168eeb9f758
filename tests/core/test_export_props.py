"""Property: for random spans of real documents, every export carries exactly the
reading-text slice — JSON byte for byte, CSV as the neutralised cell of that slice (a
leading formula character gets its "'"), Markdown once rendered back."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing_tui.core.export import to_csv, to_json, to_markdown
from briefing_tui.core.importer import import_paths
from briefing_tui.core.safetext import csv_cell
from briefing_tui.core.store import Store
from tests.core.test_export_escaping import blockquote_text
from tests.corpus import PRESENT, REQUIRED, corpus_files

REPO = Path(__file__).resolve().parents[2]
SAMPLES = sorted(p for p in (REPO / "sample_briefings").iterdir() if p.suffix in {".md", ".txt"})
# The project's samples always; the real briefings too where they are (not in a bare clone).
DOCUMENTS = corpus_files() + SAMPLES


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, list[tuple[str, str]]]:
    store = Store(tmp_path_factory.mktemp("props") / "props.db")
    assert len(SAMPLES) >= 4, SAMPLES
    assert len(DOCUMENTS) >= (8 if PRESENT or REQUIRED else 4), DOCUMENTS  # + 4 real ones
    results = import_paths(store, DOCUMENTS)
    texts = [(r.briefing_id, store.get_briefing(r.briefing_id).document.text) for r in results]
    return store, texts


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_span_exports_as_its_reading_text_slice(imported, data) -> None:
    store, texts = imported
    briefing_id, text = data.draw(st.sampled_from(texts))
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, min(len(text), start + 400)))
    if not text[start:end].strip():
        return  # whitespace-only spans are not quotes anyone exports
    highlight = store.create_highlight(briefing_id, start, end)
    try:
        expected = text[start:end]
        assert highlight.exact == expected

        [annotation] = [a for a in json.loads(to_json(store, [briefing_id]))["first"]["items"]
                        if a["id"].endswith(highlight.id)]
        quote, position = annotation["target"]["selector"]
        assert quote["exact"] == expected
        assert (position["start"], position["end"]) == (start, end)

        rows = list(csv.DictReader(io.StringIO(to_csv(store, [briefing_id]))))
        [row] = [r for r in rows if r["highlight_id"] == highlight.id]
        assert row["quote"] == csv_cell(expected)

        markdown = to_markdown(store, [briefing_id], group_by="order")
        block = [line for line in markdown.split("\n\n") if line.startswith(">")]
        assert len(block) == 1
        rendered = blockquote_text(block[0])
        assert rendered == expected
    finally:
        store.delete_highlight(highlight.id)
