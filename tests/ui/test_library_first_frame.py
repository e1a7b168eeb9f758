"""The library's first frame is its real one: the table's columns come with their widths.

DataTable measures new cells only when idle, after a frame has been drawn at the widths
of the column labels (titles cut to "Bench"); the library gives each column the width
DataTable would measure (:func:`column_widths`), so the first frame shows the titles and
no second frame is needed (#17.4, cold start).
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable

from briefing_tui.core.models import BriefingInfo
from briefing_tui.ui.screens.library import COLUMNS, LibraryScreen, column_widths, row_cells

TITLE_WIDTH = 40
INFOS = [
    BriefingInfo("a", "Talks stall", "Wire", "2025-03-20", highlight_count=0),
    BriefingInfo("b", "A title far longer than the forty cells the column is given here",
                 "A source with a long name", "2024-11-02T10:00", highlight_count=12345,
                 orphan_count=3),
    BriefingInfo("c", "Брифінг МЗС: 会談 wide 漢字 characters", "通信社", "2025",
                 changed_count=1200),
    BriefingInfo("d", "Controls\x1b[2J in\ta\u202etitle\n", "tab\tsource\x07", "2025-01-01"),
]


class MeasuringApp(App[None]):
    """A DataTable with automatic column widths, filled as the library fills its own."""

    def __init__(self, infos: list[BriefingInfo]) -> None:
        super().__init__()
        self.infos = infos

    def compose(self) -> ComposeResult:
        yield DataTable()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for column in COLUMNS:
            table.add_column(column, key=column.lower())
        for info in self.infos:
            table.add_row(*row_cells(info, TITLE_WIDTH), key=info.id)


async def measured_widths(infos: list[BriefingInfo]) -> tuple[int, ...]:
    app = MeasuringApp(infos)
    async with app.run_test(size=(200, 20)) as pilot:
        await pilot.pause()  # DataTable measures the cells when idle
        table = app.query_one(DataTable)
        return tuple(column.content_width for column in table.ordered_columns)


async def test_the_given_widths_are_those_datatable_measures() -> None:
    for infos in (INFOS, INFOS[:1], INFOS[2:], []):
        assert column_widths(infos, TITLE_WIDTH) == await measured_widths(infos)


async def test_the_first_frame_is_drawn_at_the_given_widths(make_app, store,
                                                            briefing_id) -> None:
    async with make_app().run_test(size=(120, 30)) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, LibraryScreen)
        table = screen.query_one(DataTable)
        # No column waits for DataTable's measurement when idle.
        assert [column.auto_width for column in table.ordered_columns] == [False] * len(COLUMNS)
        assert "Talks stall over the river crossing" in str(table.get_row_at(0)[0])
        widths = [column.width for column in table.ordered_columns]
        assert widths[0] == len("Talks stall over the river crossing")
        await pilot.pause()
        # Measured since, they are what was given.
        assert [column.content_width for column in table.ordered_columns] == widths
