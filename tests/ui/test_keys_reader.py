"""Pilot tests of the reader screen's keys: each asserts the state the key changes."""

from __future__ import annotations

from pathlib import Path

from briefing_tui.core.store import Store
from briefing_tui.ui.screens.library import LibraryScreen
from briefing_tui.ui.screens.reader import ReaderScreen
from briefing_tui.ui.widgets.pickers import NoteEditor, SpeakerPicker, TopicsPicker
from briefing_tui.ui.widgets.sidebar import Sidebar
from tests.ui.conftest import notifications, offset_of, type_text

SIZE = (100, 30)
FIRST = "The envoy met both delegations on Monday."
SECOND = "Officials said the meeting lasted three hours."


def reader_screen(app) -> ReaderScreen:
    screen = app.screen
    assert isinstance(screen, ReaderScreen), f"expected the reader, got {screen!r}"
    return screen


async def open_reader(pilot) -> ReaderScreen:
    await pilot.pause()
    screen = reader_screen(pilot.app)
    screen.reader.focus()
    await pilot.pause()
    return screen


async def highlight_text(pilot, store: Store, briefing_id: str, needle: str) -> str:
    """Select ``needle`` in the reader and press enter; return the new highlight's id."""
    screen = reader_screen(pilot.app)
    start = offset_of(store, briefing_id, needle)
    screen.reader.select_span(start, start + len(needle))
    before = {h.id for h in store.highlights(briefing_id)}
    await pilot.press("enter")
    await pilot.pause()
    [new] = [h for h in store.highlights(briefing_id) if h.id not in before]
    return new.id


def highlight_both(store: Store, briefing_id: str) -> tuple[int, int, str, str]:
    """Highlight the FIRST and the SECOND sentence: their starts and highlight ids."""
    first = offset_of(store, briefing_id, FIRST)
    second = offset_of(store, briefing_id, SECOND)
    one = store.create_highlight(briefing_id, first, first + len(FIRST))
    two = store.create_highlight(briefing_id, second, second + len(SECOND))
    return first, second, one.id, two.id


# ------------------------------------------------------------------ enter


async def test_enter_without_selection_highlights_the_sentence_under_the_cursor(
        make_app, store, briefing_id) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        screen = await open_reader(pilot)
        screen.reader.move_cursor(offset_of(store, briefing_id, "delegations on Monday"))
        await pilot.press("enter")
        await pilot.pause()
        [highlight] = store.highlights(briefing_id)
        assert highlight.exact == FIRST
        start = offset_of(store, briefing_id, FIRST)
        assert (highlight.start, highlight.end) == (start, start + len(FIRST))
        assert screen.current_highlight().id == highlight.id
        assert screen.sidebar.selected_id == highlight.id


async def test_enter_highlights_the_selection_and_clears_it(make_app, store, briefing_id) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        screen = await open_reader(pilot)
        start = offset_of(store, briefing_id, "deputy minister")
        screen.reader.select_span(start, start + len("deputy minister"))
        await pilot.press("enter")
        await pilot.pause()
        [highlight] = store.highlights(briefing_id)
        assert (highlight.start, highlight.end) == (start, start + len("deputy minister"))
        assert highlight.exact == "deputy minister"
        assert screen.reader.selection is None
        assert "1 highlight" in str(screen.query_one("#status").render())


# ------------------------------------------------------------------ stance 1-9, 0


async def test_number_keys_set_and_zero_clears_the_stance(make_app, store, briefing_id) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        highlight_id = await highlight_text(pilot, store, briefing_id, FIRST)
        await pilot.press("2")
        await pilot.pause()
        assert store.stance(store.highlight(highlight_id).stance_id).name == "opposes"
        await pilot.press("1")
        await pilot.pause()
        assert store.stance(store.highlight(highlight_id).stance_id).name == "supports"
        await pilot.press("0")
        await pilot.pause()
        assert store.highlight(highlight_id).stance_id is None


async def test_stance_key_without_label_changes_nothing(make_app, store, briefing_id) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        highlight_id = await highlight_text(pilot, store, briefing_id, FIRST)
        await pilot.press("3")
        await pilot.press("9")  # the default label set stops at 4
        await pilot.pause()
        assert store.stance(store.highlight(highlight_id).stance_id).name == "conditional"
        assert any("key 9" in message for message in notifications(pilot.app))


