"""Where briefing-tui keeps its data and finds its bundled sample briefings."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "briefing-tui"
DB_ENV = "BRIEFING_TUI_DB"
DB_FILENAME = "briefings.db"


def default_db_path() -> Path:
    """The database used when neither ``--db`` nor ``$BRIEFING_TUI_DB`` is given.

    >>> default_db_path().name
    'briefings.db'
    """
    return Path(platformdirs.user_data_dir(APP_NAME)) / DB_FILENAME


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database to use: ``explicit`` (``--db``), else ``$BRIEFING_TUI_DB``, else the default."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(DB_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    return default_db_path()


def is_default_db(explicit: str | os.PathLike[str] | None = None) -> bool:
    """Whether :func:`db_path` falls back to the platform default (no ``--db``, no env)."""
    return not explicit and not os.environ.get(DB_ENV, "").strip()


def samples_dir() -> Path:
    """The bundled sample briefings.

    Inside an installed wheel they live at ``briefing_tui/sample_briefings`` (hatch
    force-include); in a source checkout or editable install, at ``<repo>/sample_briefings``.
    """
    package_dir = Path(__file__).resolve().parent
    bundled = package_dir / "sample_briefings"
    if bundled.is_dir():
        return bundled
    return package_dir.parent / "sample_briefings"
