"""Who is coding: the analyst each highlight records as its maker and last changer.

The name comes from, first to last: ``--analyst`` (the command line calls
:func:`set_analyst`), ``$BRIEFING_TUI_ANALYST``, ``analyst = "..."`` at the top of the
config file (``$BRIEFING_TUI_CONFIG`` or the platformdirs config folder, the file that
holds the keymap), else the login name (``getpass.getuser()``; ``"analyst"`` when the
system has none). Whitespace is collapsed and control characters become visible
placeholders, so the name is safe to show (it still goes through ``safe_line`` where
shown, as every data text).

>>> with acting_as("  Ana   Lyst "):
...     current_analyst()
'Ana Lyst'
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import platformdirs

from briefing_tui.core.safetext import safe_line

__all__ = ["ANALYST_ENV", "CONFIG_ENV", "FALLBACK", "acting_as", "config_path",
           "current_analyst", "set_analyst"]

ANALYST_ENV = "BRIEFING_TUI_ANALYST"
CONFIG_ENV = "BRIEFING_TUI_CONFIG"
APP_NAME = "briefing-tui"
FALLBACK = "analyst"  # the name when neither option, environment, config nor login gives one
MAX_LEN = 80

_override: str | None = None


def config_path() -> Path:
    """The config file: ``$BRIEFING_TUI_CONFIG`` or ``<config dir>/config.toml``.

    >>> config_path().name
    'config.toml'
    """
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def _clean(name: object) -> str:
    if not isinstance(name, str):
        return ""
    return safe_line(" ".join(name.split()))[:MAX_LEN]


def set_analyst(name: str | None) -> None:
    """Use ``name`` from now on in this process (``--analyst``); None forgets it."""
    global _override
    _override = _clean(name) or None if name is not None else None


@contextmanager
def acting_as(name: str) -> Iterator[None]:
    """Within the block, :func:`current_analyst` is ``name`` (a store's own analyst
    while it migrates: migration 13 fills existing rows with it)."""
    global _override
    saved = _override
    _override = _clean(name) or saved
    try:
        yield
    finally:
        _override = saved


def _from_config(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
    import tomllib  # only when there is a config file (start-up time)

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return ""
    return _clean(data.get("analyst"))


def _login() -> str:
    try:
        return _clean(getpass.getuser())
    except (KeyError, OSError, ImportError):  # no USER/LOGNAME and no passwd entry
        return ""


def current_analyst() -> str:
    """The analyst's name (see the module docstring); never empty."""
    return (_override or _clean(os.environ.get(ANALYST_ENV, ""))
            or _from_config(config_path()) or _login() or FALLBACK)
