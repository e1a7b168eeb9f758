"""User errors: what the UI catches and shows as a one-line notification.

``USER_ERRORS`` are the exceptions a user can cause (a bad path, a locked or
read-only database, an export target that exists): the UI catches them and shows
their one-line message as a notification, never a traceback.
"""

from __future__ import annotations

import sqlite3

from briefing_tui.core.errors import ExportError, ImportRefused, StoreError
from briefing_tui.core.safetext import safe_line
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

