"""The form that edits a briefing's metadata from the library: title, source, date, URL.

A :class:`~briefing_tui.ui.widgets.pickers.PickerDialog` like the speaker editor; the
library saves what it dismisses with through ``Store.set_briefing_metadata`` (one undo
step of the library).
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from briefing_tui.core.models import BriefingInfo
from briefing_tui.ui.widgets.pickers import CANCEL, PickerDialog
from briefing_tui.ui.widgets.safeinput import SafeInput

__all__ = ["BriefingEditor"]


class BriefingEditor(PickerDialog):
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

    BINDINGS: ClassVar[list[BindingType]] = [
        CANCEL,
        Binding("ctrl+s", "save", "Save", id="picker.save", show=True, priority=True),
    ]

    FIELDS: ClassVar[tuple[tuple[str, str, str], ...]] = (
        ("title", "Title", ""),
        ("source", "Source", "who published it"),
        ("published", "Date", "YYYY-MM-DD"),
        ("url", "URL", "https://…"),
    )

    def __init__(self, info: BriefingInfo, *, title: str = "Edit briefing") -> None:
        super().__init__(title)
        self.info = info

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            for field, label, placeholder in self.FIELDS:
                yield Label(label)
                yield SafeInput(str(getattr(self.info, field)), id=field,
                                placeholder=placeholder, select_on_focus=False)
            yield Static("", id="error", classes="error")
            yield Static("enter / ctrl+s save · tab next field · esc cancel", classes="hint")

    def on_mount(self) -> None:
        """Start in the title field, the first shown."""
        self.query_one("#title", Input).focus()

    def _value(self, field: str) -> str:
        return " ".join(self.query_one(f"#{field}", Input).value.split())

    def action_save(self) -> None:
        """Dismiss with the edited fields, unless the title is blank."""
        if not self._value("title"):
            self.query_one("#error", Static).update("The title cannot be empty.")
            self.query_one("#title", Input).focus()
            return
        self.dismiss({field: self._value(field) for field, _label, _hint in self.FIELDS})

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()
