"""Text fields that never hold a control character: what is typed or pasted is data too.

Textual's ``Input`` and ``TextArea`` draw their text as it is, so a pasted ESC sequence
(copied from a web page) would reach the terminal, and be stored as a speaker name or a
note. These fields show and keep each control as its placeholder instead (one character
for one, see :mod:`briefing_tui.core.safetext`): cursor positions do not move.
"""

from __future__ import annotations

from textual.widgets import Input, TextArea
from textual.widgets.text_area import EditResult, Location

from briefing_tui.core.safetext import safe_display, safe_line


class SafeInput(Input):
    """An ``Input`` whose value shows controls and bidi overrides as placeholders."""

    def validate_value(self, value: str) -> str:
        """Every value set (typed, pasted, assigned) passes here (Textual's reactive
        validation): a one-line safe text."""
        return safe_line(value)


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


__all__ = ["SafeInput", "SafeTextArea"]
