"""The core's exceptions for problems a user can act on (each message is one line).

StoreError is the one exception the store raises. It lives apart from
:mod:`briefing_tui.core.store` so the store's helper modules
(:mod:`briefing_tui.core.undo`) can raise it too; import it from
``briefing_tui.core.store`` as before. ImportRefused and ExportError live here
too so the UI can catch them without importing the importer and the exporter
(and their dependencies) at start-up; they stay importable from
:mod:`briefing_tui.core.importer` and :mod:`briefing_tui.core.export`.
"""

from __future__ import annotations

__all__ = ["ExportError", "ImportRefused", "StoreError"]


class StoreError(Exception):
    """A problem with the database the user can act on (one line)."""


class ImportRefused(Exception):
    """A path cannot be imported; the message is one line naming the file and the cause."""


class ExportError(Exception):
    """An export cannot be made or written; the message is one line."""
