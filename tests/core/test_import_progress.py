"""A folder's import reports both passes file by file: each file read and checked (before
anything is written), then each stored in a transaction of its own. Parses are not all held
between the passes: past a budget, a file is parsed again when it is stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing_tui.core import importer
from briefing_tui.core.importer import ImportResult, import_paths
from briefing_tui.core.store import Store


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "briefings.db"


@pytest.fixture()
def store(db_path: Path):
    with Store(db_path) as opened:
        yield opened


def folder(tmp_path: Path, count: int) -> Path:
    root = tmp_path / "many"
    root.mkdir()
    for n in range(count):
        (root / f"{n:02}.md").write_text(f"# Briefing {n}\n\nText {n}.\n", encoding="utf-8")
    return root


def test_checking_is_reported_per_file_before_anything_is_written(tmp_path: Path,
                                                                   db_path: Path) -> None:
    root = folder(tmp_path, 4)
    events: list[tuple] = []
    with Store(db_path) as s:
        def checked(done: int, total: int, path: Path) -> None:
            with Store(db_path, readonly=True) as other:
                events.append(("check", done, total, path.name, len(other.list_briefings())))

        def stored(done: int, total: int, result: ImportResult) -> None:
            events.append(("store", done, total, Path(result.path).name))

        import_paths(s, [root], on_check=checked, on_progress=stored)
    assert events == ([("check", n + 1, 4, f"{n:02}.md", 0) for n in range(4)]
                      + [("store", n + 1, 4, f"{n:02}.md") for n in range(4)])


def test_past_the_budget_a_file_is_parsed_again_when_stored(tmp_path: Path, store: Store,
                                                           monkeypatch) -> None:
    root = folder(tmp_path, 5)
    monkeypatch.setattr(importer, "KEEP_PARSED_CHARS", 1)  # only the first parse is kept
    parses: list[str] = []
    real = importer._Source.parse

    def parse(self):
        parses.append(self.path.name)
        return real(self)

    monkeypatch.setattr(importer._Source, "parse", parse)
    results = import_paths(store, [root])
    assert [r.action for r in results] == ["added"] * 5
    # Checked once each; stored: the first from its kept parse, the others parsed again.
    assert parses == [f"{n:02}.md" for n in range(5)] + [f"{n:02}.md" for n in range(1, 5)]
    assert [b.title for b in store.list_briefings()] == [f"Briefing {n}" for n in range(5)]


def test_the_budget_keeps_every_parse_of_a_small_folder(tmp_path: Path, store: Store,
                                                        monkeypatch) -> None:
    root = folder(tmp_path, 3)
    count = 0
    real = importer._Source.parse

    def parse(self):
        nonlocal count
        count += 1
        return real(self)

    monkeypatch.setattr(importer._Source, "parse", parse)
    import_paths(store, [root])
    assert count == 3
