"""Paths to import: the briefing files under folders, and file names as safe text.

A path on Linux is bytes; Python hands names that are not UTF-8 over with the
undecodable bytes as lone surrogates, which SQLite (UTF-8 text) cannot store and a
terminal should not be sent. Such a name, a symlink loop or a broken link given on
its own is refused (``ImportRefused``); inside a folder it is skipped and reported.
Imported by the importer and the command line, so it loads nothing heavy.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from briefing_tui.core.errors import ImportRefused

FORMATS = {".md": "markdown", ".markdown": "markdown", ".txt": "text"}
# Files in a folder that are documentation about the folder, not briefings.
_SKIPPED_STEMS = {"readme", "license", "licence", "changelog", "contributing"}


@dataclass(frozen=True)
class Skipped:
    """An entry of a folder that was not imported: ``path`` (escaped for display) and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"skipped {self.path}: {self.reason}"


SkipHandler = Callable[[Skipped], None]


def display_path(path: str | os.PathLike[str]) -> str:
    r"""``path`` as safe, readable text: undecodable bytes and control characters escaped.

    >>> display_path(os.fsdecode(b"/tmp/bad\xff\x1b.md"))
    '/tmp/bad\\xff\\x1b.md'
    """
    raw = os.fsencode(path).decode("utf-8", "backslashreplace")
    if raw.isprintable():
        return raw
    return "".join(ch if ch.isprintable() or ch == " " else _escape_char(ch) for ch in raw)


def _escape_char(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def utf8_name(path: str | os.PathLike[str]) -> bool:
    r"""Whether the name decodes as UTF-8 (on Linux, other bytes arrive as surrogates).

    >>> utf8_name("café.md"), utf8_name(os.fsdecode(b"caf\xe9.md"))
    (True, False)
    """
    try:
        os.fspath(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def collect_files(paths: Iterable[str | Path], *,
                  on_skip: SkipHandler | None = None) -> list[Path]:
    """Expand ``paths`` into the briefing files to import (absolute, deduplicated, in order).

    Raises ``ImportRefused`` for a missing path, a folder without briefings, a file
    whose extension is not a briefing format and a path that cannot be stored (a
    name that is not UTF-8, a symlink loop). Inside folders such entries are
    skipped and given to ``on_skip``.
    """
    seen: set[Path] = set()
    files: list[Path] = []
    given = list(paths)
    if not given:
        raise ImportRefused("nothing to import: give one or more files or folders")
    for raw in given:
        path = Path(raw).expanduser()
        shown = display_path(raw)
        problem = _path_problem(path)
        if problem == "missing":
            raise ImportRefused(f"no such file or folder: {shown}")
        if problem:
            raise ImportRefused(f"{shown}: {problem}")
        path = path.resolve()
        if path.is_dir():
            found = _briefings_in(path, on_skip or (lambda skipped: None))
            if not found:
                raise ImportRefused(
                    f"no briefings (.md, .markdown, .txt) in folder: {shown}")
        elif not path.is_file():
            raise ImportRefused(f"{shown}: not a regular file")
        elif path.suffix.lower() in FORMATS:
            found = [path]
        else:
            kind = f"'{display_path(path.suffix)}'" if path.suffix else "without an extension"
            raise ImportRefused(
                f"{shown}: unsupported file type {kind} (briefings are .md, .markdown or .txt)")
        for f in found:
            if f not in seen:
                seen.add(f)
                files.append(f)
    return files


def _path_problem(path: Path) -> str:
    """Why ``path`` cannot be imported ("missing", or a reason to show), else ""."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop"
        if os.path.islink(path):
            return "broken symlink"
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return "missing"
        return f"cannot read ({exc.strerror or exc})"
    if not utf8_name(path.expanduser().absolute()):
        kind = "folder" if os.path.isdir(path) else "file"
        return f"{kind} name is not valid UTF-8 (rename it to import it)"
    return ""


def _briefings_in(folder: Path, on_skip: SkipHandler) -> list[Path]:
    """The briefing files under ``folder``, depth first in name order (= sorted by the
    parts of their relative paths). Symlinked sub-folders are followed once each; one
    that leads to a folder being walked or above it (``ln -s .. up``) is a loop, skipped."""
    found: list[Path] = []
    visited: set[tuple[int, int]] = set()

    def walk(directory: Path, ancestors: tuple[str, ...]) -> None:
        try:
            with os.scandir(directory) as scan:
                names = sorted(entry.name for entry in scan)
        except OSError as exc:
            on_skip(Skipped(display_path(directory), f"cannot read ({exc.strerror or exc})"))
            return
        for name in names:
            if name.startswith("."):
                continue
            path = directory / name
            suffix = os.path.splitext(name)[1].lower()
            briefing_name = suffix in FORMATS and Path(name).stem.lower() not in _SKIPPED_STEMS
            try:
                st = os.stat(path)
            except OSError as exc:
                if briefing_name or exc.errno == errno.ELOOP:
                    reason = ("symlink loop" if exc.errno == errno.ELOOP
                              else "broken symlink" if os.path.islink(path)
                              else f"cannot read ({exc.strerror or exc})")
                    on_skip(Skipped(display_path(path), reason))
                continue
            is_dir = stat.S_ISDIR(st.st_mode)
            if not (is_dir or briefing_name):
                continue
            if not utf8_name(name):
                on_skip(Skipped(display_path(path), "file name is not valid UTF-8"
                                if not is_dir else "folder name is not valid UTF-8"))
                continue
            if is_dir:
                key = (st.st_dev, st.st_ino)
                real = os.path.realpath(path)
                if any(a == real or a.startswith(real.rstrip(os.sep) + os.sep)
                       for a in ancestors):
                    on_skip(Skipped(display_path(path), "symlink loop (leads back to "
                                                        "a folder it is in)"))
                elif key not in visited:
                    visited.add(key)
                    walk(path, (*ancestors, real))
            elif stat.S_ISREG(st.st_mode):
                found.append(path)

    root = os.stat(folder)
    visited.add((root.st_dev, root.st_ino))
    walk(folder, (os.path.realpath(folder),))
    return found