async def test_stance_without_a_current_highlight_warns(make_app, store, briefing_id) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        await pilot.press("2")
        await pilot.pause()
        assert store.highlights(briefing_id) == []
        assert any("No highlight here" in m for m in notifications(pilot.app))


# ------------------------------------------------------------------ t speaker


async def test_t_creates_the_typed_speaker_and_sets_it(make_app, store, briefing_id) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        highlight_id = await highlight_text(pilot, store, briefing_id, FIRST)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SpeakerPicker)
        await type_text(pilot, "Dmitry Peskov")
        await pilot.press("enter")
        await pilot.pause()
        speaker = store.speaker(store.highlight(highlight_id).speaker_id)
        assert speaker.name == "Dmitry Peskov"
        assert isinstance(pilot.app.screen, ReaderScreen)


async def test_t_picks_an_existing_speaker_by_part_of_the_name(
        make_app, store, briefing_id) -> None:
    existing = store.create_speaker("Maria Zakharova", role="Foreign ministry spokeswoman")
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        highlight_id = await highlight_text(pilot, store, briefing_id, FIRST)
        await pilot.press("t")
        await pilot.pause()
        await type_text(pilot, "zakh")
        await pilot.press("enter")
        await pilot.pause()
        assert store.highlight(highlight_id).speaker_id == existing.id
        assert len(store.speakers()) == 1


async def test_t_escape_leaves_the_speaker_unset(make_app, store, briefing_id) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        highlight_id = await highlight_text(pilot, store, briefing_id, FIRST)
        await pilot.press("t")
        await pilot.pause()
        await type_text(pilot, "Nobody")
        await pilot.press("escape")
        await pilot.pause()
        assert store.highlight(highlight_id).speaker_id is None
        assert store.speakers() == []


# ------------------------------------------------------------------ # topics, c note


async def test_number_sign_sets_topics(make_app, store, briefing_id) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        highlight_id = await highlight_text(pilot, store, briefing_id, FIRST)
        await pilot.press("number_sign")
        await pilot.pause()
        assert isinstance(pilot.app.screen, TopicsPicker)
        await type_text(pilot, "ceasefire")
        await pilot.press("enter")  # create and select it
        await type_text(pilot, "crossings")
        await pilot.press("enter")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert store.highlight(highlight_id).topics == ("ceasefire", "crossings")


async def test_a_typed_topic_is_saved_and_shown_as_one_string(make_app, store,
                                                              briefing_id) -> None:
    """#14.5: "Мирні переговори" / "root causes" keep their words; the status line, the
    sidebar and the store show the same string."""
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        reader = await open_reader(pilot)
        highlight_id = await highlight_text(pilot, store, briefing_id, FIRST)
        await pilot.press("number_sign")
        await pilot.pause()
        await type_text(pilot, "root causes")
        await pilot.press("enter")
        await type_text(pilot, "Мирні переговори")
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = ("root-causes", "мирні-переговори")
        assert store.highlight(highlight_id).topics == saved
        [entry] = pilot.app.screen.sidebar.entries
        assert entry.topics == saved
        status = str(pilot.app.screen.query_one("#status").render())
        assert "topics: #root-causes, #мирні-переговори" in status
        assert reader is pilot.app.screen


async def test_c_edits_the_note_and_escape_cancels(make_app, store, briefing_id) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        highlight_id = await highlight_text(pilot, store, briefing_id, FIRST)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(pilot.app.screen, NoteEditor)
        await type_text(pilot, "first meeting")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert store.highlight(highlight_id).note == "first meeting"
        await pilot.press("c")
        await pilot.pause()
        await type_text(pilot, " changed")
        await pilot.press("escape")
        await pilot.pause()
        assert store.highlight(highlight_id).note == "first meeting"


# ------------------------------------------------------------------ x, u, ctrl+r


