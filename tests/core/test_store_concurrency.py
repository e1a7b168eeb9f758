"""Store: two instances, two processes and several threads on one database file."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from briefing_tui.core import dbfile
from briefing_tui.core.document import Document
from briefing_tui.core.store import Store, StoreError

TEXT = ("Officials said the talks were useful but slow. " * 40).strip() + "\n"


def add(store: Store, title: str = "Talks", text: str = TEXT) -> str:
    return store.add_briefing(title=title, source="", published="", url="", path="", fmt="text",
                              source_text=text, document=Document(text=text, fmt="text"),
                              content_hash=title).id


def test_two_instances_write_alternately_and_see_each_other(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    first, second = Store(path), Store(path)
    bid = add(first)
    made: list[str] = []
    for n in range(30):
        writer, other = (first, second) if n % 2 == 0 else (second, first)
        version = other.data_version()
        hid = writer.create_highlight(bid, n, n + 5).id
        writer.set_note(hid, f"note {n}")
        made.append(hid)
        assert other.data_version() != version  # the other instance notices the commit
        assert other.highlight(hid).note == f"note {n}"
    assert [h.id for h in first.highlights(bid)] == made
    assert [h.id for h in second.highlights(bid)] == made
    # Each instance undoes its own steps: the second wrote the last note (n = 29) ...
    assert second.undo(bid) == "set note"
    assert first.highlight(made[-1]).note == ""
    # ... and the first undoes its own last note (n = 28), not the second's older ones.
    assert first.undo(bid) == "set note"
    assert second.highlight(made[-2]).note == ""
    assert second.highlight(made[-3]).note == "note 27"
    first.close()
    second.close()


def test_own_commit_does_not_move_data_version(tmp_path: Path) -> None:
    with Store(tmp_path / "b.db") as store:
        bid = add(store)
        version = store.data_version()
        store.create_highlight(bid, 0, 5)
        assert store.data_version() == version


def test_other_instance_reimport_refreshes_the_cached_text(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    with Store(path) as first, Store(path) as second:
        bid = add(first)
        first.create_highlight(bid, 0, 9)  # caches the reading text
        second.update_briefing_text(bid, source_text="x", document=Document(text="Changed text"),
                                    content_hash="h2")
        assert first.create_highlight(bid, 0, 7).exact == "Changed"


_WRITER = textwrap.dedent("""
    import sys
    from briefing_tui.core.store import Store
    store = Store(sys.argv[1])
    bid, tag = sys.argv[2], sys.argv[3]
    for n in range(100):
        hid = store.create_highlight(bid, n, n + 4).id
        store.set_note(hid, f"{tag} {n}")
        store.set_topics(hid, [tag, "shared"])
    own = store.conn.execute("SELECT COUNT(*) FROM undo_steps WHERE session = ?",
                             (store.session,)).fetchone()[0]
    store.close()
    print("done", own)
""")


def test_two_processes_write_concurrently_and_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    with Store(path) as store:
        bid = add(store)
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(path), bid, tag],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for tag in ("left", "right")]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        # every change recorded one undo step of that process's session
        assert (proc.returncode, out.strip(), err) == (0, "done 300", "")
    with Store(path) as store:
        listed = store.highlights(bid)
        assert len(listed) == 200
        notes = sorted(h.note for h in listed)
        assert notes == sorted([f"left {n}" for n in range(100)]
                               + [f"right {n}" for n in range(100)])
        assert all(h.topics == tuple(sorted((h.note.split()[0], "shared"))) for h in listed)
        assert store.topics() == ["left", "right", "shared"]
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # A closed instance's steps are gone: no other instance may undo them.
        assert store.conn.execute("SELECT COUNT(*) FROM undo_steps").fetchone()[0] == 0


def test_threads_share_one_store(tmp_path: Path) -> None:
    with Store(tmp_path / "b.db") as store:
        bid = add(store)
        errors: list[BaseException] = []

        def work(offset: int) -> None:
            try:
                for n in range(25):
                    hid = store.create_highlight(bid, offset + n, offset + n + 3).id
                    store.set_note(hid, str(offset))
                    store.highlights(bid)
            except BaseException as error:  # noqa: BLE001 - reported by the assert below
                errors.append(error)

        threads = [threading.Thread(target=work, args=(k * 100,)) for k in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert len(store.highlights(bid)) == 100


def test_write_lock_held_by_another_program_gives_a_clear_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dbfile, "BUSY_TIMEOUT_S", 0.2)
    path = tmp_path / "b.db"
    with Store(path) as store:
        bid = add(store)
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(StoreError) as caught:
                store.create_highlight(bid, 0, 5)
            assert str(caught.value) == (
                "database is locked by another program (waited 0.2 s); try again")
            assert len(store.highlights(bid)) == 0  # reading still works (WAL)
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert store.create_highlight(bid, 0, 5).exact == "Offic"
        assert store.conn.execute("SELECT COUNT(*) FROM undo_steps").fetchone()[0] == 1


def test_checkpoint_copies_the_wal(tmp_path: Path) -> None:
    with Store(tmp_path / "b.db") as store:
        bid = add(store)
        for n in range(20):
            store.create_highlight(bid, n, n + 3)
        log, copied = store.checkpoint()
        assert log > 0 and copied == log
    with Store(tmp_path / "b.db", readonly=True) as readonly:
        assert readonly.checkpoint() == (0, 0)
