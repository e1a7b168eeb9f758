"""How a row of the reading text looks: spans, highlights, selection and cursor → a Strip.

:class:`ReaderView` decides *which* text a screen row holds (layout, scrolling, the
cursor); a :class:`RowPainter` turns that text into styled segments. It holds the
styles of one theme over one background and caches the style of each combination of
runs (heading in a quotation under two highlights, …); the view makes a new painter
when styles change (theme, focus).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, pairwise

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.color import Color, ColorParseError
from textual.strip import Strip

from briefing_tui.core.document import Document, Span
from briefing_tui.ui.looks import Look, Looks
from briefing_tui.ui.widgets.wrap import DISPLAY_TABLE

GUTTER = 1  # cells left of the text, for the speaker marker
GUTTER_MARK = "▌"
HIGHLIGHT_ALPHA = 0.45  # stance colour blended over the background
QUOTE_BAR_CHARS = "│┃▎"

# How each kind of run looks, in theme colours (see briefing_tui.ui.looks).
LOOKS: dict[str, Look] = {
    "cursor": Look(text_style="reverse"),
    "selection": Look(background="primary 45%"),
    "highlight": Look(background="warning"),
    "found": Look(background="accent 60%", text_style="bold"),
    "proposal": Look(text_style="underline"),
    "current": Look(color="text-accent", text_style="underline bold"),
    "gutter": Look(color="text-muted"),
    "h1": Look(color="accent", text_style="bold"),
    "h2": Look(color="primary", text_style="bold"),
    "h3": Look(color="secondary", text_style="bold"),
    "h4": Look(color="success", text_style="bold"),
    "h5": Look(color="warning", text_style="bold"),
    "h6": Look(color="text-muted", text_style="bold"),
    "em": Look(text_style="italic"),
    "strong": Look(text_style="bold"),
    "strike": Look(text_style="strike"),
    "code": Look(background="foreground 10%"),
    "link": Look(color="text-primary", text_style="underline"),
    "blockquote": Look(color="text-muted", text_style="italic"),
    "quote-bar": Look(color="accent", text_style="not italic"),
    "bullet": Look(color="accent", text_style="bold"),
    "table": Look(color="foreground"),
    "rule": Look(color="text-muted"),
}


@dataclass(frozen=True)
class HighlightMark:
    """A highlight as the reader draws it."""

    id: str
    start: int
    end: int
    color: str | None  # stance colour "#rrggbb"; None -> the neutral highlight colour
    has_speaker: bool  # draws a gutter marker on the rows it covers
    # "highlight"; or a proposal of the review queue, underlined, not coloured:
    # "proposal", and "current" for the one the queue has selected.
    kind: str = "highlight"


class MarkIndex:
    """Highlights sorted by start, with a running maximum of their ends, so
    the ones overlapping a row are found by two bisects."""

    def __init__(self, marks: Sequence[HighlightMark]) -> None:
        self.marks = sorted(marks, key=lambda mark: (mark.start, mark.end))
        self.starts = [mark.start for mark in self.marks]
        self.max_ends = list(accumulate((mark.end for mark in self.marks), max))

    def change(self, removed: Sequence[HighlightMark], added: Sequence[HighlightMark]) -> None:
        """Take ``removed`` out and put ``added`` in, each at its place (bisects). The
        running maximum of the ends is redone from there only as far as it differs
        (usually a few marks): the cost does not grow with the number of marks."""
        marks, starts, max_ends = self.marks, self.starts, self.max_ends
        for mark in removed:
            index = bisect_left(starts, mark.start)
            while index < len(marks) and marks[index] != mark:
                index += 1
            if index == len(marks):
                continue
            twin = next((m for m in added if (m.start, m.end) == (mark.start, mark.end)), None)
            if twin is not None:  # restyled where it stands: the ends are as they were
                marks[index] = twin
                added = [m for m in added if m is not twin]
                continue
            del marks[index], starts[index], max_ends[index]
            self._rerun(index)
        for mark in added:
            index = bisect_right(starts, mark.start)
            while index > 0 and starts[index - 1] == mark.start and (
                    marks[index - 1].end > mark.end):
                index -= 1
            marks.insert(index, mark)
            starts.insert(index, mark.start)
            max_ends.insert(index, mark.end)
            self._rerun(index)

    def _rerun(self, index: int) -> None:
        """Redo the running maximum from ``index`` on, until it meets its old values."""
        marks, max_ends = self.marks, self.max_ends
        running = max_ends[index - 1] if index > 0 else None
        for at in range(index, len(marks)):
            end = marks[at].end
            value = end if running is None or end > running else running
            if at > index and value == max_ends[at]:
                return  # from here on it is what it was
            max_ends[at] = value
            running = value

    def overlapping(self, start: int, end: int) -> list[HighlightMark]:
        """Marks overlapping ``[start, end)``, in start order."""
        low = bisect_right(self.max_ends, start)
        high = bisect_left(self.starts, end)
        return [mark for mark in self.marks[low:high] if mark.end > start]


def _span_look(span: Span) -> str:
    kind = span.kind
    if kind == "heading":
        return f"h{span.value or 1}"
    if kind == "code_block":
        return "code"
    return kind


class RowPainter:
    """Paints rows under one theme: ``base`` is the view's own style, ``variables``
    the theme's, ``background`` the colour everything is blended onto."""

    def __init__(self, base: Style, variables: dict[str, str], background: Color) -> None:
        self.base = base
        self.looks = Looks(LOOKS, variables, background)
        self._background = background
        self._run_styles: dict[tuple, Style] = {}
        self._blanks: dict[int, Strip] = {}

    def paint(
        self,
        document: Document,
        marks: MarkIndex,
        first_row: bool,
        start: int,
        end: int,
        cursor: int,
        selection: tuple[int, int] | None,
        focused: bool,
        width: int,
        found: Sequence[tuple[int, int]] = (),
    ) -> Strip:
        """The row ``[start, end)`` of ``document`` (``first_row`` of its line), with the
        cursor at ``cursor`` (-1: not on this row), ``selection`` and the find matches
        ``found`` clipped to it."""
        text = document.text_between(start, end)
        spans = document.spans_in(start, end)
        row_marks = marks.overlapping(start, end)
        cuts = {start, end}
        # The quote bars drawn at the start of a block-quote line.
        bar_end = start
        if first_row and any(span.kind == "blockquote" for span in spans):
            while bar_end < end and text[bar_end - start] in QUOTE_BAR_CHARS + " ":
                bar_end += 1
            cuts.add(bar_end)
        items: tuple[Span | HighlightMark, ...] = (*spans, *row_marks)
        for item in items:
            cuts.add(max(item.start, start))
            cuts.add(min(item.end, end))
        if selection:
            cuts.update(selection)
        for span in found:
            cuts.update(span)
        if cursor >= 0:
            cuts.update((cursor, cursor + 1))
        segments = [self._gutter_segment(row_marks)]
        cells = GUTTER
        for low, high in pairwise(sorted(cuts)):
            kinds = tuple(_span_look(span) for span in spans if span.start <= low < span.end)
            if low < bar_end:
                kinds += ("quote-bar",)
            colors = tuple(mark.color for mark in row_marks
                           if mark.start <= low < mark.end and mark.kind == "highlight")
            kinds += tuple(mark.kind for mark in row_marks
                           if mark.start <= low < mark.end and mark.kind != "highlight")
            in_selection = selection is not None and selection[0] <= low < selection[1]
            if found and any(a <= low < b for a, b in found):
                kinds += ("found",)
            style = self._run_style(kinds, colors, in_selection, low == cursor, focused)
            chunk = text[low - start : high - start].translate(DISPLAY_TABLE)
            segments.append(Segment(chunk, style))
            cells += cell_len(chunk)
        # Padded here to the width, not by crop_extend: a row is one Strip, not two
        # (each Strip holds seven caches, and the first screen paints 40 rows).
        if cells > width:  # only a text narrower than its own wrap width does this
            return Strip(segments).crop_extend(0, width, self.base)
        if cells < width:
            segments.append(Segment(" " * (width - cells), self.base))
        return Strip(segments, width)

    def blank(self, width: int) -> Strip:
        """An empty row (the same Strip for every empty row of that width)."""
        strip = self._blanks.get(width)
        if strip is None:
            strip = self._blanks[width] = Strip.blank(width, self.base)
        return strip

    def _gutter_segment(self, marks: list[HighlightMark]) -> Segment:
        for mark in marks:
            if mark.has_speaker and mark.kind == "highlight":
                color = self.stance_color(mark.color)
                return Segment(GUTTER_MARK, self.base + Style(color=color.rich_color))
        return Segment(" " * GUTTER, self.base + self.looks.style("gutter"))

    def _run_style(self, kinds: tuple[str, ...], colors: tuple[str | None, ...],
                   selected: bool, cursor: bool, focused: bool) -> Style:
        key = (kinds, colors, selected, cursor, focused)
        style = self._run_styles.get(key)
        if style is None:
            style = self.base
            found = "found" in kinds
            for kind in kinds:
                if kind != "found":
                    style += self.looks.style(kind)
            if colors:
                style += Style(bgcolor=self._mark_color(colors).rich_color)
            if found:  # over the highlight's colour: a match shows in a highlight too
                style += self.looks.style("found")
            if selected:
                style += self.looks.style("selection")
            if cursor:
                style += self.looks.style("cursor") if focused else Style(underline=True)
            self._run_styles[key] = style
        return style

    def stance_color(self, color: str | None) -> Color:
        """A highlight's colour; the neutral one when it has none (or a bad one)."""
        if color is not None:
            try:
                return Color.parse(color)
            except ColorParseError:
                pass
        return self.looks.color(LOOKS["highlight"].background)

    def _mark_color(self, colors: tuple[str | None, ...]) -> Color:
        """Background of text under highlights: their colours averaged (so an
        overlap shows as a mix), blended onto the background."""
        parsed = [self.stance_color(color) for color in colors]
        count = len(parsed)
        mixed = Color(
            sum(c.r for c in parsed) // count,
            sum(c.g for c in parsed) // count,
            sum(c.b for c in parsed) // count,
        )
        return self._background.blend(mixed, HIGHLIGHT_ALPHA)
