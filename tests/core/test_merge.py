"""Merging another analyst's database (#15.2): matching, conflicts, idempotence, one
transaction, refusals, the other file untouched."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from briefing_tui.core.document import parse_text
from briefing_tui.core.merge import conflicts, merge, resolve_conflict
from briefing_tui.core.search import search
from briefing_tui.core.store import Store, StoreError

REPO = Path(__file__).resolve().parents[2]
TEXT_A = ("The envoy said talks would resume on Monday. Moscow rejected the plan outright. "
          "Kyiv called the offer a trap. Washington urged both sides to keep talking.")
TEXT_B = "A second briefing. It has two sentences."
TEXT_C = "Only Bob imported this one. It is new to Alice."


def add(store: Store, text: str, title: str, *, path: str = "") -> str:
    return store.add_briefing(title=title, source="", published="", url="", path=path,
                              fmt="text", source_text=text, document=parse_text(text),
                              content_hash=hashlib.sha256(text.encode()).hexdigest()).id


def span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def team(tmp_path: Path) -> dict[str, object]:
    """Alice codes a briefing, Bob gets a copy of her file; then both work on."""
    alice_db, bob_db = tmp_path / "alice.db", tmp_path / "bob.db"
    with Store(alice_db, analyst="alice") as alice:
        bid = add(alice, TEXT_A, "Talks")
        add(alice, TEXT_B, "Second")
        witkoff = alice.create_speaker("Steve Witkoff", aliases=["Vitkoff"])
        shared = alice.create_highlight(bid, *span(TEXT_A, "talks would resume on Monday"))
        alice.set_speaker(shared.id, witkoff.id)
        untouched = alice.create_highlight(bid, *span(TEXT_A, "Kyiv called the offer a trap"))
    shutil.copy(alice_db, bob_db)
    with Store(alice_db, analyst="alice") as alice:
        alice.set_note(shared.id, "alice thinks: a date was promised")
        mine = alice.create_highlight(bid, *span(TEXT_A, "Moscow rejected the plan"))
        supports = alice.stance_by_key(1)
        assert supports is not None
        alice.set_stance(mine.id, supports.id)
    with Store(bob_db, analyst="bob") as bob:
        opposes = bob.stance_by_key(2)
        assert opposes is not None
        bob.set_stance(shared.id, opposes.id)  # edited on both sides: the conflict
        overlap = bob.create_highlight(bid, *span(TEXT_A, "Moscow rejected the plan outright"))
        vit = bob.create_speaker("vitkoff ")  # a name Alice has as an alias
        bob.set_speaker(overlap.id, vit.id)
        bob.set_topics(overlap.id, ["ceasefire"])
        own = bob.create_highlight(bid, *span(TEXT_A, "Washington urged both sides"))
        cid = add(bob, TEXT_C, "Bob's own")
        new = bob.create_highlight(cid, 0, 18)
    return {"alice": alice_db, "bob": bob_db, "bid": bid, "shared": shared.id,
            "untouched": untouched.id, "mine": mine.id, "overlap": overlap.id,
            "own": own.id, "new": new.id, "witkoff": witkoff.id}


def test_merge_holds_both_sides_one_conflict_both_names(team) -> None:
    bob_before = sha(team["bob"])
    with Store(team["alice"], analyst="alice") as alice:
        report = merge(alice, team["bob"])
        assert report.added["highlights"] == 3  # overlap, own, new
        assert report.added["briefings"] == 1
        [bobs] = [b.id for b in alice.list_briefings() if b.title == "Bob's own"]
        assert alice.source_text(bobs) == TEXT_C  # its source came with it
        assert [h.briefing_id for h in search(alice, "imported") if h.kind == "text"] == [bobs]
        alice.conn.execute("INSERT INTO briefing_texts_fts(briefing_texts_fts)"
                           " VALUES ('integrity-check')")
        assert report.added["topics"] == 1
        assert report.added["speakers"] == 0  # "vitkoff" is Alice's Steve Witkoff
        assert report.conflicts == 1 and report.open_conflicts == 1
        ids = {h.id for b in alice.list_briefings() for h in alice.highlights(b.id)}
        assert {team[k] for k in ("shared", "untouched", "mine", "overlap", "own", "new")} <= ids
        assert alice.highlight(team["overlap"]).speaker_id == team["witkoff"]
        assert alice.highlight(team["overlap"]).topics == ("ceasefire",)
        makers = {r[0] for r in alice.conn.execute("SELECT created_by FROM highlights")}
        changers = {r[0] for r in alice.conn.execute("SELECT updated_by FROM highlights")}
        assert makers | changers == {"alice", "bob"}
        [conflict] = conflicts(alice)
        assert conflict.highlight_id == team["shared"]
        assert conflict.mine["note"] == "alice thinks: a date was promised"
        assert conflict.mine["stance_id"] is None
        assert conflict.theirs["note"] == "" and conflict.theirs["stance_id"] is not None
        assert conflict.theirs["updated_by"] == "bob"
        # nothing overwritten: Alice's version stays in place
        assert alice.highlight(team["shared"]).note.startswith("alice thinks")
    assert sha(team["bob"]) == bob_before  # the other file is never changed


def test_merging_again_changes_no_byte(team) -> None:
    with Store(team["alice"], analyst="alice") as alice:
        merge(alice, team["bob"])
    before = dump(team["alice"])
    with Store(team["alice"], analyst="alice") as alice:
        report = merge(alice, team["bob"])
        assert not report.changed and report.open_conflicts == 1
    assert dump(team["alice"]) == before


def test_dry_run_changes_nothing_and_reports_the_same(team) -> None:
    before = dump(team["alice"])
    with Store(team["alice"], analyst="alice") as alice:
        dry = merge(alice, team["bob"], dry_run=True)
        assert dry.added["highlights"] == 3 and dry.conflicts == 1
        assert any("dry run" in line for line in dry.lines())
    assert dump(team["alice"]) == before
    with Store(team["alice"], analyst="alice") as alice:
        real = merge(alice, team["bob"])
    assert (real.added, real.conflicts) == (dry.added, dry.conflicts)


def test_resolve_keeps_mine_or_theirs_and_the_next_merge_agrees(team) -> None:
    with Store(team["alice"], analyst="alice") as alice:
        merge(alice, team["bob"])
        [conflict] = conflicts(alice)
        with pytest.raises(StoreError):
            resolve_conflict(alice, conflict.id[:8], "both")
        resolve_conflict(alice, conflict.id[:8], "theirs")
        shared = alice.highlight(team["shared"])
        assert shared.note == "" and shared.stance_id is not None
        assert conflicts(alice) == []
        again = merge(alice, team["bob"])
        assert again.conflicts == 0 and again.open_conflicts == 0


def test_three_way_one_sided_changes_are_no_conflicts(team) -> None:
    with Store(team["alice"], analyst="alice") as alice:
        merge(alice, team["bob"])
        resolve_conflict(alice, conflicts(alice)[0].id, "mine")
    with Store(team["bob"], analyst="bob") as bob:  # Bob changes one Alice did not touch
        bob.set_note(team["untouched"], "bob: a trap indeed")
    with Store(team["alice"], analyst="alice") as alice:
        alice.set_note(team["own"], "alice: noted")  # Alice changes one Bob made
        report = merge(alice, team["bob"])
        assert (report.updated_highlights, report.conflicts) == (1, 0)
        assert alice.highlight(team["untouched"]).note == "bob: a trap indeed"
        assert alice.highlight(team["untouched"]).updated_by == "bob"
        assert alice.highlight(team["own"]).note == "alice: noted"
        assert alice.highlight(team["shared"]).note.startswith("alice thinks")  # kept mine


def test_briefings_match_by_content_hash_and_take_the_newer_text(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db", analyst="alice") as alice:
        a_bid = add(alice, TEXT_A, "Talks")
        a_h = alice.create_highlight(a_bid, *span(TEXT_A, "Kyiv called the offer a trap"))
    with Store(tmp_path / "b.db", analyst="bob") as bob:  # imported on his own: another id
        b_bid = add(bob, TEXT_A, "Talks")
        newer = "Breaking: a new first line. " + TEXT_A
        bob.update_briefing_text(b_bid, source_text=newer, document=parse_text(newer),
                                 content_hash="newer")
        b_h = bob.create_highlight(b_bid, *span(newer, "Washington urged"))
    with Store(tmp_path / "a.db", analyst="alice") as alice:
        report = merge(alice, tmp_path / "b.db")
        assert report.added["briefings"] == 0 and report.reanchored_briefings == 1
        briefing = alice.get_briefing(a_bid)
        assert briefing.content_hash == "newer" and briefing.revision == 2
        assert briefing.source_text == "Breaking: a new first line. " + TEXT_A
        assert alice.conn.execute("SELECT source_text FROM revisions WHERE briefing_id = ?",
                                  (a_bid,)).fetchall() == [(TEXT_A,)]
        text = briefing.document.text
        for hid, quote in ((a_h.id, "Kyiv called the offer a trap"),
                           (b_h.id, "Washington urged")):
            h = alice.highlight(hid)
            assert (h.status, text[h.start:h.end]) == ("anchored", quote)
        before = dump(tmp_path / "a.db")
    with Store(tmp_path / "a.db", analyst="alice") as alice:
        assert not merge(alice, tmp_path / "b.db").changed
    assert dump(tmp_path / "a.db") == before
    # The other way round: Bob merges Alice, whose text is older: hers move onto his.
    with Store(tmp_path / "b.db", analyst="bob") as bob:
        merge(bob, tmp_path / "a.db")
        h = bob.highlight(a_h.id)
        assert bob.get_briefing(b_bid).document.text[h.start:h.end] == \
            "Kyiv called the offer a trap"


@pytest.mark.parametrize("kind", ["text", "other-sqlite", "newer", "older", "missing", "self"])
def test_refusals_are_one_line_and_change_nothing(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "t.db"
    Store(target).close()
    other = tmp_path / "o.db"
    if kind == "text":
        other.write_text("hello", encoding="utf-8")
    elif kind == "other-sqlite":
        conn = sqlite3.connect(other)
        conn.execute("CREATE TABLE x (a)")
        conn.commit()
        conn.close()
    elif kind in ("newer", "older"):
        Store(other).close()
        conn = sqlite3.connect(other)
        conn.execute(f"PRAGMA user_version = {99 if kind == 'newer' else 11}")
        conn.commit()
        conn.close()
    elif kind == "self":
        other = target
    before = dump(target)
    with Store(target) as store, pytest.raises(StoreError) as error:
        merge(store, other)
    message = str(error.value)
    assert "\n" not in message
    assert {"text": "not a briefing-tui", "other-sqlite": "not a briefing-tui",
            "newer": "newer version", "older": "older schema", "missing": "no database",
            "self": "itself"}[kind] in message
    assert dump(target) == before


KILLER = """
import os, signal, sys
from briefing_tui.core.store import Store
from briefing_tui.core.merge import merge
store = Store(sys.argv[1], analyst="alice")
merge(store, sys.argv[2], hook=lambda stage: stage == sys.argv[3] and os.kill(os.getpid(), signal.SIGKILL))
print("not killed")
"""


@pytest.mark.parametrize("stage", ["briefings", "highlights"])
def test_kill_9_during_merge_leaves_the_target_byte_identical(team, stage: str) -> None:
    before_bytes = team["alice"].read_bytes()
    before = dump(team["alice"])
    done = subprocess.run([sys.executable, "-c", KILLER, str(team["alice"]), str(team["bob"]),
                           stage], cwd=REPO, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == -9, done.stderr
    assert team["alice"].read_bytes() == before_bytes
    assert dump(team["alice"]) == before
    with Store(team["alice"], analyst="alice") as alice:  # and a merge afterwards works
        assert merge(alice, team["bob"]).conflicts == 1


def test_a_rejections_table_in_both_is_merged_by_id(team) -> None:
    for path, rid in ((team["alice"], "r-alice"), (team["bob"], "r-bob")):
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE IF NOT EXISTS rejections (id TEXT PRIMARY KEY,"
                     " briefing_id TEXT REFERENCES briefings(id), why TEXT)")
        conn.execute("INSERT INTO rejections VALUES (?, ?, 'no')", (rid, team["bid"]))
        conn.commit()
        conn.close()
    with Store(team["alice"], analyst="alice") as alice:
        report = merge(alice, team["bob"])
        assert report.added["rejections"] == 1
        ids = {r[0] for r in alice.conn.execute("SELECT id FROM rejections")}
        assert ids == {"r-alice", "r-bob"}


def test_a_revision_history_beats_import_times(tmp_path: Path) -> None:
    """Bob re-imported the old text later than Alice took the new one: Alice's revisions
    hold his text, so hers is the newer and stays."""
    with Store(tmp_path / "a.db", analyst="alice") as alice:
        bid = add(alice, TEXT_A, "Talks")
    shutil.copy(tmp_path / "a.db", tmp_path / "b.db")
    with Store(tmp_path / "a.db", analyst="alice") as alice:
        newer = TEXT_A + " A new last line."
        alice.update_briefing_text(bid, source_text=newer, document=parse_text(newer),
                                   content_hash="newer")
    conn = sqlite3.connect(tmp_path / "b.db")  # Bob's copy, "imported" after Alice's
    conn.execute("UPDATE briefings SET imported = '2999-01-01T00:00:00.000+00:00'")
    conn.commit()
    conn.close()
    with Store(tmp_path / "a.db", analyst="alice") as alice:
        report = merge(alice, tmp_path / "b.db")
        assert report.reanchored_briefings == 0
        assert alice.get_briefing(bid).content_hash == "newer"
