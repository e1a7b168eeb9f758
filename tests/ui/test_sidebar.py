"""Pilot tests of the Sidebar virtual list: drawing, moving, messages, filter."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.color import Color
from textual.widgets import Input, Static

from briefing_tui.ui.widgets.pickers import PathPrompt
from briefing_tui.ui.widgets.sidebar import EMPTY_TEXT, RULE, Sidebar, SidebarEntry

SIZE = (41, 20)  # the sidebar gets the whole screen: the rule, 40 cells of text; 10 entries


def entry(i: int, **changes: Any) -> SidebarEntry:
    values: dict[str, Any] = {
        "highlight_id": f"h{i}",
        "quote": f"quote number {i} " + "and some more words " * 5,
        "speaker": "Dmitry Peskov" if i % 2 == 0 else "Steve Witkoff",
        "stance": "opposes" if i % 3 == 0 else "supports",
        "color": "#d9534f" if i % 3 == 0 else "#5cb85c",
        "topics": ("ceasefire",),
        "has_note": False,
    }
    values.update(changes)
    return SidebarEntry(**values)


class SidebarApp(App[None]):
    def __init__(self, entries: list[SidebarEntry]) -> None:
        super().__init__()
        self.initial = entries
        self.highlighted: list[str] = []
        self.activated: list[str] = []

    def compose(self) -> ComposeResult:
        yield Sidebar(self.initial)

    def on_mount(self) -> None:
        self.query_one(Sidebar).focus()

    def on_sidebar_highlighted(self, message: Sidebar.Highlighted) -> None:
        self.highlighted.append(message.highlight_id)

    def on_sidebar_activated(self, message: Sidebar.Activated) -> None:
        self.activated.append(message.highlight_id)


def rows(sidebar: Sidebar) -> list[str]:
    """The text of every row on screen, as render_line draws it, after the rule."""
    drawn = [sidebar.render_line(y) for y in range(sidebar.scrollable_content_region.height)]
    width = sidebar.scrollable_content_region.width
    assert all(strip.text.startswith(RULE) and strip.cell_length == width for strip in drawn)
    return [strip.text[len(RULE):] for strip in drawn]


def quote_style(sidebar: Sidebar, y: int) -> Any:
    """Style of the quote text on screen row ``y``."""
    return next(seg.style for seg in sidebar.render_line(y) if "quote number" in seg.text)


def empty_message(sidebar: Sidebar) -> str:
    """The empty-state message as drawn (wrapped over several rows)."""
    return " ".join(" ".join(rows(sidebar)).split())


def run(entries: list[SidebarEntry]) -> Any:
    app = SidebarApp(entries)
    return app, app.run_test(size=SIZE)


async def test_entry_rows_show_quote_speaker_stance_topics_and_marks() -> None:
    app, running = run([
        entry(0, has_note=True),
        entry(1, speaker="", stance="", color=None, topics=(), orphaned=True),
    ])
    async with running as pilot:
        await pilot.pause()
        sidebar = app.query_one(Sidebar)
        text = rows(sidebar)
        assert text[0].startswith("▌ quote number 0 and some more words")
        assert text[0].rstrip().endswith("…")  # shortened
        assert text[1] == "▌ Dmitry Peskov · opposes · #ceasefire ✎".ljust(40)
        assert text[2].startswith("▌ quote number 1")
        assert text[3].rstrip() == "▌ no speaker · no stance ⚠ orphaned"
        assert all(cell_len(row) == 40 for row in text)


async def test_stance_is_drawn_in_its_colour() -> None:
    app, running = run([entry(0)])
    async with running as pilot:
        await pilot.pause()
        strip = app.query_one(Sidebar).render_line(1)
        stance = next(seg for seg in strip if seg.text == "opposes")
        assert stance.style is not None and stance.style.color is not None
        assert stance.style.color.triplet is not None
        assert stance.style.color.triplet.hex == "#d9534f"
        bar = next(seg for seg in strip if seg.text == "▌")
        assert bar.style is not None and bar.style.color is not None
        assert bar.style.color.triplet is not None
        assert bar.style.color.triplet.hex == "#d9534f"


async def test_bad_colour_falls_back_to_neutral() -> None:
    app, running = run([entry(0, color="not-a-colour")])
    async with running as pilot:
        await pilot.pause()
        assert rows(app.query_one(Sidebar))[1].startswith("▌ Dmitry Peskov · opposes")


async def test_wide_characters_are_shortened_by_cell_width() -> None:
    app, running = run([entry(0, quote="和平谈判不会带来即时结果" * 10, topics=("停火",) * 20)])
    async with running as pilot:
        await pilot.pause()
        text = rows(app.query_one(Sidebar))
        assert text[0].startswith("▌ 和平谈判")
        assert "…" in text[0]
        assert cell_len(text[0]) == 40 and cell_len(text[1]) == 40
        assert "…" in text[1]  # topics give way


async def test_newlines_in_quote_are_collapsed() -> None:
    app, running = run([entry(0, quote="one\n\n  two\tthree")])
    async with running as pilot:
        await pilot.pause()
        assert rows(app.query_one(Sidebar))[0].rstrip() == "▌ one two three"


async def test_the_rule_is_the_accent_colour_while_focused() -> None:
    app, running = run([entry(0)])
    async with running as pilot:
        await pilot.pause()
        sidebar = app.query_one(Sidebar)
        variables = app.theme_variables

        def rule_colours() -> set[str]:
            return {next(iter(sidebar.render_line(y))).style.color.triplet.hex
                    for y in range(sidebar.scrollable_content_region.height)}

        accent = Color.parse(variables["accent"]).hex.lower()
        assert rule_colours() == {accent}
        app.set_focus(None)
        await pilot.pause()
        assert rule_colours() == {Color.parse(variables["panel-lighten-2"]).hex.lower()}


async def test_empty_state_line() -> None:
    app, running = run([])
    async with running as pilot:
        await pilot.pause()
        sidebar = app.query_one(Sidebar)
        assert empty_message(sidebar) == EMPTY_TEXT
        assert cell_len(rows(sidebar)[0]) == 40
        assert sidebar.selected_id is None
        await pilot.press("j", "enter")
        await pilot.pause()
        assert app.highlighted == [] and app.activated == []


async def test_j_k_move_the_selection_and_post_highlighted() -> None:
    app, running = run([entry(i) for i in range(5)])
    async with running as pilot:
        await pilot.pause()
        sidebar = app.query_one(Sidebar)
        assert sidebar.selected_id is None
        await pilot.press("j")
        await pilot.pause()
        assert sidebar.selected_id == "h0"
        await pilot.press("j", "down", "k")
        await pilot.pause()
        assert sidebar.selected_id == "h1"
        assert app.highlighted == ["h0", "h1", "h2", "h1"]
        await pilot.press("up", "up")  # stops at the first; no message when nothing moves
        await pilot.pause()
        assert sidebar.selected_id == "h0"
        assert app.highlighted == ["h0", "h1", "h2", "h1", "h0"]


async def test_k_with_nothing_selected_takes_the_last() -> None:
    app, running = run([entry(i) for i in range(5)])
    async with running as pilot:
        await pilot.press("k")
        await pilot.pause()
        assert app.query_one(Sidebar).selected_id == "h4"


async def test_enter_posts_activated() -> None:
    app, running = run([entry(i) for i in range(5)])
    async with running as pilot:
        await pilot.press("j", "j", "enter")
        await pilot.pause()
        assert app.activated == ["h1"]


async def test_selected_entry_is_highlighted_strongly_only_when_focused() -> None:
    app, running = run([entry(i) for i in range(3)])
    async with running as pilot:
        await pilot.press("j", "j")
        await pilot.pause()
        sidebar = app.query_one(Sidebar)
        plain = quote_style(sidebar, 0)  # h0
        focused = quote_style(sidebar, 2)  # h1, selected
        sidebar.blur()
        await pilot.pause()
        assert app.focused is None
        blurred = quote_style(sidebar, 2)
        assert plain is not None and focused is not None and blurred is not None
        assert len({plain.bgcolor, focused.bgcolor, blurred.bgcolor}) == 3


async def test_ten_thousand_entries_open_scroll_and_draw_only_the_screen(
    monkeypatch: Any,
) -> None:
    app, running = run([entry(i) for i in range(10_000)])
    async with running as pilot:
        await pilot.pause()
        sidebar = app.query_one(Sidebar)
        assert sidebar.virtual_size.height == 20_000
        assert rows(sidebar)[0].startswith("▌ quote number 0 ")

        drawn: list[str] = []
        original = Sidebar._quote_row

        def counting(self: Sidebar, item: SidebarEntry, width: int) -> Any:
            drawn.append(item.highlight_id)
            return original(self, item, width)

        monkeypatch.setattr(Sidebar, "_quote_row", counting)
        await pilot.press("end")
        await pilot.pause()
        assert sidebar.selected_id == "h9999"
        assert app.highlighted == ["h9999"]
        assert sidebar.scroll_offset.y == 20_000 - 20
        screen_rows = rows(sidebar)
        assert screen_rows[-2].startswith("▌ quote number 9999 ")
        # only entries on screen were drawn (10 per screen), not 10,000
        assert 0 < len(set(drawn)) <= 10
        await pilot.press("home")
        await pilot.pause()
        assert sidebar.selected_id == "h0" and sidebar.scroll_offset.y == 0


async def test_page_down_and_up_move_a_screenful() -> None:
    app, running = run([entry(i) for i in range(100)])
    async with running as pilot:
        await pilot.press("j", "pagedown")
        await pilot.pause()
        sidebar = app.query_one(Sidebar)
        assert sidebar.selected_id == "h10"
        await pilot.press("pageup")
        await pilot.pause()
        assert sidebar.selected_id == "h0"


async def test_select_highlight_scrolls_into_view_without_a_message() -> None:
    app, running = run([entry(i) for i in range(1000)])
    async with running as pilot:
        await pilot.pause()
        sidebar = app.query_one(Sidebar)
        sidebar.select_highlight("h500")
        await pilot.pause()
        assert sidebar.selected_id == "h500"
        assert app.highlighted == []
        top = sidebar.scroll_offset.y
        assert top <= 1000 < top + 20
        assert any(row.startswith("▌ quote number 500 ") for row in rows(sidebar))
        sidebar.select_highlight(None)
        await pilot.pause()
        assert sidebar.selected_id is None
        sidebar.select_highlight("no-such-id")
        assert sidebar.selected_id is None
        assert app.highlighted == []
        # j continues from the followed entry
        sidebar.select_highlight("h500")
        await pilot.press("j")
        await pilot.pause()
        assert sidebar.selected_id == "h501"
        assert app.highlighted == ["h501"]


async def test_a_jump_centres_an_entry_out_of_view_and_leaves_one_in_view_alone() -> None:
    app, running = run([entry(i) for i in range(1000)])
    async with running as pilot:
        await pilot.pause()
        sidebar = app.query_one(Sidebar)
        sidebar.select_highlight("h500")  # far out of view: to the middle (rows 1000-1001)
        await pilot.pause()
        assert sidebar.scroll_offset.y == 1000 - (20 - 2) // 2
        top = sidebar.scroll_offset.y
        for following in ("h501", "h502", "h499"):  # the next jumps (`]`, `[`): no scroll
            sidebar.select_highlight(following)
            await pilot.pause()
            assert sidebar.scroll_offset.y == top
        # keys in the list itself scroll by as little as needed
        sidebar.select_highlight("h504")  # the last entry fully on screen (rows 1008-1009)
        await pilot.pause()
        assert sidebar.scroll_offset.y == top
        await pilot.press("j")
        await pilot.pause()
        assert sidebar.selected_id == "h505" and sidebar.scroll_offset.y == top + 1


async def test_a_new_selection_repaints_only_the_two_entries_it_touches() -> None:
    app, running = run([entry(i) for i in range(100)])
    async with running as pilot:
        await pilot.pause()
        sidebar = app.query_one(Sidebar)
        sidebar.select_highlight("h3")
        await pilot.pause()
        refreshed: list[tuple[int, int]] = []
        refresh_lines = sidebar.refresh_lines

        def spy(y_start: int, line_count: int = 1) -> None:
            refreshed.append((y_start, line_count))
            refresh_lines(y_start, line_count)

        sidebar.refresh_lines = spy  # type: ignore[method-assign]
        sidebar.select_highlight("h4")
        await pilot.pause()
        assert refreshed == [(6, 2), (8, 2)]
        assert quote_style(sidebar, 8) != quote_style(sidebar, 6)  # the cursor moved down


async def test_filter_by_speaker_and_by_stance() -> None:
    app, running = run([entry(i) for i in range(6)])
    async with running as pilot:
        await pilot.pause()
        sidebar = app.query_one(Sidebar)
        sidebar.set_filter("PESKOV")
        await pilot.pause()
        assert [e.highlight_id for e in sidebar.visible_entries] == ["h0", "h2", "h4"]
        text = rows(sidebar)
        assert text[0].startswith(" Filter: PESKOV — 3 of 6")
        assert text[1].startswith("▌ quote number 0 ")
        sidebar.set_filter("oppos")
        await pilot.pause()
        assert [e.highlight_id for e in sidebar.visible_entries] == ["h0", "h3"]
        await pilot.press("j", "j")
        await pilot.pause()
        assert app.highlighted == ["h0", "h3"]
        sidebar.set_filter("nobody")
        await pilot.pause()
        assert sidebar.visible_entries == []
        assert sidebar.selected_id is None  # hidden entries cannot be acted on
        assert empty_message(sidebar).endswith("No highlights match “nobody”")
        sidebar.set_filter("")
        await pilot.pause()
        assert len(sidebar.visible_entries) == 6
        assert sidebar.selected_id == "h3"  # remembered while filtered out
        assert rows(sidebar)[0].startswith("▌ quote number 0 ")


async def test_set_entries_keeps_selection_and_moves_to_neighbour_on_delete() -> None:
    entries = [entry(i) for i in range(4)]
    app, running = run(entries)
    async with running as pilot:
        sidebar = app.query_one(Sidebar)
        sidebar.select_highlight("h2")
        sidebar.set_entries([entry(9)] + entries)  # a new highlight before it
        assert sidebar.selected_id == "h2"
        sidebar.set_entries([e for e in entries if e.highlight_id != "h2"])
        assert sidebar.selected_id == "h3"  # took the deleted entry's place
        sidebar.set_entries([entries[0]])
        assert sidebar.selected_id == "h0"
        sidebar.set_entries([])
        assert sidebar.selected_id is None
        await pilot.pause()
        assert empty_message(sidebar) == EMPTY_TEXT


async def test_click_selects_and_activates() -> None:
    app, running = run([entry(i) for i in range(5)])
    async with running as pilot:
        await pilot.pause()
        await pilot.click(Sidebar, offset=(5, 5))  # row 5 = second row of entry 2
        await pilot.pause()
        assert app.query_one(Sidebar).selected_id == "h2"
        assert app.highlighted == ["h2"]
        assert app.activated == ["h2"]


async def test_a_double_click_activates_and_selects_no_text() -> None:
    # The click is the sidebar's own: Widget's default (select all the widget's text on
    # a double click) must not run under it.
    app, running = run([entry(i) for i in range(5)])
    async with running as pilot:
        await pilot.pause()
        await pilot.double_click(Sidebar, offset=(5, 3))  # row 3 = second row of entry 1
        await pilot.pause()
        assert app.query_one(Sidebar).selected_id == "h1"
        assert app.activated == ["h1", "h1"]
        assert app.screen.get_selected_text() is None
        assert not app.screen.selections


async def test_f_asks_for_a_filter() -> None:
    app, running = run([entry(i) for i in range(6)])
    async with running as pilot:
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, PathPrompt)
        assert isinstance(app.focused, Input)
        await pilot.press(*"witkoff", "enter")
        await pilot.pause()
        sidebar = app.query_one(Sidebar)
        assert sidebar.filter_text == "witkoff"
        assert [e.highlight_id for e in sidebar.visible_entries] == ["h1", "h3", "h5"]
        await pilot.press("f", "escape")  # cancel keeps the filter
        await pilot.pause()
        assert sidebar.filter_text == "witkoff"


async def test_bindings_have_ids_and_descriptions_and_are_documented() -> None:
    for binding in Sidebar.BINDINGS:
        assert binding.id and binding.id.startswith("sidebar.")  # type: ignore[union-attr]
        assert binding.description  # type: ignore[union-attr]
        assert f"`{binding.id}`" in (Sidebar.__doc__ or "")  # type: ignore[union-attr]


async def test_sidebar_in_a_layout_with_other_widgets() -> None:
    class Split(App[None]):
        CSS = "Screen { layout: horizontal; } Static { width: 1fr; } Sidebar { width: 30; }"

        def compose(self) -> ComposeResult:
            yield Static("text")
            yield Sidebar([entry(0)])

    app = Split()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        sidebar = app.query_one(Sidebar)
        assert sidebar.size.width == 30
        assert cell_len(sidebar.render_line(0).text) == 30


def test_usable_before_it_is_mounted() -> None:
    sidebar = Sidebar([entry(0), entry(1)])
    sidebar.set_filter("witkoff")
    sidebar.select_highlight("h1")
    assert sidebar.selected_id == "h1"
    assert sidebar.virtual_size.height == 1 + 2  # filter header + one entry


async def test_filter_terms_combine_over_alias_topic_and_note() -> None:
    entries = [entry(0, aliases=("Peskov",)), entry(1, aliases=("Vitkoff",)),
               entry(2, topics=("root causes",), note="says the talks stall"),
               entry(3, aliases=("Vitkoff",), topics=("root causes",))]
    app, running = run(entries)
    async with running as pilot:
        await pilot.pause()
        sidebar = app.query_one(Sidebar)
        shown = lambda: [e.highlight_id for e in sidebar.visible_entries]
        sidebar.set_filter("peskov opposes")
        assert shown() == ["h0"]
        sidebar.set_filter("vitkoff")
        assert shown() == ["h1", "h3"]
        sidebar.set_filter("#root-causes")
        assert shown() == ["h2", "h3"]
        sidebar.set_filter("stall")
        assert shown() == ["h2"]
        await pilot.pause()
        assert rows(sidebar)[0].startswith(" Filter: stall — 1 of 4")


async def test_f_opens_with_the_previous_filter_selected() -> None:
    app, running = run([entry(i) for i in range(6)])
    async with running as pilot:
        sidebar = app.query_one(Sidebar)
        sidebar.set_filter("peskov")
        await pilot.press("f")
        await pilot.pause()
        field = app.screen.query_one("#value", Input)
        assert field.value == "peskov"
        assert field.selected_text == "peskov"
        await pilot.press(*"oppos", "enter")  # typing replaces the old filter
        await pilot.pause()
        assert sidebar.filter_text == "oppos"
        await pilot.press("f", "end", *" witkoff", "enter")  # a cursor key keeps it to edit
        await pilot.pause()
        assert sidebar.filter_text == "oppos witkoff"
        assert [e.highlight_id for e in sidebar.visible_entries] == ["h3"]
