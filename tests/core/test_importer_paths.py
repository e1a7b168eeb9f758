"""Odd paths in folder imports: names that are not UTF-8 and symlink loops are skipped with
a line naming them (escaped) and the rest imports; given on their own, they are refused
with one line and the database is unchanged. Progress is reported file by file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefing_tui.core.errors import ImportRefused
from briefing_tui.core.importer import ImportResult, import_paths
from briefing_tui.core.pathnames import Skipped
from briefing_tui.core.store import Store

# ruff: noqa: F811 - the fixtures imported below are pytest fixtures, named again as arguments
from tests.core.test_importer import db_path, db_snapshot, store  # noqa: F401 - fixtures

GOOD = "# Talks resume\n\nThe envoy said talks would resume on Monday.\n"


def bad_name(folder: Path) -> Path:
    """A briefing file in ``folder`` whose name is not UTF-8 (the byte 0xff)."""
    raw = os.path.join(os.fsencode(folder), b"caf\xff.md")
    with open(raw, "w", encoding="utf-8") as f:
        f.write("# Hidden by its name\n\nText.\n")
    return Path(os.fsdecode(raw))


def folder_with_good(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    root.mkdir()
    (root / "good.md").write_text(GOOD, encoding="utf-8")
    return root


def run_import(store: Store, paths: list[Path]) -> tuple[list[ImportResult], list[Skipped]]:
    skipped: list[Skipped] = []
    return import_paths(store, paths, on_skip=skipped.append), skipped


def test_a_name_that_is_not_utf8_is_skipped_and_the_rest_imports(tmp_path: Path,
                                                                   store: Store) -> None:
    root = folder_with_good(tmp_path)
    bad_name(root)
    results, skipped = run_import(store, [root])
    assert [Path(r.path).name for r in results] == ["good.md"]
    assert [r.action for r in results] == ["added"]
    [skip] = skipped
    line = str(skip)
    assert line == f"skipped {root}/caf\\xff.md: file name is not valid UTF-8"
    assert line.isprintable()
    assert [b.title for b in store.list_briefings()] == ["Talks resume"]


def test_a_folder_whose_name_is_not_utf8_is_skipped(tmp_path: Path, store: Store) -> None:
    root = folder_with_good(tmp_path)
    sub = os.path.join(os.fsencode(root), b"d\xe9p\xeaches")
    os.mkdir(sub)
    with open(os.path.join(sub, b"inside.md"), "w", encoding="utf-8") as f:
        f.write("# Inside\n\nText.\n")
    results, skipped = run_import(store, [root])
    assert len(results) == 1
    assert [str(s) for s in skipped] == [
        f"skipped {root}/d\\xe9p\\xeaches: folder name is not valid UTF-8"]


def test_a_file_symlink_loop_is_skipped_saying_so(tmp_path: Path, store: Store) -> None:
    root = folder_with_good(tmp_path)
    os.symlink("b.md", root / "a.md")
    os.symlink("a.md", root / "b.md")
    results, skipped = run_import(store, [root])
    assert [Path(r.path).name for r in results] == ["good.md"]
    assert [str(s) for s in skipped] == [f"skipped {root}/a.md: symlink loop",
                                         f"skipped {root}/b.md: symlink loop"]


def test_a_folder_symlink_loop_is_skipped_saying_so(tmp_path: Path, store: Store) -> None:
    root = folder_with_good(tmp_path)
    (root / "sub").mkdir()
    (root / "sub" / "deeper.md").write_text("# Deeper\n\nText.\n", encoding="utf-8")
    os.symlink("..", root / "sub" / "loop")  # ln -s .. loop
    results, skipped = run_import(store, [root])
    assert [Path(r.path).relative_to(root).as_posix() for r in results] == [
        "good.md", "sub/deeper.md"]
    [skip] = skipped
    assert str(skip).startswith(f"skipped {root}/sub/loop: symlink loop")


def test_a_symlinked_folder_that_is_no_loop_is_followed(tmp_path: Path, store: Store) -> None:
    root = folder_with_good(tmp_path)
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "far.md").write_text("# Far away\n\nText.\n", encoding="utf-8")
    os.symlink(other, root / "linked")
    results, skipped = run_import(store, [root])
    assert [Path(r.path).relative_to(root).as_posix() for r in results] == [
        "good.md", "linked/far.md"]
    assert skipped == []


def test_a_broken_symlink_to_a_briefing_is_skipped_saying_so(tmp_path: Path,
                                                             store: Store) -> None:
    root = folder_with_good(tmp_path)
    os.symlink("gone.md", root / "dangling.md")
    results, skipped = run_import(store, [root])
    assert len(results) == 1
    assert [str(s) for s in skipped] == [f"skipped {root}/dangling.md: broken symlink"]


@pytest.mark.parametrize("case", ["not utf-8", "symlink loop", "folder of loops only"])
def test_such_a_path_given_on_its_own_is_refused_in_one_line(tmp_path: Path, db_path: Path,
                                                             case: str) -> None:
    with Store(db_path) as s:
        import_paths(s, [folder_with_good(tmp_path)])
    before = db_snapshot(db_path)
    if case == "not utf-8":
        target, fragment = bad_name(tmp_path), "caf\\xff.md: file name is not valid UTF-8"
    elif case == "symlink loop":
        os.symlink("y.md", tmp_path / "x.md")
        os.symlink("x.md", tmp_path / "y.md")
        target, fragment = tmp_path / "x.md", "x.md: symlink loop"
    else:
        target = tmp_path / "loops"
        target.mkdir()
        os.symlink(".", target / "self")
        fragment = "no briefings (.md, .markdown, .txt) in folder"
    with Store(db_path) as s, pytest.raises(ImportRefused) as info:
        import_paths(s, [target])
    message = str(info.value)
    assert "\n" not in message and message.isprintable()
    assert fragment in message
    assert db_snapshot(db_path) == before


def test_progress_is_reported_file_by_file_after_each_commit(tmp_path: Path,
                                                             db_path: Path) -> None:
    root = tmp_path / "many"
    root.mkdir()
    for n in range(5):
        (root / f"{n}.md").write_text(f"# Briefing {n}\n\nText {n}.\n", encoding="utf-8")
    seen: list[tuple[int, int, str, int]] = []
    with Store(db_path) as s:
        def progress(done: int, total: int, result: ImportResult) -> None:
            # Committed already: another connection sees it.
            with Store(db_path, readonly=True) as other:
                seen.append((done, total, result.title, len(other.list_briefings())))

        import_paths(s, [root], on_progress=progress)
    assert seen == [(n + 1, 5, f"Briefing {n}", n + 1) for n in range(5)]


def test_a_deeply_nested_file_imports_with_all_its_words(tmp_path: Path, store: Store) -> None:
    src = tmp_path / "deep.md"
    src.write_text("# Deep\n\n" + ">" * 40 + " quoted deep down\n\n"
                   + "".join("  " * i + f"- level{i}\n" for i in range(25)), encoding="utf-8")
    [result] = import_paths(store, [src])
    text = store.get_briefing(result.briefing_id).document.text
    assert "quoted deep down" in text
    assert [w for w in text.split() if w.startswith("level")] == [f"level{i}" for i in range(25)]
