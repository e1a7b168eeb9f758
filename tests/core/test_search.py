"""Search across briefings (issue 13.5): English, Cyrillic, quotes and notes, ranked, with
exact offsets; the index follows import, re-import, delete, undo and purge; hostile query
syntax is text, never an FTS5 error; the migration indexes an older database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing_tui.core import search as search_module
from briefing_tui.core.importer import import_paths
from briefing_tui.core.schema import MIGRATIONS, _migration_9
from briefing_tui.core.search import SearchHit, fts_query, search
from briefing_tui.core.store import LIBRARY, Store

ROUBLE = """---
title: Rouble zone in the south
source: Example Wire
published: 2025-03-20
---

Officials said the rouble will become the only currency in the occupied districts.

Observers call it a slow occupation by paperwork.
"""
UKRAINIAN = """---
title: Звернення президента
published: 2022-04-17
---

Ми бачимо спроби рубльової окупації Херсонщини. Відповідь буде.
"""
TRUCE = """---
title: Kremlin and the truce
source: Test Wire
published: 2025-03-18
---

Peskov said a truce is not on the table. The ceasefire talks go on in Riyadh.
"""


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, text in (("rouble.md", ROUBLE), ("uk.md", UKRAINIAN), ("truce.md", TRUCE)):
        out[name] = tmp_path / name
        out[name].write_text(text, encoding="utf-8")
    return out


@pytest.fixture
def store(tmp_path: Path, files: dict[str, Path]) -> Iterator[Store]:
    with Store(tmp_path / "b.db") as opened:
        import_paths(opened, list(files.values()))
        yield opened


def text_of(store: Store, hit: SearchHit) -> str:
    return store.get_briefing(hit.briefing_id).document.text


def titles(hits: list[SearchHit]) -> list[str]:
    return [hit.title for hit in hits]


def test_english_words_are_found_with_the_exact_place_and_a_snippet(store: Store) -> None:
    hits = search(store, "rouble occupation")
    assert titles(hits) == ["Rouble zone in the south"]
    hit = hits[0]
    assert hit.kind == "text" and hit.date == "2025-03-20"
    assert text_of(store, hit)[hit.start:hit.end].lower() in {"rouble", "occupation"}
    assert all(hit.snippet[a:b].lower() in {"rouble", "occupation"} for a, b in hit.marks)
    assert "\n" not in hit.snippet


def test_stemming_finds_other_forms_of_a_word(store: Store) -> None:
    [hit] = search(store, "occupations")
    assert text_of(store, hit)[hit.start:hit.end] in {"occupied", "occupation"}


def test_cyrillic_is_found_where_it_is(store: Store) -> None:
    [hit] = search(store, "окупації")
    assert hit.title == "Звернення президента"
    assert text_of(store, hit)[hit.start:hit.end] == "окупації"
    assert "рубльової окупації" in hit.snippet


def test_a_quoted_phrase_stays_a_phrase(store: Store) -> None:
    [hit] = search(store, '"ceasefire talks"')
    assert text_of(store, hit)[hit.start:hit.end] == "ceasefire talks"
    assert search(store, '"talks ceasefire"') == []


def test_all_words_are_required_unless_or(store: Store) -> None:
    assert search(store, "rouble Peskov") == []
    assert sorted(titles(search(store, "rouble OR Peskov"))) == [
        "Kremlin and the truce", "Rouble zone in the south"]


def test_notes_are_found_and_open_at_their_highlight(store: Store) -> None:
    bid = store.resolve_briefing("Kremlin and the truce").id
    text = store.get_briefing(bid).document.text
    start = text.index("a truce")
    highlight = store.create_highlight(bid, start, start + 7)
    store.set_note(highlight.id, "contradicts the Witkoff timeline")
    [hit] = search(store, "witkoff")
    assert (hit.kind, hit.highlight_id) == ("note", highlight.id)
    assert (hit.start, hit.end) == (start, start + 7)
    assert hit.snippet[slice(*hit.marks[0])] == "Witkoff"
    store.set_note(highlight.id, "")
    assert search(store, "witkoff") == []


def test_a_quote_hit_points_at_the_match_inside_the_quote(store: Store) -> None:
    bid = store.resolve_briefing("Kremlin and the truce").id
    text = store.get_briefing(bid).document.text
    start = text.index("The ceasefire")
    highlight = store.create_highlight(bid, start, start + len("The ceasefire talks"))
    quote = [h for h in search(store, "ceasefire") if h.kind == "quote"]
    assert [h.highlight_id for h in quote] == [highlight.id]
    assert text[quote[0].start:quote[0].end] == "ceasefire"


def test_a_reimport_replaces_the_old_words_with_the_new(store: Store,
                                                        files: dict[str, Path]) -> None:
    assert search(store, "Riyadh")
    files["truce.md"].write_text(TRUCE.replace("in Riyadh", "in Jeddah"), encoding="utf-8")
    import_paths(store, [files["truce.md"]])
    assert search(store, "Riyadh") == []
    [hit] = search(store, "Jeddah")
    assert text_of(store, hit)[hit.start:hit.end] == "Jeddah"


def test_deleted_briefings_are_not_found_until_undone_and_purge_cleans_up(
        store: Store) -> None:
    bid = store.resolve_briefing("Rouble zone in the south").id
    highlight = store.create_highlight(bid, 0, 8)
    store.set_note(highlight.id, "rouble note")
    store.delete_briefing(bid)
    assert search(store, "rouble") == []
    store.undo(LIBRARY)
    assert {h.kind for h in search(store, "rouble")} == {"text", "note"}
    store.delete_briefing(bid)
    assert store.purge_deleted("9999-12-31T00:00:00.000+00:00") == 1
    assert search(store, "rouble") == []
    for table in ("briefing_texts_fts", "highlights_fts"):  # no entry left behind
        store.conn.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")


@pytest.mark.parametrize("query", [
    '"', '"unclosed phrase', "-", "NOT", "AND OR", "(", ")", "*", "a:b", "NEAR(a b)",
    "^start", "col:rouble", "rouble -occupation", "'; DROP TABLE briefings; --", "\x1b[2J",
    "OR rouble OR", "rouble*", '"rouble"" zone', "\u202erouble",
])
def test_hostile_query_syntax_never_raises(store: Store, query: str) -> None:
    hits = search(store, query)
    assert all(isinstance(hit, SearchHit) for hit in hits)
    assert store.conn.execute("SELECT COUNT(*) FROM briefings").fetchone()[0] == 3


def test_query_words_are_quoted_for_fts5() -> None:
    assert fts_query('rouble "slow occupation" occup*') == (
        '"rouble" "slow occupation" "occup" *')
    assert fts_query('say "he said ""no""" ab"c') == '"say" "he said" "no" "ab c"'
    assert fts_query("OR OR") == "" and fts_query("  ") == ""
    assert fts_query("AND NEAR") == '"AND" "NEAR"'


