"""The codebook from the command palette: *Import codebook* and *Export codebook*.

Import asks for a ``.toml`` or ``.qdc`` file (proposed in the export folder), merges it
(:func:`briefing_tui.core.codebook.import_codebook`: one undo step of the library, so the
library's ``u`` takes it back) and says what it added and what clashed. Export writes the
database's codebook to a file of the format its suffix names. A file that is not a codebook
is one error line and changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from briefing_tui.ui.messages import USER_ERRORS, StoreChange, services

__all__ = ["CLASHES_SHOWN", "export_codebook", "import_codebook"]

CLASHES_SHOWN = 3  # clash lines in the notification (the rest are counted)


def _folder(app: Any) -> Path:
    folder = getattr(app, "export_folder", None)
    return folder() if callable(folder) else Path.cwd()


def import_codebook(app: Any) -> None:
    """Ask for a codebook file and merge it into the database (library undo)."""
    from briefing_tui.ui.widgets.pickers import PathPrompt

    folder = _folder(app)

    def chosen(answer: str | None) -> None:
        if not answer or not answer.strip():
            return
        from briefing_tui.core import codebook

        path = folder / Path(answer.strip()).expanduser()
        ui = services(app)
        try:
            book = codebook.read_codebook(path)
            report = codebook.import_codebook(ui.store, book)
        except USER_ERRORS as error:
            ui.report_error(error)
            return
        lines = [f"clash: {c}" for c in report.clashes[:CLASHES_SHOWN]]
        if len(report.clashes) > CLASHES_SHOWN:
            lines.append(f"… and {len(report.clashes) - CLASHES_SHOWN} more clashes")
        message = "\n".join([f"{report.summary()} (u in the library undoes it)", *lines])
        # notify() shows text, never markup, and safe_line has cleaned each line.
        ui.notify(message, title="Codebook", markup=False,
                  severity="warning" if report.clashes else "information")
        ui.store_changed.publish(StoreChange())
        refresh = getattr(app.screen, "refresh_briefings", None)
        if callable(refresh):
            refresh()

    app.push_screen(PathPrompt("Import the codebook (.toml or .qdc) from",
                               str(folder / "codebook.toml"), complete=True), chosen)


def export_codebook(app: Any) -> None:
    """Ask for a path and write the database's codebook there (.toml or .qdc)."""
    from briefing_tui.ui.widgets.pickers import PathPrompt

    folder = _folder(app)

    def chosen(answer: str | None) -> None:
        if not answer or not answer.strip():
            return
        from briefing_tui.core.codebook import codebook_of, render_codebook
        from briefing_tui.core.export import write_atomic

        path = folder / Path(answer.strip()).expanduser()
        ui = services(app)
        try:
            text = render_codebook(codebook_of(ui.store), path.suffix.lower())
            folder.mkdir(parents=True, exist_ok=True)
            write_atomic(path, text, force=False)
        except USER_ERRORS as error:
            ui.report_error(error)
            return
        ui.notify(f"Codebook written to {path}", title="Codebook", markup=False)

    app.push_screen(PathPrompt("Export the codebook (.toml or .qdc) to",
                               str(folder / "codebook.toml"), complete=True), chosen)