async def test_x_deletes_u_undoes_ctrl_r_redoes(make_app, store, briefing_id) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        screen = await open_reader(pilot)
        highlight_id = await highlight_text(pilot, store, briefing_id, FIRST)
        await pilot.press("2")
        await pilot.press("x")
        await pilot.pause()
        assert store.highlights(briefing_id) == []
        assert len(screen.sidebar.entries) == 0
        assert "deleted (u to undo)" in str(screen.query_one("#status").render())
        assert notifications(pilot.app) == []
        await pilot.press("u")
        await pilot.pause()
        [restored] = store.highlights(briefing_id)
        assert restored.id == highlight_id
        assert store.stance(restored.stance_id).name == "opposes"
        assert len(screen.sidebar.entries) == 1
        status = str(screen.query_one("#status").render())
        assert "undone: delete highlight" in status, status  # the status line, no toast
        assert not any(m.startswith("Undone:") for m in notifications(pilot.app))
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert store.highlights(briefing_id) == []
        assert "redone: delete highlight" in str(screen.query_one("#status").render())


async def test_u_undoes_stance_then_creation(make_app, store, briefing_id) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await open_reader(pilot)
        highlight_id = await highlight_text(pilot, store, briefing_id, FIRST)
        await pilot.press("4")
        await pilot.press("u")
        await pilot.pause()
        assert store.highlight(highlight_id).stance_id is None
        await pilot.press("u")
        await pilot.pause()
        assert store.highlights(briefing_id) == []
        await pilot.press("u")
        await pilot.pause()
        assert any(m == "Nothing to undo" for m in notifications(pilot.app))


# ------------------------------------------------------------------ ] and [


async def test_brackets_jump_between_highlights(make_app, store, briefing_id) -> None:
    first = offset_of(store, briefing_id, FIRST)
    second = offset_of(store, briefing_id, "A spokesman")
    store.create_highlight(briefing_id, second, second + len("A spokesman"))
    store.create_highlight(briefing_id, first, first + len(FIRST))
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        screen = await open_reader(pilot)
        screen.reader.move_cursor(0)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert screen.reader.cursor == first
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert screen.reader.cursor == second
        assert screen.current_highlight().start == second
        await pilot.press("right_square_bracket")  # none after: stays
        await pilot.pause()
        assert screen.reader.cursor == second
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert screen.reader.cursor == first
        assert screen.sidebar.selected_id == screen.current_highlight().id


def import_long(store: Store, tmp_path: Path) -> tuple[str, str]:
    """A briefing of 200 short paragraphs (far more than a screen): its id and text."""
    from briefing_tui.core.importer import import_paths

    path = tmp_path / "long.md"
    path.write_text("# Long\n\n" + "\n\n".join(f"Paragraph {n} of the talks." for n in range(200))
                    + "\n", encoding="utf-8")
    [result] = import_paths(store, [path])
    return result.briefing_id, store.get_briefing(result.briefing_id).document.text


async def test_brackets_scroll_only_to_a_highlight_off_screen_and_then_centre_it(
        make_app, store: Store, tmp_path: Path) -> None:
    briefing_id, text = import_long(store, tmp_path)
    near, far = text.index("Paragraph 11 "), text.index("Paragraph 150 ")  # rows 24, 302
    for start in (near, far):
        store.create_highlight(briefing_id, start, start + 9)
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        screen = await open_reader(pilot)
        reader = screen.reader
        await pilot.press("right_square_bracket")  # in view: the text stays where it is
        await pilot.pause()
        assert reader.cursor == near and reader.scroll_offset.y == 0
        await pilot.press("right_square_bracket")  # far below: its row comes mid-screen
        await pilot.pause()
        assert reader.cursor == far
        line, row, _ = reader._position(reader.cursor)
        cursor_y = reader._row_y(line, row) - reader.scroll_offset.y
        assert cursor_y == reader._view_height() // 2


