"""What an app under test told its user, read through public API.

Textual keeps the notifications it shows in ``App._notifications``, a private name. Every
notification of ours goes through the public ``App.notify`` (a screen's or widget's
``notify`` calls the app's), so the autouse fixture :func:`record_notifications` wraps
``BriefingApp.notify`` for the test and records each call, per app, in order.

Unlike the toasts on screen, the record keeps a notification after its timeout: a slow
test machine cannot make one vanish before the test reads it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

import pytest


@dataclass(frozen=True)
class Notice:
    """One ``notify`` call: its message, severity and title."""

    message: str
    severity: str = "information"
    title: str = ""


_RAISED: WeakKeyDictionary[Any, list[Notice]] = WeakKeyDictionary()


@pytest.fixture(autouse=True)
def record_notifications(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Record every notification a ``BriefingApp`` raises during the test."""
    from briefing_tui.ui.app import BriefingApp

    show = BriefingApp.notify

    def notify(self: BriefingApp, message: str, **options: Any) -> None:
        _RAISED.setdefault(self, []).append(Notice(
            message, options.get("severity", "information"), options.get("title", "")))
        show(self, message, **options)

    monkeypatch.setattr(BriefingApp, "notify", notify)
    yield
    _RAISED.clear()


def notices(app: object) -> list[Notice]:
    """Every notification ``app`` raised so far, oldest first."""
    return list(_RAISED.get(app, ()))


def notifications(app: object, severity: str | None = None) -> list[str]:
    """The messages ``app`` raised so far (of one ``severity`` if given), oldest first."""
    return [notice.message for notice in notices(app)
            if severity is None or notice.severity == severity]
