"""Text fields that never hold a control character: what is typed or pasted is data too.

Textual's ``Input`` and ``TextArea`` draw their text as it is, so a pasted ESC sequence
(copied from a web page) would reach the terminal, and be stored as a speaker name or a
note. These fields show and keep each control as its placeholder instead (one character
for one, see :mod:`briefing_tui.core.safetext`): cursor positions do not move.
The text area is :class:`~briefing_tui.ui.widgets.safetextarea.SafeTextArea`.
"""

from __future__ import annotations

from textual.widgets import Input

from briefing_tui.core.safetext import safe_line


class SafeInput(Input):
    """An ``Input`` whose value shows controls and bidi overrides as placeholders."""

    def validate_value(self, value: str) -> str:
        """Every value set (typed, pasted, assigned) passes here (Textual's reactive
        validation): a one-line safe text."""
        return safe_line(value)


__all__ = ["SafeInput"]
