"""Opening a briefing at start-up (``briefing-tui FILE``): the reader comes first.

The library under it builds its table only when it is first shown, and the changed-file
check puts its banner on the reader once the text is on screen.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Footer

from briefing_tui.core.store import Store
from briefing_tui.ui.screens.library import LibraryScreen
from briefing_tui.ui.screens.reader import ReaderScreen
from tests.ui.conftest import BRIEFING_MD

SIZE = (100, 30)
NEW = "A late statement arrived from the capital."


def edit(briefing_file: Path) -> None:
    briefing_file.write_text(BRIEFING_MD.replace("# Talks stall over the river crossing\n",
                                                 "# Talks stall over the river crossing\n\n"
                                                 + NEW + "\n"), encoding="utf-8")


async def test_the_reader_is_the_first_screen_and_its_footer_follows_the_text(
        make_app, briefing_id) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert [type(screen) for screen in pilot.app.screen_stack] == [ReaderScreen]
        assert pilot.app.screen.query(Footer)  # the reader's footer arrives after its text
        pilot.app.screen.reader.focus()
        await pilot.press("escape")
        await pilot.pause()
        library = pilot.app.screen
        assert isinstance(library, LibraryScreen)
        table = library.query_one("#briefings", DataTable)
        assert table.row_count == 1 and pilot.app.focused is table


async def test_changed_file_at_start_gets_a_banner_and_r_reloads_it(
        make_app, store: Store, briefing_id, briefing_file: Path) -> None:
    edit(briefing_file)
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        reader = pilot.app.screen
        assert isinstance(reader, ReaderScreen)
        assert NEW not in reader.document.text  # the stored copy is already on screen
        assert "river-crossing.md changed on disk" in str(
            reader.query_one("#source-banner").render())
        await pilot.press("R")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert pilot.app.screen is reader and not reader.query("#source-banner")
        assert NEW in reader.document.text
        assert "re-imported" in str(reader.query_one("#status").render())
    assert store.briefing_info(briefing_id).revision == 2


async def test_changed_file_at_start_left_alone_keeps_the_stored_copy(
        make_app, store: Store, briefing_id, briefing_file: Path) -> None:
    edit(briefing_file)
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(pilot.app.screen, ReaderScreen)
        assert pilot.app.screen.query("#source-banner")
        assert NEW not in pilot.app.screen.document.text
    assert store.briefing_info(briefing_id).revision == 1


async def test_slash_mounts_the_find_line_once(make_app, briefing_id) -> None:
    async with make_app(briefing_id).run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = pilot.app.screen
        assert not screen.query("#find-bar")
        for _ in range(2):
            await pilot.press("slash")
            await pilot.pause()
            assert len(screen.query("#find-bar")) == 1 and screen.query_one("#find-bar").display
            await pilot.press("escape")
            await pilot.pause()
            assert not screen.query_one("#find-bar").display


async def test_reader_layout_text_and_sidebar_above_find_status_and_footer(
        make_app, briefing_id) -> None:
    # No container holds the text and the sidebar: the rows at the bottom are split off
    # the screen in DOM order, so a wrong mount order would stack them wrongly.
    async with make_app(briefing_id).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await pilot.pause()
        screen = pilot.app.screen
        footer = screen.query_one(Footer).region
        status = screen.query_one("#status").region
        find = screen.query_one("#find-bar").region
        reader = screen.query_one("#reader").region
        sidebar = screen.query_one("#sidebar").region
        assert (footer.y, status.y, find.y) == (29, 28, 27)
        assert footer.width == status.width == find.width == 100
        assert reader.y == sidebar.y == 0 and reader.bottom == sidebar.bottom == 27
        assert reader.right == sidebar.x and sidebar.right == 100
        assert sidebar.width == 30  # 30% of the width


async def test_the_first_screen_is_rendered_once_not_inside_the_start_up_batch(
        make_app, briefing_id) -> None:
    # Textual drops every repaint made while the app's Mount handler runs: a reader pushed
    # there was laid out and rendered for nothing, then again (15 ms of a 5 MB open).
    app = make_app(briefing_id)
    dropped: list[str] = []
    display = app._display

    def spy(screen, renderable) -> None:
        if renderable is not None and app._batch_count:
            dropped.append(type(screen).__name__)
        display(screen, renderable)

    app._display = spy  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, ReaderScreen)
    assert "ReaderScreen" not in dropped


async def test_a_long_briefing_is_drawn_from_its_head_then_reads_the_rest(
        store: Store, tmp_path: Path, config_path: Path) -> None:
    from briefing_tui.core.importer import import_paths
    from briefing_tui.core.schema import READING_HEAD
    from briefing_tui.ui.app import BriefingApp

    path = tmp_path / "long.md"
    paragraphs = (f'Paragraph {n}: the envoy said "more talks" again.' for n in range(1500))
    path.write_text("# Long\n\n" + "\n\n".join(paragraphs) + "\n\nThe very end.\n",
                    encoding="utf-8")
    [result] = import_paths(store, [path])
    with Store(store.path) as fresh:  # nothing cached: as at start-up
        text = fresh.get_briefing(result.briefing_id).document.text
        assert len(text) > 2 * READING_HEAD
    with Store(store.path) as fresh:
        app = BriefingApp(fresh, result.briefing_id, config_path=config_path)
        frames: list[int] = []
        frames_before_read: list[int] = []
        display, read = app._display, fresh._revision_text

        def spy_display(screen, renderable) -> None:
            if renderable is not None and not app._batch_count:
                frames.append(1)
            display(screen, renderable)

        def spy_read(info):
            frames_before_read.append(len(frames))
            return read(info)

        app._display = spy_display  # type: ignore[method-assign]
        fresh._revision_text = spy_read  # type: ignore[method-assign]
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = pilot.app.screen
            assert isinstance(screen, ReaderScreen)
            assert frames_before_read and frames_before_read[0] >= 1  # drawn from the head
            assert screen.document.text_loaded  # and the rest read right after
            screen.reader.focus()
            await pilot.press("G")
            await pilot.pause()
            assert screen.reader.cursor == len(text) - 1
            assert "100%" in str(screen.query_one("#status").render())
