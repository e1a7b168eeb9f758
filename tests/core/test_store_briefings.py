"""Store: briefings (add, list, resolve, new revisions), speakers, stances and topics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from briefing_tui.core.document import Document, parse_markdown
from briefing_tui.core.models import ANCHORED, ORPHANED, Briefing, BriefingInfo
from briefing_tui.core.store import Store, StoreError, normalize_topic

TEXT = "Officials said the talks were useful but slow. No deal is expected before spring.\n"


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "b.db") as opened:
        yield opened


def add(store: Store, title: str, text: str = TEXT, path: str = "",
        content_hash: str | None = None, fmt: str = "text") -> BriefingInfo:
    return store.add_briefing(title=title, source="Our Wire", published="2025-03-20",
                              url="https://example.org/a", path=path, fmt=fmt,
                              source_text="SOURCE " + text,
                              document=Document(text=text, fmt=fmt),
                              content_hash=content_hash or f"hash-{title}")


def one(store: Store, sql: str, *params: Any) -> Any:
    return store.conn.execute(sql, params).fetchone()


# ----------------------------------------------------------------- briefings


def test_add_and_get_briefing(store: Store, tmp_path: Path) -> None:
    file = tmp_path / "talks.md"
    info = add(store, "Talks stall", path=str(file), fmt="markdown")
    assert (info.title, info.source, info.published, info.url, info.fmt, info.revision) == (
        "Talks stall", "Our Wire", "2025-03-20", "https://example.org/a", "markdown", 1)
    assert info.path == str(file.resolve())
    assert info.imported and info.highlight_count == 0
    got = store.get_briefing(info.id)
    assert isinstance(got, Briefing)
    assert got.source_text == "SOURCE " + TEXT
    assert got.document.text == TEXT and got.document.fmt == "markdown"
    assert got.id == info.id and got.content_hash == "hash-Talks stall"
    stored = one(store, "SELECT reading_text, source_text FROM briefing_texts t"
                        " JOIN briefing_sources USING (briefing_id) WHERE briefing_id = ?", info.id)
    assert stored == (TEXT, "SOURCE " + TEXT)
    with pytest.raises(StoreError, match="no briefing"):
        store.get_briefing("missing")
    with pytest.raises(StoreError, match="no briefing"):
        store.briefing_info("missing")


MARKDOWN = """# Kremlin signals no quick truce

The spokesman said talks were **unlikely** to bring "instant results". Mr. Smith disagreed.

