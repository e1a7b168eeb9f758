"""The references built in the benchmark itself: the floor reader and a bare app.

* :class:`FloorView` — the *floor*: a bare Line-API ``ScrollView`` over pre-split
  lines (no wrapping, no styles, no cursor). Nothing that shows a document can be
  cheaper in Textual, so opening a briefing is compared with it.
* :class:`FloorApp` — that view full screen.
The cold-start reference (a Textual app showing one label) is ``benchmarks/bare_app.py``,
self-contained so that it imports no more than such an app needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


class FloorView(ScrollView, can_focus=True):
    """Pre-split lines, one per row, cropped to the width."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "scroll_down", "Down", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("G,end", "scroll_end", "End", show=False),
    ]

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__()
        self.lines = lines
        # Width of the view, not of the longest line: measuring every line of a 5 MB
        # text would be work the floor must not do.
        self.virtual_size = Size(120, len(lines))

    def render_line(self, y: int) -> Strip:
        """The line at scroll offset + ``y``, cut to the view's width."""
        index = self.scroll_offset.y + y
        width = self.size.width
        if index >= len(self.lines):
            return Strip.blank(width, self.rich_style)
        line = self.lines[index][: width * 2]  # bounded work per row, even for long lines
        return Strip([Segment(line, self.rich_style)]).crop_extend(0, width, self.rich_style)


class FloorApp(App[None]):
    """The floor reader, full screen."""

    CSS = "FloorView { height: 1fr; }"

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__()
        self.lines = lines

    def compose(self) -> ComposeResult:
        """One FloorView."""
        yield FloorView(self.lines)

    def on_mount(self) -> None:
        """Focus the view, as a reader would be."""
        self.query_one(FloorView).focus()
