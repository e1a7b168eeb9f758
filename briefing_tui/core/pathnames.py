"""File names as safe one-line text, and whether a name can be stored.

A path on Linux is bytes; Python hands names that are not UTF-8 over with the
undecodable bytes as lone surrogates, which SQLite (UTF-8 text) cannot store and a
terminal should not be sent. Imported by the importer and the command line, so it
loads nothing heavy.
"""

from __future__ import annotations

import os


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
