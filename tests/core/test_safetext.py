"""Text from data made safe: placeholders for controls, inert CSV cells, a hostile
corpus through import and every export format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from briefing_tui.core.export import CSV_COLUMNS, to_csv, to_json, to_markdown
from briefing_tui.core.importer import import_paths
from briefing_tui.core.safetext import (
    CSV_FORMULA_PREFIXES,
    READER_TABLE,
    csv_cell,
    safe_display,
    safe_line,
)
from briefing_tui.core.store import Store
from tests.hostile import (
    FORMULAS,
    PAYLOAD,
    PLACEHOLDERS,
    TITLE_MARK,
    UNSAFE,
    annotate_hostile,
    write_hostile,
)

CONTROLS = [chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]]
BIDI = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]


# ------------------------------------------------------------------ safe_display / line

@pytest.mark.parametrize("char", [c for c in CONTROLS if c not in "\n\t"] + BIDI)
def test_every_control_and_bidi_becomes_one_visible_cell(char: str) -> None:
    shown = safe_display(f"a{char}b")
    assert len(shown) == 3 and shown[0] == "a" and shown[2] == "b"
    assert UNSAFE.search(shown) is None
    assert shown[1].isprintable() and cell_len(shown[1]) == 1
    assert safe_line(f"a{char}b") == ("a b" if char == "\r" else shown)


def test_c0_shows_its_control_picture_and_c1_bidi_the_replacement_character() -> None:
    assert safe_display("\x1b]0;x\x07\x00\x7f") == "␛]0;x␇␀␡"
    assert safe_display("\x9b2J\u202eab\u2066") == "\ufffd2J\ufffdab\ufffd"


def test_multi_line_keeps_newline_and_tab_one_line_does_not() -> None:
    assert safe_display("a\nb\tc") == "a\nb\tc"
    assert safe_line("a\nb\tc\u2028d\u2029e\r") == "a b c d e "


def test_plain_text_and_legitimate_unicode_pass_unchanged() -> None:
    text = "Péskov — «мир» 中文 😀 a\u200db \u200f"  # ZWJ and RLM marks are not overrides
    assert safe_display(text) == text
    assert safe_line(text) == text
    assert UNSAFE.search(text) is None


@given(st.text())
def test_safe_display_removes_every_unsafe_character_one_for_one(text: str) -> None:
    shown = safe_display(text)
    assert len(shown) == len(text)
    assert UNSAFE.search(shown) is None
    assert "\r" not in shown
    line = safe_line(text)
    assert len(line) == len(text)
    assert UNSAFE.search(line) is None and not any(c in line for c in "\n\r\t\u2028\u2029")


def test_reader_table_draws_placeholders_and_keeps_a_row_width() -> None:
    row = "a\x1bb\x9bc\u202ed\n"
    drawn = row.translate(READER_TABLE)
    assert drawn == "a␛b\ufffdcd "
    assert UNSAFE.search(drawn) is None


# ------------------------------------------------------------------------- CSV cells

@pytest.mark.parametrize("prefix", CSV_FORMULA_PREFIXES)
def test_every_formula_prefix_is_neutralised(prefix: str) -> None:
    cell = csv_cell(f"{prefix}1+1")
    assert isinstance(cell, str) and cell.startswith("'")
    assert "\r" not in cell


@pytest.mark.parametrize("formula", FORMULAS)
def test_formulas_after_spaces_are_neutralised_too(formula: str) -> None:
    assert str(csv_cell("  " + formula)).startswith("'")


def test_csv_cell_leaves_numbers_and_plain_text_alone() -> None:
    assert csv_cell(12) == 12
    assert csv_cell("") == ""
    assert csv_cell("Peskov said 5 - 3") == "Peskov said 5 - 3"
    assert csv_cell("line one\nline two") == "line one\nline two"


def test_csv_cell_writes_no_control_raw() -> None:
    assert csv_cell("a\x00b\x1b[2Jc\x9b") == "a␀b␛[2Jc\ufffd"


# ------------------------------------------------------------------ hostile corpus

@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Store, str, Path]:
    store = Store(tmp_path / "briefings.db")
    path = write_hostile(tmp_path)
    [result] = import_paths(store, [path])
    annotate_hostile(store, result.briefing_id)
    yield store, result.briefing_id, path
    store.close()


def test_import_makes_reading_text_and_metadata_safe_and_keeps_the_source(
        hostile: tuple[Store, str, Path]) -> None:
    store, briefing_id, path = hostile
    info = store.briefing_info(briefing_id)
    for value in (info.title, info.source, info.url, info.published):
        assert UNSAFE.search(value) is None, value
    assert "␛]0;" + TITLE_MARK in info.title  # shown, not dropped
    text = store.get_briefing(briefing_id).document.text
    assert UNSAFE.search(text) is None
    assert "␛]52;c;" in text and "\ufffd2J" in text
    # The stored source stays byte-exact: the file as written.
    assert store.source_text(briefing_id) == path.read_text(encoding="utf-8")
    assert "\x1b]52;c;" in store.source_text(briefing_id)


def test_reimporting_the_unchanged_hostile_file_changes_nothing(
        hostile: tuple[Store, str, Path]) -> None:
    store, briefing_id, path = hostile
    [again] = import_paths(store, [path])
    assert again.action == "unchanged" and again.briefing_id == briefing_id


def test_markdown_export_has_no_control(hostile: tuple[Store, str, Path]) -> None:
    store, briefing_id, _ = hostile
    for ids in ([briefing_id], None):
        for group_by in ("speaker", "stance", "order"):
            text = to_markdown(store, ids, group_by=group_by)
            assert UNSAFE.search(text) is None and "\r" not in text
            assert any(mark in text for mark in PLACEHOLDERS)


def test_json_export_is_lossless_and_escapes_every_control(
        hostile: tuple[Store, str, Path]) -> None:
    store, briefing_id, _ = hostile
    text = to_json(store, [briefing_id])
    assert UNSAFE.search(text) is None
    data = json.loads(text)
    notes = {item["body"]["note"] for item in data["first"]["items"]}
    speakers = {item["body"]["speaker"]["name"] for item in data["first"]["items"]}
    stored = store.highlights(briefing_id)
    # Lossless: the stored typed input comes back exactly, controls and all.
    assert notes == {h.note for h in stored}
    assert any(PAYLOAD in note for note in notes)
    assert speakers == {store.speaker(h.speaker_id).name for h in stored}


def test_every_csv_cell_is_inert(hostile: tuple[Store, str, Path]) -> None:
    store, briefing_id, _ = hostile
    text = to_csv(store, [briefing_id])
    assert UNSAFE.search(text) is None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == list(CSV_COLUMNS)
    assert len(rows) == 1 + len(store.highlights(briefing_id))
    neutralised = set()
    for row in rows[1:]:
        for column, cell in zip(CSV_COLUMNS, row, strict=True):
            assert not cell.lstrip(" ").startswith(CSV_FORMULA_PREFIXES), (column, cell)
            assert "\r" not in cell and UNSAFE.search(cell) is None, (column, cell)
            if cell.startswith("'"):
                neutralised.add(column)
    # The corpus puts a formula first in each of these columns; each was neutralised.
    assert {"briefing", "quote", "speaker", "topics", "note"} <= neutralised
