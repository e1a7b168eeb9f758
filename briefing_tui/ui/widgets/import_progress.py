"""How far the library's import of a folder is: a progress bar and the file at hand.

The import runs in a thread worker (two passes: every file read and checked, then each
stored in a transaction of its own); the worker reports each file through
``call_from_thread`` and the bar advances one step per file and pass. File names come
from the folder, so they are shown through :func:`briefing_tui.core.pathnames.display_path`
(undecodable bytes and controls escaped) and as plain text, never markup.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from briefing_tui.core.pathnames import display_path
from briefing_tui.core.safetext import safe_line


class ImportProgress(Horizontal):
    """``[█████░░░░]  50%  importing 120/2000 name.md`` under the library's table."""

    DEFAULT_CSS = """
    ImportProgress {
        height: 1;
        padding: 0 1;
    }
    ImportProgress ProgressBar {
        width: auto;
        margin-right: 2;
    }
    ImportProgress #import-progress-label {
        width: 1fr;
        height: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        color: $text-muted;
    }
    """

    def __init__(self, *, id: str | None = "import-progress") -> None:
        super().__init__(id=id)
        self.label = ""  # the text shown beside the bar
        self._step = 0
        self._total = 0

    def compose(self) -> ComposeResult:
        yield ProgressBar(total=None, show_eta=False, id="import-progress-bar")
        yield Static("", id="import-progress-label", markup=False)

    def advance_to(self, verb: str, done: int, total: int, path: Path | None) -> None:
        """Show file ``done`` of ``total`` of a pass (``verb``: "checking", "importing").

        The bar covers both passes: checking is its first half, importing the second.
        """
        self._total = 2 * total
        self._step = done if verb == "checking" else total + done
        name = safe_line(display_path(path.name)) if path is not None else ""
        self.label = f"{verb} {done}/{total} {name}".rstrip()
        if self.is_mounted:
            self._draw()

    def on_mount(self) -> None:
        self._draw()

    def _draw(self) -> None:
        if self._total:
            self.query_one(ProgressBar).update(total=self._total, progress=self._step)
        self.query_one("#import-progress-label", Static).update(Text(self.label))

    @property
    def progress(self) -> tuple[int, int]:
        """Steps done so far and in all (a file per pass)."""
        return self._step, self._total
