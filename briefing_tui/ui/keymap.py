"""User key remapping: the ``[keys]`` table of the config file, as data.

The config file is TOML at ``<user_config_dir("briefing-tui")>/config.toml``; the
environment variable ``BRIEFING_TUI_CONFIG`` points elsewhere (tests, portable set-ups).
Each entry maps a binding id to one key or several, comma separated or as a list::

    [keys]
    "reader.down" = "ctrl+n"
    "annot.highlight" = ["enter", "h"]

The app hands the result to ``App.set_keymap``; Textual replaces the keys of every
binding whose id is listed.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "briefing-tui"
CONFIG_ENV = "BRIEFING_TUI_CONFIG"


class KeymapError(Exception):
    """The config file exists but cannot be used (one line, shown as a notification)."""


def default_config_path() -> Path:
    """Where the config file lives: ``$BRIEFING_TUI_CONFIG`` or the platformdirs config dir.

    >>> default_config_path().name
    'config.toml'
    """
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def parse_keymap(text: str, *, origin: str = "config") -> dict[str, str]:
    """Read the ``[keys]`` table of a TOML document into ``{binding_id: "key[,key...]"}``.

    >>> parse_keymap('[keys]\\n"reader.down" = "ctrl+n"\\n"app.help" = ["f1", "?"]')
    {'reader.down': 'ctrl+n', 'app.help': 'f1,?'}

    Raises ``KeymapError`` for invalid TOML or a value that is not a key string.
    """
    import tomllib  # only when there is a config file (start-up time)

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise KeymapError(f"{origin}: invalid TOML ({error}); default keys kept") from None
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        raise KeymapError(f"{origin}: [keys] must be a table; default keys kept")
    keymap: dict[str, str] = {}
    for binding_id, value in keys.items():
        if isinstance(value, str):
            parts = value.split(",")
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            parts = list(value)
        else:
            raise KeymapError(
                f"{origin}: key for {binding_id!r} must be a string or a list of strings;"
                " default keys kept"
            )
        cleaned = [part.strip() for part in parts if part.strip()]
        if not cleaned:
            raise KeymapError(f"{origin}: empty key for {binding_id!r}; default keys kept")
        keymap[binding_id] = ",".join(cleaned)
    return keymap


def load_keymap(path: Path | None = None) -> dict[str, str]:
    """Load the keymap from ``path`` (default: ``default_config_path()``).

    A missing file is an empty keymap (defaults apply). An unreadable or invalid file
    raises ``KeymapError`` so the app can tell the user and keep the defaults.
    """
    path = path if path is not None else default_config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise KeymapError(f"{path}: cannot read ({error}); default keys kept") from None
    return parse_keymap(text, origin=str(path))
