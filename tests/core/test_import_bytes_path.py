"""A big Markdown file is imported without its text ever being one Python string (a string
of a text with one emoji takes 4 bytes a character): the file is decoded and normalised a
run of lines at a time, its body rendered a piece at a time to UTF-8, and the reading text,
source and layout handed to SQLite as bytes. What is stored is exactly what the
whole-string path stores (reading text, its head, the layout blob with sentences,
quotations and line starts, the source text, the title and date, the search index), for
hostile, astral, CRLF/BOM/tab/no-break-space inputs; errors say the same."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from briefing_tui.core import importer, markdown_render
from briefing_tui.core.document import Document, normalize, split_front_matter
from briefing_tui.core.errors import ImportRefused
from briefing_tui.core.importer import import_paths, read_source
from briefing_tui.core.lines import line_starts
from briefing_tui.core.schema import READING_HEAD
from briefing_tui.core.store import Store
from tests.hostile import PAYLOAD

LONG_LINE = " ".join(["word"] * 1500)  # past the layout's MAX_LINE: cut into pieces


def body(parts: int = 90) -> str:
    return "".join(
        f"# Part {n} ☕ 🙂\n\nThe envoy said “we are close to a deal” 🙂 — день {n}. "
        f"Mr. Smith agreed. 𝕏 𝒜 {PAYLOAD} and [a link](http://x.example/{n}).\n\n"
        f"- item *one* {n}\n- item **two**\n\n> quoted “words” here.\n\n"
        f"| a | b |\n|---|---|\n| {n} | 😀 |\n\nTrailing&nbsp;\n\n"
        + (LONG_LINE + "\n\n" if n % 10 == 3 else "")
        for n in range(parts))


PLAIN = "---\ntitle: Café 🙂 talks\ndate: 2024-05-01\n---\n" + body()
# Needs normalising: BOM, CRLF and lone CR, tabs, no-break-space indentation, a line
# separator, a decomposed é (NFC composes it), a BOM in the middle (kept).
MESSY = ("\ufeff" + "# Top\r\n\r\nStated 12 March 2024.\r\n\r\n" + body().replace(
    "\n", "\r\n").replace("agreed.", "agreed.\tTab\u00a0here\u2028next, cafe\u0301.")
    + "\r\n\u00a0\u00a0indented\r\rold mac\r\n\ufeffmid BOM\r\n")
# No heading in the first blocks: the title is the first line (from the head).
NO_HEADING = "Lead line of the wire, 3 June 2024.\n\n" + body()
# Nothing to show at its very end but blanks and an empty heading.
BLANK_END = body() + "\n\n#\n\n&nbsp;\n"

INPUTS = {"plain": PLAIN, "messy": MESSY, "no_heading": NO_HEADING, "blank_end": BLANK_END}


def small(monkeypatch) -> None:
    """Pieces, runs and heads far smaller than the inputs: the bytes path in full."""
    monkeypatch.setattr(importer, "SOURCE_CHUNK", 64)
    monkeypatch.setattr(markdown_render, "PIECE_CHARS", 300)
    monkeypatch.setattr(markdown_render, "HEAD_CHARS", READING_HEAD)


def whole(monkeypatch) -> None:
    """Everything in one piece: the whole-string path."""
    monkeypatch.setattr(importer, "SOURCE_CHUNK", 1 << 40)
    monkeypatch.setattr(markdown_render, "PIECE_CHARS", 1 << 40)
    monkeypatch.setattr(markdown_render, "HEAD_CHARS", 1 << 40)


def snapshot(db: Path) -> dict:
    with sqlite3.connect(db) as con:
        texts = con.execute(
            "SELECT reading_head, doc_blob, reading_text, source_text, typeof(reading_text),"
            " typeof(source_text) FROM briefing_texts JOIN briefing_sources USING (briefing_id)"
            ).fetchall()
        meta = con.execute("SELECT title, published FROM briefings").fetchall()
        # The index agrees with the stored text (FTS5 re-tokenises it to check).
        con.execute("INSERT INTO briefing_texts_fts(briefing_texts_fts)"
                    " VALUES('integrity-check')")
        hits = [con.execute("SELECT rowid, snippet(briefing_texts_fts, 0, '[', ']', '…', 6)"
                            " FROM briefing_texts_fts WHERE briefing_texts_fts MATCH ?",
                            (q,)).fetchall() for q in ("envoy", "день", "smith AND deal")]
    return {"texts": texts, "meta": meta, "hits": hits}


def import_file(tmp_path: Path, name: str, raw: bytes, monkeypatch) -> tuple[dict, int]:
    """Import ``raw`` into a fresh database; what is stored and how often a document's
    whole text was made a string during the import."""
    made = 0
    read_text = Document._read_text

    def counting(self: Document) -> str:
        nonlocal made
        made += 1
        return read_text(self)

    folder = tmp_path / name
    folder.mkdir()
    path = folder / "a.md"
    path.write_bytes(raw)
    db = folder / "b.db"
    with Store(db) as store:
        monkeypatch.setattr(Document, "_read_text", counting)
        [result] = import_paths(store, [path])
        monkeypatch.setattr(Document, "_read_text", read_text)
        assert result.action == "added"
    return snapshot(db), made


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_the_bytes_path_stores_what_the_whole_string_path_stores(
        tmp_path: Path, name: str, monkeypatch) -> None:
    raw = INPUTS[name].encode()
    whole(monkeypatch)
    expected, _ = import_file(tmp_path, "whole", raw, monkeypatch)
    small(monkeypatch)
    got, made = import_file(tmp_path, "pieces", raw, monkeypatch)
    assert made == 0  # the reading text was never one string on the way in
    assert got == expected
    [(head, _blob, text, _source, kind, source_kind)] = got["texts"]
    assert kind == source_kind == "text" and text.startswith(head) and "🙂" in text
    assert got["hits"][0] and got["meta"][0][0]


def test_the_layout_found_piece_by_piece_is_that_of_the_whole_text(monkeypatch) -> None:
    monkeypatch.setattr(markdown_render, "PIECE_CHARS", 300)
    monkeypatch.setattr(markdown_render, "HEAD_CHARS", 100)
    for text in INPUTS.values():
        src = split_front_matter(normalize(text))[1]
        rendered = markdown_render.render_markdown_utf8(src.encode())
        assert len(list(markdown_render.pieces(src))) > 5
        reading = rendered.utf8.decode()
        assert rendered.length == len(reading) and reading.startswith(rendered.head)
        assert list(rendered.packed.line_starts(str)) == line_starts(reading)


def test_a_read_text_after_the_import_comes_from_the_store(tmp_path: Path,
                                                             monkeypatch) -> None:
    small(monkeypatch)
    path = tmp_path / "a.md"
    path.write_bytes(PLAIN.encode())
    with Store(tmp_path / "b.db") as store:
        src = read_source(path)
        document = src.parse()
        assert not document.text_loaded and document.text_utf8 is not None
        info = store.add_briefing(title="t", source="", published="", url="", path=str(path),
                                  fmt="markdown", source_text=src.take_source(),
                                  document=document, content_hash=src.content_hash)
        assert document.text_utf8 is None  # handed to SQLite: its only copy
        stored = store.get_briefing(info.id).document.text
        assert document.text == stored and len(stored) == document.length


def test_the_head_kept_covers_what_the_store_and_the_title_read() -> None:
    assert markdown_render.HEAD_CHARS >= READING_HEAD


@pytest.mark.parametrize("raw, message", [
    ("# A\n\n" + "é" * 100 + "\n\ntext\n" * 50, None),
    ("# A\n\n" + "text\n\n" * 40 + "bad \xff byte\n", "not valid UTF-8 (byte 0xff at offset"),
    ("---\ntitle: x\n---\n" + " \n\n" * 60, "no text to read after the front matter"),
    ("\ufeff" + " \n\t\n" * 60, "empty file"),
])
def test_reading_a_big_file_by_runs_of_lines_says_what_reading_it_whole_says(
        tmp_path: Path, raw: str, message: str | None, monkeypatch) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(raw.encode("utf-8", "surrogateescape")
                     if "\xff" not in raw else raw.replace("\xff", "").encode()
                     .replace(b"bad  byte", b"bad \xff byte"))
    outcomes = []
    for chunk in (1 << 40, 16):
        monkeypatch.setattr(importer, "SOURCE_CHUNK", chunk)
        try:
            src = read_source(path)
            outcomes.append((src.source, src.body_start, src.meta, src.content_hash))
        except ImportRefused as exc:
            outcomes.append(str(exc))
    assert outcomes[0] == outcomes[1]
    if message is not None:
        assert message in outcomes[0]


@pytest.mark.parametrize("front, body_text", [
    ("---\ntitle: Ünï 🙂\n---\n", "é🙂 " * 100_000),          # closed early: read from the head
    ("---\ntitle: x\n" + "k: é🙂\n" * 20_000 + "---\n", "text"),  # closed past the head: none
])
def test_front_matter_is_found_in_the_head_as_in_the_whole_text(
        tmp_path: Path, front: str, body_text: str) -> None:
    path = tmp_path / "a.md"
    path.write_bytes((front + body_text).encode())
    src = read_source(path)
    meta, body = split_front_matter(front + body_text)
    assert src.source[src.body_start:].decode() == body
    assert src.meta["title"] == (meta.get("title") or "")
