"""Completing a typed path with tab, as a shell does.

>>> (tmp_path / "briefings").mkdir(); (tmp_path / "brief.md").write_text("x")
1
>>> complete_path(str(tmp_path / "bri")).completed == str(tmp_path / "brief")
True
>>> complete_path(str(tmp_path / "briefi")).completed == str(tmp_path / "briefings") + "/"
True
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

MAX_CANDIDATES = 200  # a folder of thousands lists its first ones; typing narrows it


@dataclass(frozen=True)
class Completion:
    """``completed``: the text with the common part of every match added (a folder that
    is the only match gets its ``/``); ``candidates``: the names that match, sorted."""

    completed: str
    candidates: tuple[str, ...]


def complete_path(text: str) -> Completion:
    """Complete the last part of ``text`` among the entries of its folder.

    ``~`` is understood and kept as typed; hidden entries are offered only when the
    typed part starts with a dot. A folder that cannot be read completes nothing.
    """
    head, partial = text[:text.rfind(os.sep) + 1], text[text.rfind(os.sep) + 1:]
    folder = Path(os.path.expanduser(head)) if head else Path(".")
    names: list[str] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith(partial) and (
                        partial.startswith(".") or not entry.name.startswith(".")):
                    names.append(entry.name + (os.sep if _is_dir(entry) else ""))
                    if len(names) >= MAX_CANDIDATES:
                        break
    except OSError:
        return Completion(text, ())
    names.sort()
    if not names:
        return Completion(text, ())
    common = os.path.commonprefix(names)
    return Completion(head + common, tuple(names))


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False