- a [linked](https://example.org) point
- «a quoted point»

> A block quote.
"""


def test_parsed_document_round_trips_through_the_blob(store: Store) -> None:
    document = parse_markdown(MARKDOWN)
    assert document.spans and document.sentences and document.quotations
    info = store.add_briefing(title="T", source="", published="", url="", path="",
                              fmt="markdown", source_text=MARKDOWN, document=document,
                              content_hash="h")
    blob = one(store, "SELECT doc_blob FROM briefing_texts WHERE briefing_id = ?", info.id)[0]
    assert blob == document.to_blob()
    got = store.get_briefing(info.id).document
    assert got == document
    assert (got.spans, got.blocks, got.sentences, got.quotations) == (
        document.spans, document.blocks, document.sentences, document.quotations)


def test_damaged_blob_is_a_clear_error(store: Store) -> None:
    info = store.add_briefing(title="Talks", source="", published="", url="", path="",
                              fmt="markdown", source_text=MARKDOWN,
                              document=parse_markdown(MARKDOWN), content_hash="h")
    store.conn.execute("UPDATE briefing_texts SET doc_blob = ? WHERE briefing_id = ?",
                       (b"\x00junk", info.id))
    with pytest.raises(StoreError) as caught:
        store.get_briefing(info.id)
    assert str(caught.value) == "the stored layout of 'Talks' is damaged; import its file again"


def test_list_briefings_by_title_with_counts(store: Store) -> None:
    zulu = add(store, "zulu report")
    alpha = add(store, "Alpha digest")
    mid = add(store, "mid-week wire")
    for start in (0, 10, 20):
        store.create_highlight(mid.id, start, start + 5)
    orphan = store.create_highlight(alpha.id, 0, 5)
    store.conn.execute("UPDATE highlights SET status = 'orphaned' WHERE id = ?", (orphan.id,))
    listed = store.list_briefings()
    assert [b.title for b in listed] == ["Alpha digest", "mid-week wire", "zulu report"]
    counts = {b.id: (b.highlight_count, b.orphan_count) for b in listed}
    assert counts == {alpha.id: (1, 1), mid.id: (3, 0), zulu.id: (0, 0)}
    assert store.briefing_info(mid.id).highlight_count == 3


def test_list_briefings_counts_in_one_query(store: Store) -> None:
    for n in range(5):
        info = add(store, f"B{n}")
        store.create_highlight(info.id, 0, 4)
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    assert len(store.list_briefings()) == 5
    store.conn.set_trace_callback(None)
    assert len(statements) == 1


def test_find_briefing(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    info = add(store, "Talks", path="talks.md", content_hash="abc")
    assert store.find_briefing(content_hash="abc") == info
    assert store.find_briefing(path=str(tmp_path / "talks.md")) == info
    assert store.find_briefing(path="./talks.md", content_hash="abc") == info
    assert store.find_briefing(path="talks.md", content_hash="other") is None
    assert store.find_briefing(path="elsewhere.md") is None
    assert store.find_briefing() is None


def test_resolve_briefing(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    kremlin = add(store, "Kremlin signals no quick truce", path="kremlin.md")
    press = add(store, "State Department press briefing")
    add(store, "Daily assessment, March 20")
    add(store, "Daily assessment, March 21")
    assert store.resolve_briefing(kremlin.id) == kremlin
    assert store.resolve_briefing(kremlin.id[:8]) == kremlin
    assert store.resolve_briefing(kremlin.id[:6].upper()) == kremlin
    assert store.resolve_briefing("kremlin.md") == kremlin
    assert store.resolve_briefing(str(tmp_path / "kremlin.md")) == kremlin
    assert store.resolve_briefing("PRESS brief") == press
    assert store.resolve_briefing("  truce ") == kremlin
    with pytest.raises(StoreError) as caught:
        store.resolve_briefing("daily")
    daily = sorted((i for i in store.list_briefings() if i.title.startswith("Daily")),
                   key=lambda i: i.title)
    assert str(caught.value) == (
        "'daily' matches 2 briefings; name one by its id: "
        f"{daily[0].id[:8]} “Daily assessment, March 20”, "
        f"{daily[1].id[:8]} “Daily assessment, March 21”")
    with pytest.raises(StoreError) as caught:
        store.resolve_briefing("ceasefire")
    assert str(caught.value) == "no briefing matches 'ceasefire'"
    with pytest.raises(StoreError, match="no briefing matches ''"):
        store.resolve_briefing("")


def test_resolve_prefers_an_exact_title_and_lists_at_most_five(store: Store) -> None:
    exact = add(store, "Talks")
    for n in range(7):
        add(store, f"Talks round {n}")
    assert store.resolve_briefing("talks") == exact
    with pytest.raises(StoreError) as caught:
        store.resolve_briefing("round")
    message = str(caught.value)
    assert message.startswith("'round' matches 7 briefings; name one by its id: ")
    assert message.count("“Talks round") == 5
    assert message.endswith(" “Talks round 4”, and 2 more")


def test_same_titles_are_listed_by_an_id_prefix_that_then_resolves(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = iter(["0123456789ab-one", "0123456789cd-two", "77777777-three"])
    monkeypatch.setattr("briefing_tui.core.store.new_id", lambda: next(ids))
    first, second = add(store, "Russia", content_hash="a"), add(store, "Russia", content_hash="b")
    add(store, "Russian talks: " + "a very long title " * 10, content_hash="c")
    with pytest.raises(StoreError) as caught:
        store.resolve_briefing("Russia")  # two exact titles: the third is not listed
    # Eight characters are not enough here: the prefixes grow until each names one.
    assert str(caught.value) == ("'Russia' matches 2 briefings; name one by its id: "
                                 "0123456789a “Russia”, 0123456789c “Russia”")
    assert store.resolve_briefing("0123456789a") == first
    assert store.resolve_briefing("0123456789c") == second
    with pytest.raises(StoreError) as caught:
        store.resolve_briefing("0123456789")  # an id prefix matching both says so too
    assert "“Russia”, 0123456789c “Russia”" in str(caught.value)
    with pytest.raises(StoreError) as caught:
        store.resolve_briefing("russ")  # fragments: long titles are cut in the message
    message = str(caught.value)
    assert message.startswith("'russ' matches 3 briefings; name one by its id: ")
    assert "77777777 “Russian talks: a very long title a very long title a very…”" in message


def test_ambiguous_titles_are_made_safe_in_the_message(store: Store) -> None:
    for n in range(2):
        add(store, f"Talks\x1b]0;PWNED\x07 \u202e\x9b2J {n}")
    with pytest.raises(StoreError) as caught:
        store.resolve_briefing("talks")
    message = str(caught.value)
    assert "“Talks␛]0;PWNED␇ ��2J 0”" in message
    assert not any(ch in message for ch in "\x1b\x07\x9b\u202e")


def test_short_id_prefix_is_not_an_id(store: Store) -> None:
    info = add(store, "Talks")
    with pytest.raises(StoreError, match="no briefing matches"):
        store.resolve_briefing(info.id[:5])


# ----------------------------------------------------------------- new revisions

NEW_TEXT = ("Breaking: officials said the talks were useful but slow. "
            "No agreement is expected before summer.\n")


def test_update_text_makes_a_revision_and_places_highlights(store: Store) -> None:
    info = add(store, "Talks")
    moved = store.create_highlight(info.id, TEXT.index("useful"), TEXT.index("useful") + 15)
    lost = store.create_highlight(info.id, TEXT.index("No deal"), TEXT.index("No deal") + 7)
    kept = store.create_highlight(info.id, 0, 9)  # "Officials" -> shifts, not in placements
    store.set_note(lost.id, "keep me")
    new_start = NEW_TEXT.index("useful")
    updated = store.update_briefing_text(
        info.id, source_text="SOURCE2", document=Document(text=NEW_TEXT, fmt="text"),
        content_hash="hash-2", title="Talks, updated",
        placements={moved.id: (new_start, new_start + 15), lost.id: None})
    assert (updated.revision, updated.content_hash, updated.title) == (2, "hash-2",
                                                                       "Talks, updated")
    assert updated.source == "Our Wire"  # not given: unchanged
    assert one(store, "SELECT revision, source_text, content_hash FROM revisions"
                      " WHERE briefing_id = ?", info.id) == (1, "SOURCE " + TEXT,
                                                              "hash-Talks")
    got = store.get_briefing(info.id)
    assert got.document.text == NEW_TEXT and got.source_text == "SOURCE2"

    placed = store.highlight(moved.id)
    assert (placed.start, placed.exact, placed.status) == (new_start, "useful but slow",
                                                           ANCHORED)
    assert placed.prefix == NEW_TEXT[max(0, new_start - 32):new_start]
    orphan = store.highlight(lost.id)
    assert (orphan.status, orphan.start, orphan.exact, orphan.note) == (
        ORPHANED, lost.start, "No deal", "keep me")
    # Not placed and its text moved away: orphaned, never left on the wrong words.
    assert store.highlight(kept.id).status == ORPHANED
    assert (updated.highlight_count, updated.orphan_count) == (3, 2)
    # The undo history spoke of the old text.
    assert store.undo(info.id) is None


def test_update_text_keeps_unplaced_highlight_whose_text_is_still_there(store: Store) -> None:
    info = add(store, "Talks")
    text = TEXT + "An added closing line.\n"
    same = store.create_highlight(info.id, 0, 9)
    store.update_briefing_text(info.id, source_text=text, document=Document(text=text),
                               content_hash="h2", placements={})
    assert store.highlight(same.id).status == ANCHORED


def test_update_text_then_create_uses_the_new_text(store: Store) -> None:
    info = add(store, "Talks")
    store.create_highlight(info.id, 0, 9)  # caches the old text
    store.update_briefing_text(info.id, source_text="x", document=Document(text=NEW_TEXT),
                               content_hash="h2")
    assert store.create_highlight(info.id, 0, 8).exact == "Breaking"


def test_bad_placement_changes_nothing(store: Store) -> None:
    info = add(store, "Talks")
    hid = store.create_highlight(info.id, 0, 9).id
    with pytest.raises(StoreError, match="not inside the text"):
        store.update_briefing_text(info.id, source_text="x", document=Document(text="short"),
                                   content_hash="h2", placements={hid: (0, 99)})
    with pytest.raises(StoreError, match="is not in briefing"):
        store.update_briefing_text(info.id, source_text="x", document=Document(text="short"),
                                   content_hash="h2", placements={"other": (0, 2)})
    assert store.briefing_info(info.id).revision == 1
    assert one(store, "SELECT COUNT(*) FROM revisions")[0] == 0
    assert store.get_briefing(info.id).document.text == TEXT
    assert store.undo(info.id) == "create highlight"  # history untouched too


def test_update_unknown_briefing(store: Store) -> None:
    with pytest.raises(StoreError, match="no briefing"):
        store.update_briefing_text("nope", source_text="", document=Document(text="x"),
                                   content_hash="h")


# ----------------------------------------------------------------- speakers


def test_create_speaker_fields_and_aliases(store: Store) -> None:
    speaker = store.create_speaker("  Steve   Witkoff ", role="US special envoy",
                                   aliases=["Witkoff", " Vitkoff ", "witkoff", "", "Steve Witkoff"])
    assert speaker.name == "Steve Witkoff"
    assert speaker.role == "US special envoy"
    assert speaker.aliases == ("Witkoff", "Vitkoff")
    assert json.loads(one(store, "SELECT aliases FROM speakers WHERE id = ?", speaker.id)[0]) == [
        "Witkoff", "Vitkoff"]
    assert store.speaker(speaker.id) == speaker


def test_speaker_names_are_unique_ignoring_case(store: Store) -> None:
    first = store.create_speaker("Dmitry Peskov", role="Kremlin spokesman")
    again = store.create_speaker("dmitry PESKOV")
    assert again == first
    assert one(store, "SELECT COUNT(*) FROM speakers")[0] == 1
    other = store.create_speaker("Reporter Two")
    assert other.id != first.id
    assert [s.name for s in store.speakers()] == ["Dmitry Peskov", "Reporter Two"]


def test_speaker_needs_a_name(store: Store) -> None:
    with pytest.raises(StoreError, match="needs a name"):
        store.create_speaker("   ")
    assert store.speakers() == []


def test_update_speaker(store: Store) -> None:
    peskov = store.create_speaker("Dmitry Peskov")
    store.create_speaker("Sergei Lavrov")
    changed = store.update_speaker(peskov.id, role="Kremlin spokesman",
                                   aliases=["Peskov", "Dmitri Peskov"])
    assert (changed.name, changed.role, changed.aliases) == (
        "Dmitry Peskov", "Kremlin spokesman", ("Peskov", "Dmitri Peskov"))
    assert store.update_speaker(peskov.id, name="dmitry peskov").name == "dmitry peskov"
    with pytest.raises(StoreError, match="already called 'Sergei Lavrov'"):
        store.update_speaker(peskov.id, name="SERGEI LAVROV")
    with pytest.raises(StoreError, match="needs a name"):
        store.update_speaker(peskov.id, name=" ")
    with pytest.raises(StoreError, match="no speaker"):
        store.update_speaker("missing", role="x")
    assert store.speaker(peskov.id).role == "Kremlin spokesman"


def test_find_speaker_by_name_then_alias(store: Store) -> None:
    witkoff = store.create_speaker("Steve Witkoff", aliases=["Vitkoff"])
    assert store.find_speaker("steve witkoff") == witkoff
    assert store.find_speaker("VITKOFF") == witkoff
    assert store.find_speaker("Witkov") is None
    assert store.find_speaker("") is None


# ----------------------------------------------------------------- stances and topics


@pytest.mark.parametrize(("raw", "expected"), [
    ("Ceasefire", "ceasefire"),
    ("#root causes", "root-causes"),
    ("  ##Energy   Security\t", "energy-security"),
    ("# spaced", "spaced"),
    ("already-fine", "already-fine"),
    ("Переговоры", "переговоры"),
    ("   ", ""),
])
def test_normalize_topic(raw: str, expected: str) -> None:
    assert normalize_topic(raw) == expected


def test_topics_listed_sorted_and_unique(store: Store) -> None:
    info = add(store, "Talks")
    first = store.create_highlight(info.id, 0, 9).id
    second = store.create_highlight(info.id, 10, 14).id
    store.set_topics(first, ["Zeta", "alpha"])
    store.set_topics(second, ["#ALPHA", "beta"])
    assert store.topics() == ["alpha", "beta", "zeta"]
    assert one(store, "SELECT COUNT(*) FROM topics")[0] == 3


def test_stance_lookup(store: Store) -> None:
    supports = store.stance_by_key(1)
    assert supports is not None and supports.name == "supports"
    assert store.stance(supports.id) == supports
    with pytest.raises(StoreError, match="no stance"):
        store.stance("missing")


def _long(store: Store) -> tuple[str, str]:
    """A briefing far longer than a head of 64 characters: its id and reading text."""
    source = MARKDOWN + "\n".join(f"Paragraph {n} says \"more\" here." for n in range(200)) + "\n"
    document = parse_markdown(source)
    info = store.add_briefing(title="Long", source="", published="", url="", path="",
                              fmt="markdown", source_text=source, document=document,
                              content_hash="h")
    return info.id, document.text


def test_a_briefing_opened_by_its_head_reads_its_text_on_first_use(tmp_path) -> None:
    with Store(tmp_path / "b.db") as writer:
        briefing_id, text = _long(writer)
    with Store(tmp_path / "b.db") as store:  # a fresh store: nothing cached
        document = store.get_briefing(briefing_id, with_source=False, text_head=64).document
        assert not document.text_loaded
        assert document.length == len(text)
        # what the first screen asks for, answered from the head and the stored layout
        assert document.text_between(0, 60) == text[:60]
        assert list(document.line_starts())[-1] == len(text)
        assert document.spans_in(0, 60)
        assert not document.text_loaded
        # the rest is read when asked for, once
        assert document.text_between(100, 200) == text[100:200]
        assert document.text_loaded and document.text == text
        assert store.get_briefing(briefing_id, text_head=64).document.text_loaded  # cached


def test_a_head_that_is_the_whole_text_needs_no_second_read(tmp_path) -> None:
    with Store(tmp_path / "b.db") as writer:
        briefing_id, text = _long(writer)
    with Store(tmp_path / "b.db") as store:
        document = store.get_briefing(briefing_id, text_head=len(text)).document
        assert document.text_loaded and document.text == text


def test_a_briefing_re_imported_before_its_text_was_read_is_an_error(tmp_path) -> None:
    with Store(tmp_path / "b.db") as writer:
        briefing_id, _ = _long(writer)
    with Store(tmp_path / "b.db") as store, Store(tmp_path / "b.db") as other:
        document = store.get_briefing(briefing_id, text_head=64).document
        changed = parse_markdown("# New\n\nAll new text.\n")
        other.update_briefing_text(briefing_id, source_text="# New", document=changed,
                                   content_hash="h2")
        with pytest.raises(StoreError, match="re-imported while it opened"):
            document.text  # noqa: B018
