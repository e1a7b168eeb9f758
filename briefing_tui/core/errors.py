"""StoreError: the one exception the store raises for a problem a user can act on.

It lives apart from :mod:`briefing_tui.core.store` so the store's helper
modules (:mod:`briefing_tui.core.undo`) can raise it too; import it from
``briefing_tui.core.store`` as before.
"""

from __future__ import annotations

__all__ = ["StoreError"]


class StoreError(Exception):
    """A problem with the database the user can act on (one line)."""