async def test_the_sidebar_keeps_pace_with_the_text_read(
        make_app, store: Store, tmp_path: Path) -> None:
    briefing_id, text = import_long(store, tmp_path)
    for n in range(0, 200, 5):  # 40 highlights: 80 sidebar rows, more than a screen
        start = text.index(f"Paragraph {n} ")
        store.create_highlight(briefing_id, start, start + 9)
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        screen = await open_reader(pilot)
        sidebar = screen.sidebar
        assert sidebar.scroll_offset.y == 0
        screen.reader.move_cursor(text.index("Paragraph 152 "))  # between two highlights
        await pilot.pause()
        assert sidebar.selected_id is None  # nothing under the cursor is selected...
        index = [e.highlight_id for e in sidebar.visible_entries].index(
            screen._nearest_highlight().id)
        top, height = sidebar.scroll_offset.y, sidebar.scrollable_content_region.height
        assert top <= index * 2 < top + height  # ...but the next highlight is in view
        assert index == 31  # the one at paragraph 155


# ------------------------------------------------------------------ tab, sidebar


async def test_tab_toggles_focus_between_text_and_sidebar(make_app, store, briefing_id) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        screen = await open_reader(pilot)
        assert screen.reader.has_focus
        await pilot.press("tab")
        await pilot.pause()
        assert isinstance(pilot.app.focused, Sidebar)
        await pilot.press("tab")
        await pilot.pause()
        assert pilot.app.focused is screen.reader


async def test_annotate_keys_in_the_sidebar_act_on_the_selected_entry(
        make_app, store, briefing_id) -> None:
    first, _, one, two = highlight_both(store, briefing_id)
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        screen = await open_reader(pilot)
        screen.reader.move_cursor(first + 3)  # cursor on the first highlight
        await pilot.press("tab")
        await pilot.pause()
        assert screen.sidebar.selected_id == one
        await pilot.press("j")
        await pilot.pause()
        assert screen.sidebar.selected_id == two
        await pilot.press("3")
        await pilot.pause()
        assert store.highlight(two).stance_id is not None
        assert store.highlight(one).stance_id is None
        await pilot.press("x")
        await pilot.pause()
        assert [h.id for h in store.highlights(briefing_id)] == [one]


async def test_enter_in_the_sidebar_jumps_to_the_highlight(make_app, store, briefing_id) -> None:
    second = offset_of(store, briefing_id, "A spokesman")
    store.create_highlight(briefing_id, second, second + len("A spokesman"))
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        screen = await open_reader(pilot)
        screen.reader.move_cursor(0)
        await pilot.press("tab")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.reader.cursor == second
        assert pilot.app.focused is screen.reader


async def test_the_sidebar_follows_the_cursor_after_the_texts_frame_once_per_frame(
        make_app, store, briefing_id) -> None:
    first, second, one, two = highlight_both(store, briefing_id)
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        screen = await open_reader(pilot)
        screen.reader.move_cursor(first + 3)
        await pilot.pause()
        assert screen.sidebar.selected_id == one
        events: list[str] = []
        refresh, follow = screen._compositor_refresh, screen._follow_cursor

        def frame() -> None:
            events.append("frame")
            refresh()

        def following() -> None:
            events.append(f"sidebar:{screen.sidebar.selected_id == one}")
            follow()

        screen._compositor_refresh = frame  # type: ignore[method-assign]
        screen._follow_cursor = following  # type: ignore[method-assign]
        for offset in (first + 5, first + 9, second + 2):  # three moves before a frame
            screen.reader.move_cursor(offset)
        await pilot.pause()
        await pilot.pause()
        # One follow-up, after the frame that showed the cursor on the second sentence.
        assert events[0] == "frame" and events.count("sidebar:True") == 1, events
        assert screen.sidebar.selected_id == two


# ------------------------------------------------------------------ find


async def test_find_moves_the_cursor_and_n_N_repeat(make_app, store, briefing_id) -> None:
    text = store.get_briefing(briefing_id).document.text
    first = text.lower().find("delegations")
    second = text.lower().find("delegations", first + 1)
    assert 0 <= first < second
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        screen = await open_reader(pilot)
        screen.reader.move_cursor(0)
        await pilot.press("slash")
        await pilot.pause()
        assert screen.query_one("#find-bar").display
        await type_text(pilot, "Delegations")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.reader.cursor == first
        assert pilot.app.focused is screen.reader
        assert not screen.query_one("#find-bar").display
        await pilot.press("n")
        await pilot.pause()
        assert screen.reader.cursor == second
        await pilot.press("N")
        await pilot.pause()
        assert screen.reader.cursor == first


