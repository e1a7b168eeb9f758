"""#17.3: an unchanged file costs a stat, not a hash, in any process (migration 10)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefing_tui.core import importer, sources
from briefing_tui.core.importer import import_paths
from briefing_tui.core.sources import SourceWatch
from briefing_tui.core.store import Store

TEXT = "# Talks\n\nThe envoy said the talks would resume on Monday.\n"


@pytest.fixture
def imported(tmp_path: Path) -> tuple[Store, Path, str]:
    path = tmp_path / "talks.md"
    path.write_text(TEXT, encoding="utf-8")
    store = Store(tmp_path / "b.db")
    [result] = import_paths(store, [path])
    yield store, path, result.briefing_id
    store.close()


def no_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if the file is read or hashed."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("the file was read")

    monkeypatch.setattr(sources, "file_sha256", refuse)
    monkeypatch.setattr(importer, "read_source", refuse)


def test_a_file_found_unchanged_once_is_not_read_again_by_a_new_watch(
        imported, monkeypatch: pytest.MonkeyPatch) -> None:
    store, path, bid = imported
    assert SourceWatch(store).changed_source(store.briefing_info(bid)) is None  # hashes once
    stat = path.stat()
    assert store.source_stat(bid) == (str(path.resolve()), stat.st_size, stat.st_mtime_ns,
                                      store.briefing_info(bid).content_hash)
    no_reading(monkeypatch)
    assert SourceWatch(store).changed_source(store.briefing_info(bid)) is None  # a stat only


def test_a_touched_file_is_hashed_again_and_a_changed_one_is_found(
        imported, monkeypatch: pytest.MonkeyPatch) -> None:
    store, path, bid = imported
    SourceWatch(store).changed_source(store.briefing_info(bid))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))  # touched only
    assert SourceWatch(store).changed_source(store.briefing_info(bid)) is None
    assert store.source_stat(bid)[2] == stat.st_mtime_ns + 5_000_000_000
    # Same size, new content and time: the stat differs, so the file is read and found.
    path.write_text(TEXT.replace("Monday", "Sunday"), encoding="utf-8")
    assert path.stat().st_size == stat.st_size
    assert SourceWatch(store).changed_source(store.briefing_info(bid)) == path.resolve()


def test_without_a_store_or_on_a_read_only_one_the_check_still_works(
        imported, tmp_path: Path) -> None:
    store, _path, bid = imported
    assert SourceWatch().changed_source(store.briefing_info(bid)) is None
    assert store.source_stat(bid) is None
    store.close()
    with Store(tmp_path / "b.db", readonly=True) as readonly:
        info = readonly.briefing_info(bid)
        assert SourceWatch(readonly).changed_source(info) is None  # nothing saved, no error
        assert readonly.source_stat(bid) is None


def test_a_known_stat_writes_nothing(imported, monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening an unchanged briefing must not write the database (another instance would
    see a change and reload; a read-only look must stay read-only)."""
    store, _path, bid = imported
    SourceWatch(store).changed_source(store.briefing_info(bid))
    version = store.conn.execute("PRAGMA data_version").fetchone()[0]
    writes = []
    monkeypatch.setattr(store, "save_source_stat", lambda *args: writes.append(args))
    watch = SourceWatch(store)
    assert watch.changed_source(store.briefing_info(bid)) is None  # from the database
    assert watch.changed_source(store.briefing_info(bid)) is None  # from the memory
    assert writes == []
    assert store.conn.execute("PRAGMA data_version").fetchone()[0] == version