def test_a_limit_caps_the_hits_and_ranks_best_first(store: Store,
                                                    tmp_path: Path) -> None:
    often = tmp_path / "often.md"
    often.write_text("# Truce, truce, truce\n\nThe truce held; the truce holds.\n",
                     encoding="utf-8")
    import_paths(store, [often])
    hits = search(store, "truce")
    assert hits[0].title == "Truce, truce, truce"
    assert [h.rank for h in hits] == sorted(h.rank for h in hits)
    assert len(search(store, "truce", limit=1)) == 1
    assert search(store, "truce", limit=0) == []


def test_a_match_the_windows_miss_is_marked_by_fts5_over_the_whole_text(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_module, "MAX_WINDOWS", 0)
    [hit] = search(store, "Riyadh")
    assert text_of(store, hit)[hit.start:hit.end] == "Riyadh"


def test_a_text_holding_the_marker_characters_is_marked_right(store: Store,
                                                              tmp_path: Path) -> None:
    odd = tmp_path / "odd.txt"
    odd.write_text("Marker \x02 and \x03 here.\n\nThe word kompromat here.\n", encoding="utf-8")
    import_paths(store, [odd])
    [hit] = search(store, "kompromat")
    assert text_of(store, hit)[hit.start:hit.end] == "kompromat"


def test_the_migration_indexes_an_older_database(tmp_path: Path,
                                                 files: dict[str, Path]) -> None:
    class Before(Store):
        MIGRATIONS = MIGRATIONS[:MIGRATIONS.index(_migration_9)]

    db = tmp_path / "old.db"
    with Before(db) as old:
        import_paths(old, list(files.values()))
        bid = old.resolve_briefing("Kremlin and the truce").id
        hid = old.create_highlight(bid, 0, 6).id
        # Raw SQL: today's set_note reads columns of later migrations (highlights.reviewed).
        with old.conn:
            old.conn.execute("UPDATE highlights SET note = ? WHERE id = ?",
                             ("checked by Olena", hid))
    with Store(db) as store:
        assert titles(search(store, "окупації")) == ["Звернення президента"]
        assert [h.kind for h in search(store, "Olena")] == ["note"]
        # Run again (as under another number after a merge): nothing changes, no error.
        _migration_9(store.db)
        assert [h.kind for h in search(store, "Olena")] == ["note"]
        store.conn.execute("INSERT INTO highlights_fts(highlights_fts) VALUES ('integrity-check')")
