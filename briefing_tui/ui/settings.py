"""Settings of the config file besides the keymap: where the app proposes exports.

The same TOML file as the keymap (:func:`briefing_tui.ui.keymap.default_config_path`)::

    [export]
    folder = "~/reports/briefings"

Without it, exports go to ``<documents>/briefing-tui`` (platformdirs' documents folder,
``~/Documents`` on most systems); ``$BRIEFING_TUI_EXPORT_DIR`` overrides both. The folder
is made on the first export into it.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import platformdirs

from briefing_tui.ui.keymap import APP_NAME

EXPORT_DIR_ENV = "BRIEFING_TUI_EXPORT_DIR"
NAME_WIDTH = 40  # characters of the title's slug in a proposed file name


def export_folder(config_path: Path | None) -> Path:
    """The folder exports are proposed in (absolute; see the module docstring).

    A config file that is missing, unreadable or without ``[export] folder`` gives the
    default: a broken keymap is reported when the app starts, once.
    """
    override = os.environ.get(EXPORT_DIR_ENV, "").strip()
    if override:
        return Path(override).expanduser().absolute()
    folder = ""
    if config_path is not None:
        try:
            data = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            data = {}
        section = data.get("export")
        if isinstance(section, dict) and isinstance(section.get("folder"), str):
            folder = section["folder"].strip()
    if folder:
        return Path(folder).expanduser().absolute()
    return Path(platformdirs.user_documents_dir()) / APP_NAME


def export_name(slug: str, published: str, fmt: str) -> str:
    """A short file name: the title's slug cut at a word near ``NAME_WIDTH`` characters,
    then the date when the briefing has one.

    >>> export_name("russia-s-goals-in-its-war-against-ukraine-are-incompatible", "2025-03-20", "md")
    'russia-s-goals-in-its-war-against-2025-03-20.md'
    >>> export_name("brief", "", "csv")
    'brief.csv'
    """
    if len(slug) > NAME_WIDTH:
        cut = slug[:NAME_WIDTH + 1]
        slug = cut[:cut.rfind("-")] if "-" in cut[1:] else slug[:NAME_WIDTH]
    date = published[:10] if re.fullmatch(r"\d{4}-\d{2}-\d{2}", published[:10]) else ""
    return f"{slug}-{date}.{fmt}" if date else f"{slug}.{fmt}"
