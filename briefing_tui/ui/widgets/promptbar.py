"""A one-row prompt bar: ``/`` and an input (the library's filter line, the reader's find)."""

from __future__ import annotations

from textual.containers import Horizontal
from textual.widgets import Input, Label


class PromptBar(Horizontal):
    """``/`` then ``field``, one row high, hidden until its screen shows it."""

    DEFAULT_CSS = """
    PromptBar {
        height: 1;
        display: none;
        background: $boost;
    }
    PromptBar > Label {
        width: 2;
        padding: 0 0 0 1;
        color: $accent;
        text-style: bold;
    }
    PromptBar > Input, PromptBar > Input:focus {
        border: none;
        height: 1;
        padding: 0 1;
        background: $boost;
    }
    """

    def __init__(self, field: Input, *, id: str) -> None:
        super().__init__(Label("/"), field, id=id)
