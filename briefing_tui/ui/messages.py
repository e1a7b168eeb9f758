"""What flows between the app and its screens: user errors shown as one-line
notifications, the store-changed signal's payload, the status-line message.

``USER_ERRORS`` are the exceptions a user can cause (a bad path, a locked or
read-only database, an export target that exists): the UI catches them and shows
their one-line message as a notification, never a traceback.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from textual.message import Message

from briefing_tui.core.errors import ExportError, ImportRefused, StoreError
from briefing_tui.ui.keymap import KeymapError

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
    """The first line of an error's message (its type name when the message is empty).

    >>> one_line(ValueError("bad\\nthing"))
    'bad'
    """
    text = str(error).strip()
    if not text:
        return type(error).__name__
    return text.splitlines()[0]



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
