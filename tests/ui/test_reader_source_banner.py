"""The reader's changed-file banner: it names the file escaped, R re-imports only when the
file changed, and ``briefing-tui FILE`` of a stored file opens it without reading it."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from briefing_tui.core import importer
from briefing_tui.core.store import Store
from briefing_tui.ui.screens.reader import ReaderScreen
from tests.hostile import PAYLOAD, UNSAFE

SIZE = (100, 30)


async def test_a_hostile_file_name_in_the_banner_is_escaped(make_app, briefing_id,
                                                            tmp_path: Path) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        reader = pilot.app.screen
        assert isinstance(reader, ReaderScreen) and not reader.query("#source-banner")
        reader.source_changed(tmp_path / f"{PAYLOAD.replace('/', '')}.md")
        await pilot.pause()
        shown = str(reader.query_one("#source-banner").render())
        assert "changed on disk" in shown and "[bold]mark[bold].md" in shown
        assert not UNSAFE.search(shown), repr(shown)


async def test_r_without_a_changed_file_reimports_nothing(make_app, store: Store,
                                                          briefing_id) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        reader = pilot.app.screen
        reader.reader.focus()
        await pilot.press("R")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert "nothing to re-import" in str(reader.query_one("#status").render())
    assert store.briefing_info(briefing_id).revision == 1


def test_opening_a_stored_file_by_path_does_not_read_it(tmp_path: Path, monkeypatch) -> None:
    """``briefing-tui FILE``: a file in the library opens from the stored copy (the app's
    changed-file check looks at it after); only new files are read and imported."""
    import briefing_tui.ui.app as app_module
    from briefing_tui.cli import cli

    made: list[str | None] = []

    class FakeApp:
        def __init__(self, store, open_briefing_id=None) -> None:
            made.append(open_briefing_id)

        def run(self) -> None:
            pass

    monkeypatch.setattr(app_module, "BriefingApp", FakeApp)
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text("# Old\n\nStored before.\n", encoding="utf-8")
    new.write_text("# New\n\nNot stored yet.\n", encoding="utf-8")
    db = tmp_path / "b.db"
    with Store(db) as store:
        [stored] = importer.import_paths(store, [old])
    old.write_text("# Old\n\nEdited since.\n", encoding="utf-8")  # changed: still not read
    read: list[str] = []
    real = importer.read_source
    monkeypatch.setattr(importer, "read_source",
                        lambda path, **kw: read.append(path.name) or real(path, **kw))
    result = CliRunner().invoke(cli, ["--db", str(db), str(old), str(new)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert made == [stored.briefing_id] and read == ["new.md"]
    with Store(db) as store:
        assert store.briefing_info(stored.briefing_id).revision == 1
        assert sorted(b.title for b in store.list_briefings()) == ["New", "Old"]
