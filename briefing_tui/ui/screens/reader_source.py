"""The reader's banner when a briefing's file changed on disk since its import.
Mixed into :class:`~briefing_tui.ui.screens.reader.ReaderScreen`.

A briefing opens at once from its stored copy; the changed-file check (a ``stat``, and a
hash in a thread worker only when size or mtime differ) runs meanwhile. When the file
really holds another text, the app calls :meth:`SourceBanner.source_changed`: a line above
the text names the file and offers ``R`` to re-import it (re-anchoring the highlights),
without interrupting the reading. The file's name comes from disk: shown escaped, as
plain text.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from briefing_tui.core.pathnames import display_path
from briefing_tui.core.safetext import safe_line

if TYPE_CHECKING:
    from textual.screen import Screen

    _Base = Screen[None]
else:
    _Base = object

BANNER_ID = "source-banner"


class SourceBannerLine(Static):
    """The banner's one line, split off the top of the reader screen."""

    DEFAULT_CSS = """
    SourceBannerLine {
        split: top;
        height: 1;
        padding: 0 1;
        background: $warning-muted;
        color: $text;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """


class SourceBanner(_Base):
    """``source_changed(path)`` shows the banner; ``R`` (``reimport_source``) acts on it."""

    if TYPE_CHECKING:  # provided by ReaderScreen
        briefing_id: str

        def show_message(self, message: str) -> None: ...

    changed_source: Path | None = None  # the file that changed, while the banner is up

    def source_changed(self, path: Path) -> None:
        """Say that ``path`` (this briefing's file) now holds another text."""
        self.changed_source = path
        name = safe_line(display_path(path.name))
        text = Text.assemble(name, (" changed on disk", "bold"),
                             " — R re-imports it, re-anchoring the highlights"
                             " (the stored copy is shown)")
        if self.query(f"#{BANNER_ID}"):
            self.query_one(f"#{BANNER_ID}", Static).update(text)
            return
        # First in the screen: split off the top edge before the sidebar takes its side.
        self.mount(SourceBannerLine(text, id=BANNER_ID, markup=False), before=0)

    def hide_source_banner(self) -> None:
        """Take the banner down (re-imported, or the file is as stored again)."""
        self.changed_source = None
        self.query(f"#{BANNER_ID}").remove()

    def action_reimport_source(self) -> None:
        """Re-import the changed file (in a worker); the reader shows the new text after."""
        path = self.changed_source
        if path is None:
            self.show_message("the file on disk is the stored text: nothing to re-import")
            return
        self.hide_source_banner()
        self.show_message(f"re-importing {safe_line(display_path(path.name))} …")
        reimport = getattr(self.app, "reimport_source", None)
        if callable(reimport):
            reimport(self.briefing_id, path)
