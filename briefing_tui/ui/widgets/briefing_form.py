"""The form that edits a briefing's metadata from the library: title, source, date, URL.

A :class:`~briefing_tui.ui.widgets.pickers.FormDialog` like the speaker editor; the
library saves what it dismisses with through ``Store.set_briefing_metadata`` (one undo
step of the library).
"""

from __future__ import annotations

from typing import ClassVar

from briefing_tui.core.models import BriefingInfo
from briefing_tui.ui.widgets.pickers import FormDialog

__all__ = ["BriefingEditor"]


class BriefingEditor(FormDialog):
    """Edit a briefing's title, source, published date and URL.

    Dismisses with ``{"title", "source", "published", "url"}`` (the keyword arguments of
    `Store.set_briefing_metadata`) or None. A blank title is refused with a message. The
    fields show the stored values made safe (controls as placeholders, see SafeInput):
    metadata comes from the web. It opens on Title; tab goes down the fields.

    | Key(s) | id | Description |
    | :- | :- | :- |
    | ctrl+s, enter | `picker.save` / (Input submit) | Save. |
    | tab / shift+tab | (app) | Next / previous field. |
    | escape | `picker.cancel` | Cancel (dismiss None). |
    """

    FIELDS: ClassVar[tuple[tuple[str, str, str], ...]] = (
        ("title", "Title", ""),
        ("source", "Source", "who published it"),
        ("published", "Date", "YYYY-MM-DD"),
        ("url", "URL", "https://…"),
    )
    REQUIRED: ClassVar[tuple[str, str]] = ("title", "The title cannot be empty.")

    def __init__(self, info: BriefingInfo, *, title: str = "Edit briefing") -> None:
        super().__init__(title)
        self.info = info

    def initial_values(self) -> dict[str, str]:
        """The briefing's metadata as stored."""
        return {field: str(getattr(self.info, field)) for field, _label, _hint in self.FIELDS}
