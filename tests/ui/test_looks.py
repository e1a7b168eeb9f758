"""Named looks resolved against theme variables (briefing_tui.ui.looks)."""

from __future__ import annotations

from rich.style import Style
from textual.app import App
from textual.color import Color

from briefing_tui.ui.looks import Look, Looks
from briefing_tui.ui.widgets.row_painter import LOOKS as READER_LOOKS
from briefing_tui.ui.widgets.sidebar import LOOKS as SIDEBAR_LOOKS

VARIABLES = {"accent": "#ff0000", "muted": "auto 50%", "half": "#0000ff80",
             "cursor-style": "bold", "plain": "none"}
BLACK = Color(0, 0, 0)


def looks(**named: Look) -> Looks:
    return Looks(named, VARIABLES, BLACK)


def test_a_theme_colour_by_name_and_with_alpha_blends_onto_the_background() -> None:
    assert looks().color("accent") == Color(255, 0, 0)
    assert looks().color("accent 50%") == Color(127, 0, 0)
    assert looks().color("half") == Color(0, 0, 128)  # alpha in the variable itself


def test_auto_is_the_text_colour_that_reads_on_what_is_under_it() -> None:
    on_black = looks().color("muted")
    assert on_black.brightness > 0.4  # light text on black, at half strength
    white = Color(255, 255, 255)
    assert looks().color("muted", under=white).brightness < 0.6


def test_style_combines_colour_background_and_text_style() -> None:
    style = looks(x=Look("accent", "half", "$cursor-style")).style("x")
    assert style == Style(color="#ff0000", bgcolor="#000080", bold=True)
    assert looks(y=Look(text_style="$plain")).style("y") == Style()
    assert looks(z=Look(text_style="not italic")).style("z").italic is False


def test_unknown_names_fall_back_quietly() -> None:
    assert looks().style("nothing") == Style()
    assert looks().color("no-such-colour") == BLACK


def test_every_look_of_the_widgets_resolves_under_every_builtin_theme() -> None:
    app = App()
    for theme in app.available_themes:
        app.theme = theme
        variables = app.get_css_variables()
        background = Color.parse(variables["surface"])
        for table in (READER_LOOKS, SIDEBAR_LOOKS):
            resolved = Looks(table, variables, background)
            for name, look in table.items():
                style = resolved.style(name)
                if look.color:
                    assert style.color is not None, (theme, name)
                if look.background:
                    assert style.bgcolor is not None, (theme, name)
