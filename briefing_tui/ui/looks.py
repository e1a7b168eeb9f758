"""Named looks of the custom-drawn widgets, resolved against the app's theme.

The reader and the sidebar draw their rows themselves (Line API) and need a Rich
style per kind of run: a heading level, emphasis, the cursor, the selection. They
could declare these as Textual component classes, but Textual re-applies the whole
stylesheet to a virtual node per component class each time the widget's styles
are updated (mount, focus, screen changes): 25 classes made a tenth of the time
to the first screen. A :class:`Look` names theme variables instead (``accent``,
``primary 45%``), and :class:`Looks` turns them into Rich styles once per theme and
background, the way Textual's own ``TextArea`` builds its theme from colours.
A theme change reaches the widgets as ``notify_style_update``: they drop their
:class:`Looks` and build new ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rich.style import Style
from textual.color import Color, ColorParseError


@dataclass(frozen=True)
class Look:
    """Colours as theme variables (``"accent"``, ``"primary 45%"``) and a text style."""

    color: str = ""
    background: str = ""
    text_style: str = ""  # Rich syntax, or a theme variable as ``"$name"``


class Looks:
    """Rich styles of named looks under one theme, over one background colour."""

    def __init__(self, looks: Mapping[str, Look], variables: Mapping[str, str],
                 background: Color) -> None:
        self._looks = looks
        self._variables = variables
        self.background = background
        self._styles: dict[str, Style] = {}

    def color(self, spec: str, under: Color | None = None) -> Color:
        """``"name"`` or ``"name NN%"``: the theme's colour (with that alpha) blended onto
        ``under`` (the background by default). ``auto`` is the text colour that reads
        on ``under``, as in Textual CSS. An unknown name or colour gives ``under``."""
        under = self.background if under is None else under
        value = self._variables.get(spec, spec)  # a variable may itself be "auto 60%"
        name, _, percent = value.partition(" ")
        alpha = float(percent.rstrip("%")) / 100 if percent else 1.0
        if name == "auto":
            return under + under.get_contrast_text(alpha)
        try:
            color = Color.parse(self._variables.get(name, name))
        except ColorParseError:
            return under
        return under + color.multiply_alpha(alpha)

    def style(self, name: str) -> Style:
        """The Rich style of look ``name`` (a null style for an unknown name)."""
        style = self._styles.get(name)
        if style is None:
            look = self._looks.get(name)
            style = self._styles[name] = self._build(look) if look else Style()
        return style

    def _build(self, look: Look) -> Style:
        background = self.color(look.background) if look.background else None
        style = Style(
            color=self.color(look.color, background).rich_color if look.color else None,
            bgcolor=background.rich_color if background else None,
        )
        text_style = look.text_style
        if text_style.startswith("$"):
            text_style = self._variables.get(text_style[1:], "")
        if text_style and text_style != "none":
            style += Style.parse(text_style)
        return style
