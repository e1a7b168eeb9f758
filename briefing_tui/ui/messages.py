"""What flows between the app and its screens: user errors shown as one-line
notifications, the store-changed signal's payload, the status-line message.

``USER_ERRORS`` are the exceptions a user can cause (a bad path, a locked or
read-only database, an export target that exists): the UI catches them and shows
their one-line message as a notification, never a traceback.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, cast

from textual.message import Message

from briefing_tui.core.errors import ExportError, ImportRefused, StoreError
from briefing_tui.core.safetext import safe_line
from briefing_tui.ui.keymap import KeymapError

if TYPE_CHECKING:
    from pathlib import Path

    from textual.app import App
    from textual.signal import Signal

    from briefing_tui.core.store import Store

USER_ERRORS: tuple[type[BaseException], ...] = (
    StoreError,
    ImportRefused,
    ExportError,
    KeymapError,
    # The store should wrap these, but a lock held by a second instance or a full disk
    # must still end as a message on screen.
    sqlite3.Error,
    OSError,
)


def one_line(error: BaseException) -> str:
    """The first line of an error's message (its type name when the message is empty),
    with controls shown as placeholders: messages name paths, which come from data.

    >>> one_line(ValueError("bad\\nthing"))
    'bad'
    >>> one_line(OSError("no \\x1b]0;x\\x07.md"))
    'no ␛]0;x␇.md'
    """
    text = str(error).strip()
    if not text:
        return type(error).__name__
    return safe_line(text.splitlines()[0])



@dataclass(frozen=True)
class StoreChange:
    """What the app's ``store_changed`` signal carries: the store changed outside the
    screen showing it (a speaker edited from the palette, a file re-imported by a worker).

    ``briefing_id`` None means any briefing may be affected; ``reimported`` means its text
    changed too (a reader shows the new text, then ``message`` in its status line).
    """

    briefing_id: str | None = None
    reimported: bool = False
    message: str = ""


class ShowStatus(Message):
    """Put a line in the status line of the screen that gets it (if it has one)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class AppServices(Protocol):
    """What screens and the command palette ask of the app, without importing its module
    (the app imports the screens; import-linter keeps that one-way)."""

    store: Store
    store_changed: Signal[StoreChange]

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = True) -> None: ...
    def call_from_thread(self, callback: Callable[..., Any], *args: Any,
                         **kwargs: Any) -> Any: ...
    def report_error(self, error: BaseException) -> None: ...
    def open_briefing(self, briefing_id: str, at: int | None = None) -> None: ...
    def show_speakers(self) -> None: ...
    def edit_briefing(self, briefing_id: str) -> None: ...
    def show_library(self) -> None: ...
    def export_briefing(self, briefing_id: str, fmt: str = "md") -> None: ...
    def export_all(self, fmt: str = "md") -> None: ...
    def edit_speaker(self, initial: str = "") -> None: ...
    def action_help(self) -> None: ...
    def export_folder(self) -> Path: ...


def services(app: App[Any]) -> AppServices:
    """``app`` as the briefing app it is (screens only ever run inside one)."""
    return cast("AppServices", app)
