"""Pilot: no control character from data is in any rendered segment.

A hostile briefing is imported (the importer cleans it) and another is stored raw (as a
database written before the cleaning holds it); both carry hostile speakers, topics and
notes. Every widget of every screen visited — library, reader pane, sidebar, status
line, notifications, pickers, dialogs — is rendered through its public ``render_lines``
and no segment may hold ESC, another C0/C1 control, DEL or a bidi override. Typed input
(speaker name, topic, note) is stored without them.
"""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.geometry import Region
from textual.widgets import DataTable, Input, TextArea

from briefing_tui.core.errors import ImportRefused
from briefing_tui.core.importer import import_paths
from briefing_tui.core.store import Store
from briefing_tui.ui.screens.library import LibraryScreen
from briefing_tui.ui.screens.reader import ReaderScreen
from briefing_tui.ui.widgets.pickers import NoteEditor, SpeakerPicker, TopicsPicker
from tests.hostile import (
    OSC_CLIPBOARD,
    PAYLOAD,
    PLACEHOLDERS,
    TITLE_MARK,
    UNSAFE,
    add_raw_hostile,
    annotate_hostile,
    hostile_markdown,
    write_hostile,
)

SIZE = (120, 40)


def rendered(app) -> str:
    """The text of every segment every widget of the current screen renders."""
    texts: list[str] = []
    for widget in app.screen.query("*"):
        width, height = widget.outer_size  # borders and padding too (an Input's text)
        if not widget.display or not width or not height:
            continue
        for strip in widget.render_lines(Region(0, 0, width, height)):
            texts.extend(segment.text for segment in strip)
    return "".join(texts)


def assert_inert(app, *, shown: tuple[str, ...] = ()) -> str:
    """No unsafe character in the rendered segments; ``shown`` fragments are there."""
    text = rendered(app)
    found = UNSAFE.search(text)
    assert found is None, f"{found.group()!r} rendered on {app.screen!r}"
    for fragment in shown:
        assert fragment in text, (fragment, app.screen)
    return text


def hostile_store(store: Store, tmp_path: Path) -> tuple[str, str]:
    """(imported id, raw id), both annotated with hostile typed input."""
    [result] = import_paths(store, [write_hostile(tmp_path)])
    annotate_hostile(store, result.briefing_id)
    raw_id = add_raw_hostile(store, tmp_path)
    annotate_hostile(store, raw_id)
    return result.briefing_id, raw_id


async def test_library_reader_sidebar_status_and_dialogs_render_no_control(
        store: Store, make_app, tmp_path: Path) -> None:
    imported_id, raw_id = hostile_store(store, tmp_path)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        text = assert_inert(app, shown=("Hostile␛]0;",))
        assert "@wire [bold]src" in text  # markup in data is shown, not obeyed

        for briefing_id in (raw_id, imported_id):
            app.open_briefing(briefing_id)
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ReaderScreen)
            screen.reader.focus()
            await pilot.pause()
            # reader pane, sidebar and status line
            assert_inert(app, shown=("␛]52;c;", "␛]0;" + TITLE_MARK, "\ufffd2J"))

            await pilot.press("tab")  # the sidebar has the keys
            await pilot.pause()
            assert screen.sidebar.has_focus
            assert_inert(app, shown=("Speaker",))

            # pickers over the current (sidebar) highlight
            for key, dialog in (("t", SpeakerPicker), ("number_sign", TopicsPicker),
                                ("c", NoteEditor)):
                await pilot.press(key)
                await pilot.pause()
                assert isinstance(app.screen, dialog)
                assert_inert(app, shown=(PLACEHOLDERS[0],))
                await pilot.press("escape")
                await pilot.pause()
                assert app.screen is screen

            # notifications and the status message naming a hostile path
            app.report_error(ImportRefused(f"/tmp/{PAYLOAD}.md: cannot read"))
            await pilot.pause()
            assert_inert(app, shown=("␛]0;" + TITLE_MARK + "␇",))
            await pilot.press("escape")  # back to the library
            await pilot.pause()
            while not isinstance(app.screen, LibraryScreen):
                await pilot.press("escape")
                await pilot.pause()
        assert_inert(app)


async def test_typed_speaker_topic_and_note_are_stored_without_controls(
        store: Store, make_app, tmp_path: Path) -> None:
    imported_id, _ = hostile_store(store, tmp_path)
    app = make_app(imported_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        await pilot.press("tab")
        await pilot.pause()
        target = screen.current_highlight()
        assert target is not None

        # Each field gets its text as a terminal paste delivers it (bracketed paste), to
        # the app, which hands it to the focused field.
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        app.post_message(events.Paste(f"Typed{PAYLOAD}"))
        await pilot.pause()
        assert_inert(app, shown=("Typed␛]0;",))  # the field and the "Create" row
        await pilot.press("enter")
        await pilot.pause()

        await pilot.press("number_sign")
        await pilot.pause()
        app.post_message(events.Paste(f"typed{OSC_CLIPBOARD}"))
        await pilot.pause()
        assert_inert(app, shown=("typed␛]52;",))
        await pilot.press("enter", "ctrl+s")
        await pilot.pause()

        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.focused, TextArea)
        app.post_message(events.Paste(f"typed note{PAYLOAD}\nline two"))
        await pilot.pause()
        assert_inert(app, shown=("typed",))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert_inert(app)

    stored = store.highlight(target.id)
    speaker = store.speaker(stored.speaker_id)
    assert speaker.name.startswith("Typed") and UNSAFE.search(speaker.name) is None
    assert "␛]0;" in speaker.name  # shown, not dropped
    assert any(t.startswith("typed") for t in stored.topics)
    assert all(UNSAFE.search(t) is None for t in stored.topics)
    # The note as it was (stored raw) with the paste at its end, all of it made safe.
    assert "typed note␛]0;" in stored.note and UNSAFE.search(stored.note) is None
    assert stored.note.endswith("\nline two")


async def test_changed_file_with_a_hostile_name_gets_a_banner_without_controls(
        store: Store, make_app, tmp_path: Path) -> None:
    path = write_hostile(tmp_path, "host\x1b]0;PWNED\x07ile\u202e.md")
    [result] = import_paths(store, [path])
    path.write_text(hostile_markdown() + "\nOne more line.\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_briefing(result.briefing_id)
        await app.workers.wait_for_complete()
        await pilot.pause()
        # The name as the CLI shows paths: undecodable bytes and controls as escapes.
        assert_inert(app, shown=("host\\x1b]0;PWNED\\x07ile\\u202e.md changed on disk",))


async def test_help_shows_a_hostile_stance_name_as_placeholders(
        store: Store, make_app, tmp_path: Path) -> None:
    # Stance names are data (an edited label set, another analyst's file).
    with store.conn:
        store.conn.execute("UPDATE stances SET name = ? WHERE key = 1", (f"backs{PAYLOAD}",))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        rows = app.screen.key_text().splitlines()
        [row] = [i for i, line in enumerate(rows) if "Stance: backs" in line]
        assert "[bold]mark[/bold]" in rows[row]  # markup shown, not obeyed
        app.screen.query_one(DataTable).move_cursor(row=row)  # scroll it into view
        await pilot.pause()
        assert_inert(app, shown=("Stance: backs␛]0;",))
