"""A text area that never holds a control character (the note editor's).

The same as :class:`~briefing_tui.ui.widgets.safeinput.SafeInput` for ``TextArea``, in a
module of its own: ``TextArea`` (its document, history and themes) is an import the app's
start-up (the library, whose filter is a ``SafeInput``) does without.
"""

from __future__ import annotations

from textual.widgets import TextArea
from textual.widgets.text_area import EditResult, Location

from briefing_tui.core.safetext import safe_display


class SafeTextArea(TextArea):
    """A ``TextArea`` whose typed or pasted text shows controls as placeholders
    (newlines and tabs stay)."""

    def insert(self, text: str, location: Location | None = None, *,
               maintain_selection_offset: bool = True) -> EditResult:
        """Insert ``text`` made safe (see :func:`~briefing_tui.core.safetext.safe_display`)."""
        return super().insert(safe_display(text), location,
                              maintain_selection_offset=maintain_selection_offset)

    def replace(self, insert: str, start: Location, end: Location, *,
                maintain_selection_offset: bool = True) -> EditResult:
        """Replace with ``insert`` made safe; typing and pasting come through here."""
        return super().replace(safe_display(insert), start, end,
                               maintain_selection_offset=maintain_selection_offset)


__all__ = ["SafeTextArea"]
