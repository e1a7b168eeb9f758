"""One list of export formats (core.export.EXPORT_FORMATS) read by the CLI, the palette and
the app; `briefing-tui list` reads its counts through the read side (core.queries)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from briefing_tui import cli as cli_mod
from briefing_tui.core import export, queries
from briefing_tui.core.document import parse_text
from briefing_tui.core.export import EXPORT_FORMATS, ExportFormat
from briefing_tui.core.store import Store
from briefing_tui.ui.app import BriefingApp
from briefing_tui.ui.commands import BriefingCommands
from briefing_tui.ui.screens.library import LibraryScreen


def test_cli_format_choices_are_the_registry() -> None:
    [option] = [p for p in cli_mod.export_command.params if p.name == "fmt"]
    assert isinstance(option.type, click.Choice)
    assert list(EXPORT_FORMATS) == list(export.FORMATS)
    # and the archives, which are not text (the REFI-QDA project, #16)
    assert list(option.type.choices) == [*EXPORT_FORMATS, *cli_mod.ARCHIVE_FORMATS]


def test_export_dispatches_through_the_registry(tmp_path: Path, monkeypatch) -> None:
    shout = ExportFormat("txt", "Shouting", lambda store, ids, group_by: "HELLO\n")
    monkeypatch.setitem(EXPORT_FORMATS, "txt", shout)
    with Store(tmp_path / "f.db") as store:
        assert export.export(store, None, fmt="txt") == "HELLO\n"
        with pytest.raises(export.ExportError, match="unknown format 'nope'"):
            export.export(store, None, fmt="nope")


async def test_palette_lists_one_export_per_registered_format(
        tmp_path: Path, monkeypatch) -> None:
    shout = ExportFormat("txt", "Shouting", lambda store, ids, group_by: "HELLO\n")
    monkeypatch.setitem(EXPORT_FORMATS, "txt", shout)
    monkeypatch.setenv("BRIEFING_TUI_CONFIG", str(tmp_path / "no-config.toml"))
    with Store(tmp_path / "f.db") as store:
        store.add_briefing(title="One", source="", published="", url="", path="",
                           fmt="text", source_text="Text.",
                           document=parse_text("Text."),
                           content_hash="x")
        app = BriefingApp(store, config_path=tmp_path / "no-config.toml")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            screen = pilot.app.screen
            assert isinstance(screen, LibraryScreen)
            names = [name for name, _h, _c in BriefingCommands(screen).commands()]
    assert [n for n in names if n.startswith("Export briefing as")] == [
        f"Export briefing as {f.label}" for f in EXPORT_FORMATS.values()]
    assert "Export briefing as Shouting" in names


def test_list_reads_its_counts_through_the_read_side(tmp_path: Path, monkeypatch) -> None:
    calls: list[object] = []
    real = queries.briefings

    def spy(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        calls.append(args)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(queries, "briefings", spy)
    db = tmp_path / "l.db"
    with Store(db) as store:
        store.add_briefing(title="One", source="", published="", url="", path="",
                           fmt="text", source_text="Text.", document=parse_text("Text."),
                           content_hash="x")
    result = CliRunner().invoke(cli_mod.cli, ["list", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert calls  # listed through queries.briefings
    assert "One" in result.output
    assert any(line.split()[:4] == ["id", "published", "highlights", "orphans"]
               for line in result.output.splitlines())
