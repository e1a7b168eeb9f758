"""Snapshot of the matrix screen (counts in the stance colours) at 100x30, on fixed data.

Regenerate after an intended visual change with
``pytest tests/ui/test_matrix_snapshot.py --snapshot-update`` and look at the SVG.
"""

from __future__ import annotations

from textual.widgets import DataTable

from tests.ui.test_snapshots import SIZE, annotate, build


def test_matrix(snap_compare, store, briefing_id, config_path) -> None:
    annotate(store, briefing_id)

    async def open_matrix(pilot) -> None:
        await pilot.pause()
        pilot.app.screen.query_one("#briefings", DataTable).focus()
        await pilot.press("M")
        await pilot.pause()

    assert snap_compare(build(store, None, config_path), terminal_size=SIZE,
                        run_before=open_matrix)
