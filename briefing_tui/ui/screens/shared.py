"""Small pieces the table screens share (library, speakers): the row under the cursor,
and replaying the library's undo steps."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from briefing_tui.ui.messages import USER_ERRORS, services

if TYPE_CHECKING:
    from textual.app import App
    from textual.widgets import DataTable

    from briefing_tui.core.store import Store

__all__ = ["cursor_row_key", "replay_step"]


def cursor_row_key(table: DataTable) -> str | None:
    """The key of the row under ``table``'s cursor (the id it was added with), if any."""
    if not table.row_count:
        return None
    try:
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
    except Exception:  # noqa: BLE001 - no valid cursor row: nothing selected
        return None
    return cast("str | None", row_key.value)


def replay_step(app: App, store: Store, scope: str | None, *, redo: bool,
                where: str = "") -> str | None:
    """Undo (``redo``: redo) the last step of ``scope``; return its description. None
    when nothing was replayed: an error is reported, "nothing to undo" is said."""
    try:
        description = (store.redo if redo else store.undo)(scope)
    except USER_ERRORS as error:
        services(app).report_error(error)
        return None
    if description is None:
        app.notify(f"Nothing to {'redo' if redo else 'undo'}{where}")
    return description
