"""A path field that completes with tab, as a shell does (see core.pathcomplete)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message

from briefing_tui.core.pathcomplete import complete_path
from briefing_tui.ui.widgets.safeinput import SafeInput


class PathInput(SafeInput):
    """``tab`` completes the path typed so far; the matches go out as ``Completed``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "complete", "Complete the path", id="path.complete", show=False),
    ]

    class Completed(Message):
        """A completion was tried: the names that matched (none, one or several)."""

        def __init__(self, candidates: tuple[str, ...]) -> None:
            super().__init__()
            self.candidates = candidates

    def action_complete(self) -> None:
        """Add what every match shares to the value; the cursor goes to its end."""
        found = complete_path(self.value)
        if found.completed != self.value:
            self.value = found.completed
        self.cursor_position = len(self.value)
        self.post_message(self.Completed(found.candidates))
