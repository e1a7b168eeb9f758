"""Text from data made safe to show: no control character reaches a terminal.

Briefings come from the open web and from other people's files, and what people type
or paste can hold the same bytes. A terminal obeys ESC, CSI and OSC sequences (window
title, clipboard writes, clearing the screen), C1 controls (U+009B is a one-character
CSI) and BEL; bidi overrides and isolates reorder what is shown around them. So every
such character is shown as a visible placeholder of one cell, one character for one
character (offsets and cell widths stay what they were):

- C0 controls U+0000–U+001F become their Unicode Control Pictures (ESC -> ``␛``),
  DEL becomes ``␡``;
- C1 controls U+0080–U+009F, bidi embeddings, overrides and isolates
  (U+202A–U+202E, U+2066–U+2069), the deprecated format controls U+206A–U+206F and
  the interlinear annotation controls U+FFF9–U+FFFB become ``�`` (U+FFFD).

Where it applies (decided once, here): the importer runs the reading text and the
metadata of every briefing through it (the stored source text stays byte-exact); the
pickers run typed speaker names, topics and notes through it; and every sink that
prints data (the library, the sidebar, the status line, notifications, the pickers,
``briefing-tui list``/``import``/``export``, error lines naming a path) runs it again,
so text stored before this existed is safe too. The reader pane draws the reading text
with :data:`READER_TABLE`.

>>> safe_display("a\\x1b]0;owned\\x07b")
'a␛]0;owned␇b'
>>> safe_line("two\\nlines\\u202e!")
'two lines�!'
"""

from __future__ import annotations

import re

__all__ = [
    "CSV_FORMULA_PREFIXES",
    "READER_TABLE",
    "REPLACEMENT",
    "UNSAFE",
    "csv_cell",
    "safe_display",
    "safe_line",
]

REPLACEMENT = "\ufffd"  # for the characters without a control picture

# Explicit bidi formatting characters (the "Trojan Source" set) and other invisible
# format controls that change how the text around them is shown.
_FORMAT = [*range(0x202A, 0x202F), *range(0x2066, 0x2070), *range(0xFFF9, 0xFFFC)]

_TABLE: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}
_TABLE[0x7F] = "\u2421"  # ␡
_TABLE.update({code: REPLACEMENT for code in [*range(0x80, 0xA0), *_FORMAT]})

_FORMAT_CLASS = "\u202a-\u202e\u2066-\u206f\ufff9-\ufffb"
#: Every character :func:`safe_display` replaces (all controls but newline and tab,
#: and the format characters above), as a regular expression.
UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_FORMAT_CLASS}]")
# What a one-line place replaces: the same, and line breaks and tabs (as spaces).
_LINE_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_FORMAT_CLASS}]")
_LINE = {**_TABLE, **{ord(c): " " for c in "\n\t\r\u2028\u2029"}}


def _placeholder(match: re.Match[str]) -> str:
    return _TABLE[ord(match.group())]


#: ``str.translate`` table of the reader pane: a row's end of line is drawn as a space
#: (the cursor can rest there); other controls as their placeholders; the format
#: controls (zero cells wide in a reading text stored before import made them
#: placeholders) are dropped, so a row keeps the width its layout measured.
READER_TABLE: dict[int, str] = {
    **_TABLE, ord("\n"): " ", **{code: "" for code in _FORMAT},
}


def safe_display(text: str) -> str:
    """``text`` with every control and bidi/format character shown as a placeholder;
    newlines and tabs stay (for multi-line places: notes, the reading text, Markdown);
    a carriage return is shown as ``␍``.

    >>> safe_display("x\\x9b2J\\ny\\u2066z")
    'x�2J\\ny�z'
    """
    # A substitution, not str.translate: a 5 MB reading text holds a newline on every
    # line and usually nothing to replace, and translate would visit every character.
    return UNSAFE.sub(_placeholder, text)


def safe_line(text: str) -> str:
    """``text`` for a one-line place (a table cell, a status line, a notification, a
    CLI line): like :func:`safe_display`, and line breaks and tabs become spaces.

    >>> safe_line("a\\r\\nb\\tc\\x1b[2J")
    'a  b c␛[2J'
    """
    if _LINE_UNSAFE.search(text) is None:
        return text
    return text.translate(_LINE)


# ---------------------------------------------------------------------------- CSV

#: What makes a spreadsheet read a cell as a formula (OWASP "CSV injection"):
#: = + - @, and tab or carriage return before them.
CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """One CSV cell a spreadsheet shows as text and never runs.

    Numbers pass through. A string that starts with a formula character (after any
    leading spaces) gets a leading ``'``, as OWASP recommends; controls become their
    placeholders (a newline stays: a quoted cell may hold several lines; a carriage
    return does not, so no cell line starts with one).

    >>> csv_cell("=HYPERLINK(\\"http://x\\")"), csv_cell("-5 %"), csv_cell(12)
    ('\\'=HYPERLINK("http://x")', "'-5 %", 12)
    >>> csv_cell("a\\x00b")
    'a␀b'
    """
    if not isinstance(value, str):
        return value
    # Judged on the text as given: a carriage return first is shown as "␍" below,
    # and the cell still gets its "'" (OWASP's rule, whatever a reader does with it).
    text = safe_display(value)
    if value.lstrip(" ").startswith(CSV_FORMULA_PREFIXES):
        text = "'" + text
    return text
