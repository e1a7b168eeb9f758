"""Importer: files and folders -> briefings; refusals leave the database untouched."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from briefing_tui.core import anchoring, importer
from briefing_tui.core.importer import (
    ImportRefused,
    import_paths,
    simple_reanchor,
)
from briefing_tui.core.models import ANCHORED, ORPHANED
from briefing_tui.core.store import Store
from tests.corpus import CORPUS, needs_corpus

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "sample_briefings"

ANALYSIS = """\
---
title: Kremlin signals no quick truce
source: Example Wire
published: 2025-03-20
url: https://example.org/truce
---

# A heading that is not the title

Kremlin spokesman Dmitry Peskov said the talks would not bring "instant results".
"""


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "db" / "briefings.db"


@pytest.fixture()
def store(db_path: Path):
    s = Store(db_path)
    yield s
    s.close()


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def db_snapshot(db_path: Path) -> tuple[str, str]:
    """(sha256 of the closed database file, sha256 of a full SQL dump)."""
    conn = sqlite3.connect(db_path)
    try:
        dump = "\n".join(conn.iterdump())
    finally:
        conn.close()
    return (hashlib.sha256(db_path.read_bytes()).hexdigest(),
            hashlib.sha256(dump.encode()).hexdigest())


# --------------------------------------------------------------------------- refusals

def _refusals(tmp: Path) -> dict[str, tuple[list[Path], str]]:
    """name -> (paths to import, a fragment the one-line message must hold)."""
    empty_dir = tmp / "empty_dir"
    empty_dir.mkdir(parents=True)
    no_briefings = tmp / "no_briefings"
    write(no_briefings / "report.pdf", b"%PDF-1.4")
    write(no_briefings / ".hidden.md", "# hidden")
    good = write(tmp / "good.md", "# Good\n\nA fine briefing.\n")
    return {
        "missing": ([tmp / "nope.md"], "no such file or folder"),
        "empty folder": ([empty_dir], "no briefings"),
        "folder without briefings": ([no_briefings], "no briefings"),
        "binary": ([write(tmp / "bin.txt", b"abc\x00\x01\x02")], "binary file"),
        "invalid utf-8": ([write(tmp / "latin.txt", "caf\u00e9 au lait".encode("cp1252"))],
                          "not valid UTF-8 (byte 0xe9 at offset 3)"),
        "empty": ([write(tmp / "empty.md", "")], "empty file"),
        "whitespace only": ([write(tmp / "blank.txt", " \n\t\n  \n")], "empty file"),
        "front matter only": ([write(tmp / "fm.md", "---\ntitle: X\n---\n\n")],
                              "no text to read"),
        "unsupported extension": ([write(tmp / "notes.docx", "hello")],
                                  "unsupported file type '.docx'"),
        "good then bad": ([good, write(tmp / "bad.txt", b"\xff\xfe")], "bad.txt"),
    }


@pytest.mark.parametrize("case", [
    "missing", "empty folder", "folder without briefings", "binary", "invalid utf-8",
    "empty", "whitespace only", "front matter only", "unsupported extension", "good then bad",
])
def test_refusal_is_one_line_and_leaves_database_untouched(tmp_path: Path, db_path: Path,
                                                           case: str) -> None:
    with Store(db_path) as s:
        import_paths(s, [SAMPLES])
    before = db_snapshot(db_path)
    paths, fragment = _refusals(tmp_path / "inputs")[case]
    with Store(db_path) as s:
        count = len(s.list_briefings())
        with pytest.raises(ImportRefused) as info:
            import_paths(s, paths)
        assert len(s.list_briefings()) == count
    message = str(info.value)
    assert "\n" not in message
    assert fragment in message
    assert db_snapshot(db_path) == before


def test_invalid_utf8_names_file_and_offset_and_hints_encoding(tmp_path: Path, store) -> None:
    bad = write(tmp_path / "latin.txt", b"Line one\nna\xefve\n")
    with pytest.raises(ImportRefused) as info:
        import_paths(store, [bad])
    message = str(info.value)
    assert str(bad) in message
    assert "offset 11" in message
    assert "--encoding" in message


def test_encoding_option_decodes_the_file(tmp_path: Path, store) -> None:
    src = write(tmp_path / "latin.txt", "Café talks\n\nThe naïve plan.\n".encode("cp1252"))
    [result] = import_paths(store, [src], encoding="cp1252")
    assert result.action == "added"
    assert result.title == "Café talks"
    assert "naïve" in store.get_briefing(result.briefing_id).document.text


def test_unknown_encoding_is_refused(tmp_path: Path, store) -> None:
    src = write(tmp_path / "a.txt", "hello")
    with pytest.raises(ImportRefused, match="unknown encoding: klingon"):
        import_paths(store, [src], encoding="klingon")
    assert store.list_briefings() == []


def test_utf16_with_encoding_is_not_mistaken_for_binary(tmp_path: Path, store) -> None:
    src = write(tmp_path / "wide.txt", "Wide title\n\nBody text.\n".encode("utf-16"))
    with pytest.raises(ImportRefused, match="binary"):
        import_paths(store, [src])
    [result] = import_paths(store, [src], encoding="utf-16")
    assert result.title == "Wide title"


def test_special_file_is_refused(tmp_path: Path, store) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(ImportRefused, match="not a regular file"):
        import_paths(store, [fifo])


def test_nothing_given_is_refused(store) -> None:
    with pytest.raises(ImportRefused, match="nothing to import"):
        import_paths(store, [])


# --------------------------------------------------------------------------- metadata

def test_front_matter_metadata(tmp_path: Path, store) -> None:
    [result] = import_paths(store, [write(tmp_path / "a.md", ANALYSIS)])
    info = store.briefing_info(result.briefing_id)
    assert (info.title, info.source, info.published, info.url) == (
        "Kremlin signals no quick truce", "Example Wire", "2025-03-20", "https://example.org/truce")
    assert info.fmt == "markdown"
    briefing = store.get_briefing(result.briefing_id)
    assert briefing.source_text.startswith("---\ntitle:")
    assert "title:" not in briefing.document.text
    assert info.content_hash == hashlib.sha256(briefing.source_text.encode()).hexdigest()


def test_date_and_source_url_aliases(tmp_path: Path, store) -> None:
    text = "---\ndate: 2024-01-02\nsource_url: https://x.example/a\ntitle: T\n---\nBody.\n"
    [result] = import_paths(store, [write(tmp_path / "a.md", text)])
    info = store.briefing_info(result.briefing_id)
    assert (info.published, info.url) == ("2024-01-02", "https://x.example/a")


@needs_corpus
def test_white_house_folded_title_from_corpus(store) -> None:
    [result] = import_paths(store, [CORPUS / "wh_briefing_2025-02-20_leavitt_waltz.md"])
    info = store.briefing_info(result.briefing_id)
    assert info.title == (
        "Press Briefing by Press Secretary Karoline Leavitt, Deputy Chief of Staff Stephen "
        "Miller, National Economic Council Director Kevin Hassett, and National Security "
        "Advisor Mike Waltz")
    assert info.published == "2025-02-20"
    assert info.url.startswith("https://www.whitehouse.gov/remarks/2025/02/press-briefing-by")


def test_titles_without_front_matter(tmp_path: Path, store) -> None:
    results = import_paths(store, [
        write(tmp_path / "h.md", "*A lead-in note.*\n\n# The Real Title\n\nText.\n"),
        write(tmp_path / "p.md", "First line\n\nTwo.\n\nThree.\n\n# A section, not a title\n"),
        write(tmp_path / "t.txt", "\n\n  Wire headline here  \n\nDetails\n\nBody text.\n"),
    ])
    assert [r.title for r in results] == [
        "The Real Title", "First line", "Wire headline here"]


def test_long_first_line_is_stored_whole(tmp_path: Path, store) -> None:
    line = " ".join(["word"] * 60)  # 299 characters
    [result] = import_paths(store, [write(tmp_path / "long.txt", line + "\n\nBody.\n")])
    assert result.title == store.briefing_info(result.briefing_id).title == line
    assert importer.TITLE_MAX >= 1000  # only a line that never ends is cut


def test_lede_title_is_its_first_sentence_whole(tmp_path: Path, store) -> None:
    lede = ("Moscow's aims in the conflict are at odds with the stated goal of the allies of "
            "achieving a durable settlement along the whole of the eastern border.")
    text = f"{lede} This is said in a report, an agency writes.\n\nDetails\n\nBody.\n"
    [result] = import_paths(store, [write(tmp_path / "wire.txt", text)])
    info = store.briefing_info(result.briefing_id)
    assert info.title == lede
    assert (info.source, info.published) == ("", "")


def test_transcript_byline_and_dateline_become_metadata(tmp_path: Path, store) -> None:
    text = ("Ministry Press Briefing – June 3, 2021\n\nJane Roe, Ministry Spokesperson\n\n"
            "BRUSSELS, BELGIUM\n\nMS ROE: Good afternoon.\n\nQUESTION: Thanks.\n")
    [result] = import_paths(store, [write(tmp_path / "t.txt", text)])
    briefing = store.get_briefing(result.briefing_id)
    assert briefing.title == "Ministry Press Briefing – June 3, 2021"
    assert briefing.source == "Jane Roe, Ministry Spokesperson; BRUSSELS, BELGIUM"
    assert briefing.published == "2021-06-03"
    assert "\nJane Roe, Ministry Spokesperson\n" in briefing.document.text  # text untouched
    # A changed file (a new revision) finds them again.
    [again] = import_paths(store, [write(tmp_path / "t.txt", text + "\nMS ROE: Bye.\n")])
    assert again.action == "updated"
    assert store.briefing_info(again.briefing_id).source.startswith("Jane Roe")


def test_front_matter_is_not_read_for_bylines(tmp_path: Path, store) -> None:
    text = "---\ntitle: Given\n---\n\n# Heading\n\nJane Roe, Spokesperson\n\nText.\n"
    [result] = import_paths(store, [write(tmp_path / "a.md", text)])
    info = store.briefing_info(result.briefing_id)
    assert (info.title, info.source, info.published) == ("Given", "", "")


@needs_corpus
def test_corpus_titles(store) -> None:
    results = import_paths(store, [CORPUS])
    titles = {Path(r.path).name: r.title for r in results}
    assert set(titles) == {"seed_isw_peskov_unn.txt", "state_dpb_2022-05-31_price.txt",
                           "wh_briefing_2025-02-20_leavitt_waltz.md",
                           "zelensky_address_2022-04-17_uk.md"}  # README.md is skipped
    assert titles["state_dpb_2022-05-31_price.txt"] == "Department Press Briefing – May 31, 2022"
    assert titles["seed_isw_peskov_unn.txt"] == (
        "Russia's goals in its war against Ukraine are incompatible with US President Donald "
        "Trump's goal of achieving a lasting peace in Ukraine.")
    price = store.briefing_info(next(r.briefing_id for r in results
                                     if r.path.endswith("state_dpb_2022-05-31_price.txt")))
    assert price.source == "Ned Price, Department Spokesperson; WASHINGTON, D.C."
    assert price.published == "2022-05-31"
    assert titles["zelensky_address_2022-04-17_uk.md"].startswith(
        "Відповіддю на спробу «рубльової окупації»")


def test_samples_import_with_their_metadata(store) -> None:
    results = import_paths(store, [SAMPLES])
    assert len(results) >= 4
    by_name = {Path(r.path).name: store.briefing_info(r.briefing_id) for r in results}
    analysis = by_name["kremlin-signals-no-quick-truce.md"]
    assert analysis.source and analysis.published == "2025-03-20" and analysis.url
    assert by_name["ministry-press-briefing-2025-03-18.txt"].fmt == "text"
    ukrainian = by_name["zelensky-rouble-occupation-uk.md"]
    assert ukrainian.published == "2022-04-17"
    assert "«рубльову окупацію»" in ukrainian.title


def test_sample_briefings_have_the_promised_shape() -> None:
    files = sorted(p for p in SAMPLES.iterdir() if not p.name.startswith("."))
    assert len(files) >= 4
    for p in files:
        assert 2000 <= p.stat().st_size <= 6144, p.name
    analysis = (SAMPLES / "kremlin-signals-no-quick-truce.md").read_text()
    for needle in ("\ntitle:", "\nsource:", "\npublished:", "\nurl:", "Witkoff", "Vitkoff",
                   "\n## ", "\n- ", "\n| --- |", "\n> "):
        assert needle in analysis, needle
    transcript = (SAMPLES / "ministry-press-briefing-2025-03-18.txt").read_text()
    assert transcript.count("\nQUESTION:") >= 5 and "\nMR. HALE:" in transcript
    wire = (SAMPLES / "us-warns-of-kherson-annexation-plans.txt").read_text()
    assert "\nDetails\n" in wire and "\nBackground\n" in wire
    ukrainian = (SAMPLES / "zelensky-rouble-occupation-uk.md").read_text()
    assert ukrainian.count("«") >= 5


# --------------------------------------------------------------------------- folders

def test_folder_is_recursive_sorted_and_skips_hidden_and_readme(tmp_path: Path, store) -> None:
    root = tmp_path / "briefings"
    write(root / "b.txt", "B title\n\nText.\n")
    write(root / "a.md", "# A title\n\nText.\n")
    write(root / "sub" / "c.markdown", "# C title\n\nText.\n")
    write(root / ".git" / "x.md", "# hidden\n")
    write(root / ".draft.md", "# hidden draft\n")
    write(root / "README.md", "# About this folder\n")
    write(root / "notes.pdf", b"%PDF")
    results = import_paths(store, [root])
    assert [Path(r.path).relative_to(root).as_posix() for r in results] == [
        "a.md", "b.txt", "sub/c.markdown"]
    assert [r.action for r in results] == ["added"] * 3


def test_explicit_readme_is_imported(tmp_path: Path, store) -> None:
    [result] = import_paths(store, [write(tmp_path / "README.md", "# Readme briefing\n\nx\n")])
    assert result.action == "added"


def test_same_file_twice_is_imported_once(tmp_path: Path, store) -> None:
    f = write(tmp_path / "a.md", "# A\n\nText.\n")
    results = import_paths(store, [f, tmp_path, str(f)])
    assert len(results) == 1
    assert len(store.list_briefings()) == 1


# --------------------------------------------------------------------------- re-import

def test_reimport_unchanged_is_a_no_op(tmp_path: Path, db_path: Path) -> None:
    f = write(tmp_path / "a.md", ANALYSIS)
    with Store(db_path) as s:
        [first] = import_paths(s, [f])
    before = db_snapshot(db_path)
    with Store(db_path) as s:
        [again] = import_paths(s, [f])
        assert again.action == "unchanged"
        assert again.briefing_id == first.briefing_id
        assert s.briefing_info(first.briefing_id).revision == 1
    assert db_snapshot(db_path) == before


def test_same_content_under_another_path_is_unchanged(tmp_path: Path, store) -> None:
    [first] = import_paths(store, [write(tmp_path / "a.md", ANALYSIS)])
    [copy] = import_paths(store, [write(tmp_path / "copy" / "a.md", ANALYSIS)])
    assert copy.action == "unchanged"
    assert copy.briefing_id == first.briefing_id
    assert len(store.list_briefings()) == 1


def test_crlf_and_bom_variants_hash_the_same(tmp_path: Path, store) -> None:
    [first] = import_paths(store, [write(tmp_path / "a.md", ANALYSIS)])
    variant = b"\xef\xbb\xbf" + ANALYSIS.replace("\n", "\r\n").encode()
    [second] = import_paths(store, [write(tmp_path / "b.md", variant)])
    assert second.action == "unchanged" and second.briefing_id == first.briefing_id


def test_changed_file_updates_and_reanchors_highlights(tmp_path: Path, store) -> None:
    f = write(tmp_path / "a.md", ANALYSIS)
    [first] = import_paths(store, [f])
    text = store.get_briefing(first.briefing_id).document.text
    quote = "instant results"
    kept = store.create_highlight(first.briefing_id, text.index(quote),
                                  text.index(quote) + len(quote))
    doomed_quote = "Dmitry Peskov"
    doomed = store.create_highlight(first.briefing_id, text.index(doomed_quote),
                                    text.index(doomed_quote) + len(doomed_quote))
    store.set_note(kept.id, "keep me")

    changed = ANALYSIS.replace("# A heading", "A new opening paragraph.\n\n# A heading")
    changed = changed.replace("Dmitry Peskov", "the spokesman")
    write(f, changed)
    [result] = import_paths(store, [f])
    assert (result.action, result.briefing_id) == ("updated", first.briefing_id)
    assert (result.reanchored, result.orphaned) == (1, 1)

    new_text = store.get_briefing(first.briefing_id).document.text
    moved = store.highlight(kept.id)
    assert moved.status == ANCHORED
    assert new_text[moved.start:moved.end] == quote
    assert moved.start > kept.start
    assert moved.note == "keep me"
    assert store.highlight(doomed.id).status == ORPHANED
    assert store.briefing_info(first.briefing_id).revision == 2
    # and a second import of the changed file is a no-op again
    [again] = import_paths(store, [f])
    assert again.action == "unchanged"


def test_reimport_uses_diff_guided_anchoring_when_present(tmp_path: Path, store,
                                                          monkeypatch) -> None:
    f = write(tmp_path / "a.txt", "Title\n\nalpha beta gamma\n")
    [first] = import_paths(store, [f])
    old_text = store.get_briefing(first.briefing_id).document.text
    h = store.create_highlight(first.briefing_id, old_text.index("beta"),
                               old_text.index("beta") + 4)
    calls = []

    def fake_all(old, new, highlights):
        calls.append((old, new, list(highlights)))
        return {hid: None for hid, *_ in highlights}

    monkeypatch.setattr(anchoring, "reanchor_all", fake_all, raising=False)
    write(f, "Title\n\nalpha beta gamma delta\n")
    [result] = import_paths(store, [f])
    [(old, new, highlights)] = calls
    assert old == old_text and "delta" in new
    assert highlights == [(h.id, h.start, h.end, "beta", h.prefix, h.suffix)]
    assert (result.reanchored, result.orphaned) == (0, 1)
    assert store.highlight(h.id).status == ORPHANED


def test_reimport_falls_back_to_per_highlight_strategies(tmp_path: Path, store,
                                                         monkeypatch) -> None:
    f = write(tmp_path / "a.txt", "Title\n\nalpha beta gamma\n")
    [first] = import_paths(store, [f])
    text = store.get_briefing(first.briefing_id).document.text
    h = store.create_highlight(first.briefing_id, text.index("beta"), text.index("beta") + 4)
    monkeypatch.delattr(anchoring, "reanchor_all", raising=False)
    calls = []

    def fake(new_text, exact, prefix, suffix, old_start, old_end):
        calls.append((exact, old_start, old_end))

    monkeypatch.setattr(anchoring, "reanchor", fake, raising=False)
    write(f, "Title\n\nalpha beta gamma delta\n")
    [result] = import_paths(store, [f])
    assert calls == [("beta", h.start, h.end)]
    assert result.orphaned == 1
    # and with no anchoring module support at all, the simple fallback finds it
    monkeypatch.delattr(anchoring, "reanchor")
    write(f, "Title\n\nNew line.\n\nalpha beta gamma delta epsilon\n")
    [result] = import_paths(store, [f])
    moved = store.highlight(h.id)
    assert (result.reanchored, result.orphaned, moved.status) == (1, 0, ANCHORED)
    assert moved.start == h.start + len("New line.\n\n")


# --------------------------------------------------------------------------- fallback

def test_simple_reanchor_keeps_an_unmoved_quote() -> None:
    assert simple_reanchor("one two three", "two", "one ", " three", 4, 7) == (4, 7)


def test_simple_reanchor_picks_the_repeat_with_matching_context() -> None:
    text = "He said no. Later she said no. Then he said no again."
    # originally the second "said no" (after "she "), now shifted
    new = "Intro. " + text
    start = text.index("she said no") + 4
    assert simple_reanchor(new, "said no", "Later she ", ". Then", start, start + 7) == (
        new.index("she said no") + 4, new.index("she said no") + 11)


def test_simple_reanchor_ties_go_to_the_nearest_occurrence() -> None:
    text = "x ab x ab x ab"
    assert simple_reanchor(text, "ab", "", "", 8, 10) == (7, 9)


def test_simple_reanchor_missing_quote_is_none() -> None:
    assert simple_reanchor("nothing here", "gone", "", "", 0, 4) is None
    assert simple_reanchor("nothing here", "", "", "", 0, 0) is None


# --------------------------------------------------------------------------- size

def test_large_file_imports(tmp_path: Path, store) -> None:
    paragraph = ("Officials said the talks would continue next week, and that \"progress\" "
                 "was possible. ") * 10 + "\n\n"
    big = tmp_path / "big.txt"
    with big.open("w", encoding="utf-8") as fh:
        fh.write("Big briefing\n\n")
        for _ in range(60_000):  # ~50 MB: the size the spec promises
            fh.write(paragraph)
    [result] = import_paths(store, [big])
    assert result.action == "added"
    assert result.title == "Big briefing"
    assert len(store.get_briefing(result.briefing_id).document.text) > 50_000_000
    assert import_paths(store, [big])[0].action == "unchanged"