async def test_find_escape_cancels_without_moving(make_app, store, briefing_id) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        screen = await open_reader(pilot)
        screen.reader.move_cursor(0)
        await pilot.press("slash")
        await type_text(pilot, "spokesman")
        await pilot.press("escape")
        await pilot.pause()
        assert screen.reader.cursor == 0
        assert not screen.query_one("#find-bar").display
        assert pilot.app.focused is screen.reader
        assert isinstance(pilot.app.screen, ReaderScreen)


async def test_find_not_found_says_so(make_app, store, briefing_id) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        screen = await open_reader(pilot)
        screen.reader.move_cursor(5)
        await pilot.press("slash")
        await type_text(pilot, "zebra")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.reader.cursor == 5
        assert "Not found: zebra" in notifications(pilot.app)


# ------------------------------------------------------------------ escape


async def test_escape_clears_the_selection_then_returns_to_the_library(
        make_app, store, briefing_id) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        screen = await open_reader(pilot)
        screen.reader.select_span(0, 5)
        await pilot.press("escape")
        await pilot.pause()
        assert screen.reader.selection is None
        assert pilot.app.screen is screen
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, LibraryScreen)


# ------------------------------------------------------------------ another instance


async def test_changes_by_another_instance_are_picked_up(
        make_app, store, briefing_id, tmp_path: Path) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        screen = await open_reader(pilot)
        assert screen.highlights == []
        other = Store(tmp_path / "briefings.db")
        try:
            start = offset_of(other, briefing_id, FIRST)
            made = other.create_highlight(briefing_id, start, start + len(FIRST))
        finally:
            other.close()
        screen.poll_store()  # what the timer does every POLL_SECONDS
        await pilot.pause()
        assert [h.id for h in screen.highlights] == [made.id]
        assert [e.highlight_id for e in screen.sidebar.entries] == [made.id]


# ------------------------------------------------------------------ the current highlight


async def test_current_highlight_is_the_innermost_under_the_cursor(
        make_app, store, briefing_id) -> None:
    start = offset_of(store, briefing_id, FIRST)
    inner_start = offset_of(store, briefing_id, "both delegations")
    outer = store.create_highlight(briefing_id, start, start + len(FIRST))
    inner = store.create_highlight(briefing_id, inner_start, inner_start + len("both delegations"))
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        screen = await open_reader(pilot)
        screen.reader.move_cursor(inner_start + 2)
        await pilot.press("1")
        await pilot.pause()
        assert store.highlight(inner.id).stance_id is not None
        assert store.highlight(outer.id).stance_id is None
        screen.reader.move_cursor(start + 1)
        await pilot.press("2")
        await pilot.pause()
        assert store.stance(store.highlight(outer.id).stance_id).name == "opposes"


async def test_current_highlight_falls_back_to_the_one_just_made(
        make_app, store, briefing_id) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        screen = await open_reader(pilot)
        highlight_id = await highlight_text(pilot, store, briefing_id, FIRST)
        screen.reader.move_cursor(offset_of(store, briefing_id, "Observers noted"))
        await pilot.press("3")
        await pilot.pause()
        assert store.stance(store.highlight(highlight_id).stance_id).name == "conditional"


# ------------------------------------------------------------------ errors are messages


async def test_read_only_database_refuses_changes_with_a_message(
        store, briefing_id, config_path, tmp_path: Path) -> None:
    from briefing_tui.ui.app import BriefingApp

    readonly = Store(tmp_path / "briefings.db", readonly=True)
    try:
        app = BriefingApp(readonly, briefing_id, config_path=config_path)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_reader(pilot)
            status = screen.query_one("#status")
            assert "read-only database" in str(status.render())
            screen.reader.move_cursor(offset_of(readonly, briefing_id, FIRST))
            await pilot.press("enter")
            await pilot.pause()
            assert pilot.app.is_running and pilot.app.screen is screen
            messages = notifications(pilot.app)
            assert len(messages) == 1 and "\n" not in messages[0]
            assert messages[0] in str(status.render())
            assert store.highlights(briefing_id) == []
    finally:
        readonly.close()
