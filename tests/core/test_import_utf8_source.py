"""The importer keeps a file's normalised text as UTF-8 (a Python string of a text with one
emoji takes 4 bytes a character) and stores it as SQLite text straight from those bytes:
what is stored is the same text, of type text, on import and re-import, also for a file
read with another codec or changed by normalising; big bodies are decoded piece by piece."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from briefing_tui.core import markdown_render
from briefing_tui.core.document import normalize
from briefing_tui.core.importer import import_paths, read_source
from briefing_tui.core.store import Store

FRONT = "---\ntitle: Café 🙂 talks\n---\n"
LATIN = "---\ntitle: Café talks\n---\n"
BODY = "".join(f"# Part {n} ☕\n\nThe envoy said “we are close” 🙂 — день {n}.\n\n"
               for n in range(60))


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    return tmp_path / "b.db"


def stored(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT typeof(source_text), source_text FROM briefing_sources"
                           ).fetchall()


@pytest.mark.parametrize("raw, encoding, front", [
    ((FRONT + BODY).encode(), None, FRONT),                 # the file's own bytes
    (("\ufeff" + FRONT + BODY).replace("\n", "\r\n").encode(), None, FRONT),  # normalised
    ((LATIN + BODY.replace("🙂", ":)").replace("☕", "c").replace("день", "day")
      .replace("“", '"').replace("”", '"').replace("—", "-")).encode("cp1252"), "cp1252", LATIN),
])
def test_the_stored_source_is_the_normalised_text_as_sqlite_text(
        tmp_path: Path, db: Path, raw: bytes, encoding: str | None, front: str,
        monkeypatch) -> None:
    monkeypatch.setattr(markdown_render, "PIECE_CHARS", 200)  # several pieces
    path = tmp_path / "a.md"
    path.write_bytes(raw)
    expected = normalize(raw.decode(encoding or "utf-8"))
    src = read_source(path, encoding=encoding)
    assert src.text == expected and src.body == expected[len(front):]
    with Store(db) as store:
        [result] = import_paths(store, [path], encoding=encoding)
        text = store.get_briefing(result.briefing_id).document.text
    assert stored(db) == [("text", expected)]
    assert text.startswith("Part 0") and "Part 59" in text

    # A re-import stores the new text the same way (an update, not an insert).
    path.write_bytes(raw.replace(b"Part 7", b"Part VII"))
    with Store(db) as store:
        [again] = import_paths(store, [path], encoding=encoding)
        assert again.action == "updated"
    assert stored(db) == [("text", expected.replace("Part 7", "Part VII"))]
