"""A briefing's title and the metadata its first lines carry, when it has no front matter.

The title is stored whole: :func:`derive_title` never shortens a title a reader can
take in (only a pathological first line, past :data:`TITLE_MAX` characters, is cut).
Places that show titles in a fixed width cut them there, with :func:`shorten`.

A plain-text transcript often opens with a title, then a byline and a dateline::

    Department Press Briefing – May 31, 2022

    Ned Price, Department Spokesperson

    WASHINGTON, D.C.

:func:`text_metadata` keeps those lines as the briefing's source and the date in the
title as its publication date (the text itself is left as it is).

>>> from briefing_tui.core.document import parse_text
>>> doc = parse_text("Talks resume in Riyadh. Delegations met on Monday.\\n\\nMore.")
>>> derive_title(doc, Path("wire.txt"))
'Talks resume in Riyadh.'
>>> doc = parse_text("Press Briefing – May 31, 2022\\n\\nJane Roe, Spokesperson\\n\\n"
...                  "GENEVA\\n\\nMS ROE: Good afternoon.")
>>> text_metadata(doc)
{'source': 'Jane Roe, Spokesperson; GENEVA', 'published': '2022-05-31'}
>>> shorten("Russia's goals are incompatible with a lasting peace", 30)
"Russia's goals are…"
"""

from __future__ import annotations

import re
from pathlib import Path

from briefing_tui.core.document import Document
from briefing_tui.core.safetext import safe_line

__all__ = ["TITLE_MAX", "derive_title", "shorten", "text_metadata"]

# A stored title longer than this is not a title but a first line that never ends (a
# text without line breaks or sentence ends): cut there, at a word.
TITLE_MAX = 1000
# Enough to see whether the first lines are a title; avoids scanning a 50 MB text.
_TITLE_SCAN = 4096
_TITLE_HEAD = 8 * _TITLE_SCAN
# A Markdown heading this early is the title; later ones are sections.
_TITLE_BLOCKS = 3
# At most this many byline / dateline lines follow a title.
_META_LINES = 3
_META_WIDTH = 80
# Lower-case words a title-cased byline may hold ("Minister of Foreign Affairs").
_SMALL_WORDS = frozenset(["a", "an", "and", "at", "de", "del", "der", "di", "du", "for", "in",
                          "la", "le", "of", "on", "the", "to", "und", "van", "von", "y"])
# A byline ends with a word, or an abbreviation ("WASHINGTON, D.C.", "Smith Jr.").
_ABBREVIATION = re.compile(r"(?:[A-Za-z]\.){2,}|Jr\.|Sr\.|Inc\.|Ltd\.|Co\.|St\.")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a word when one is near, with "…".

    For the places that show a title in a fixed width (the CLI's ``list``, messages);
    what is stored and exported stays whole.

    >>> shorten("Talks resume", 40)
    'Talks resume'
    >>> shorten("Talks resume in Riyadh after a pause", 20)
    'Talks resume in…'
    """
    if len(text) <= limit:
        return text
    cut = text[:max(1, limit - 1)].rstrip()
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"


def derive_title(document: Document, path: Path) -> str:
    """The title of a briefing without front matter, whole.

    Markdown: a heading among its first blocks (a lead-in note may come before it).
    Otherwise, and always for plain text (where "Details" on its own line is a section
    word, not a title): the first non-blank line, or its first sentence when the line
    holds more (a wire item's lede: the text starts with its paragraph); else the file
    name.
    """
    if document.fmt == "markdown":
        for block in document.first_blocks(_TITLE_BLOCKS):
            if block.kind == "heading":
                title = " ".join(document.text_between(block.start, block.end).split())
                if title:
                    return shorten(title, TITLE_MAX)
    found = _first_line(document)
    if found is None:
        return safe_line(path.stem)
    start, end, _whole = found
    return shorten(" ".join(document.text_between(start, end).split()), TITLE_MAX)


def _first_line(document: Document) -> tuple[int, int, bool] | None:
    """Where the title lies in the reading text, and whether it is its whole first line
    (False: the first sentence of a longer line)."""
    # A big import's document holds its text as UTF-8 and the first characters as a
    # string: the title is looked for there first (the whole text only if need be).
    text = document.head(_TITLE_HEAD)
    if len(text) < document.length:
        found = _first_line_in(document, text)
        if found is not None and found[1] < len(text) - _TITLE_SCAN:
            return found
        text = document.text
    return _first_line_in(document, text)


def _first_line_in(document: Document, text: str) -> tuple[int, int, bool] | None:
    pos = 0
    while pos < len(text):
        nl = text.find("\n", pos)
        if nl == -1:
            nl = len(text)
        end = min(nl, pos + _TITLE_SCAN)
        line = text[pos:end]
        if line.strip():
            start = pos + len(line) - len(line.lstrip())
            end = pos + len(line.rstrip())
            sentence = document.sentence_at(start)
            if sentence is not None and sentence[0] == start and sentence[1] < end:
                return start, sentence[1], False
            return start, end, True
        pos = nl + 1
    return None


def text_metadata(document: Document) -> dict[str, str]:
    """The source and publication date the first lines of a plain text give.

    Under a title that is a whole line, up to three short lines that read as a byline
    ("Ned Price, Department Spokesperson", "By Jane Roe") or a dateline
    ("WASHINGTON, D.C.") become the source, joined by "; "; a date in the title or in
    those lines ("May 31, 2022", "31 May 2022", "2022-05-31") becomes the publication
    date (ISO). Keys with nothing found are "".
    """
    found = _first_line(document)
    if found is None:
        return {"source": "", "published": ""}
    start, end, whole = found
    text = document.text
    lines: list[str] = []
    if whole:
        pos = end
        # Only the lines just under the title, however many blank lines or long lines follow.
        limit = min(len(text), end + _TITLE_SCAN)
        while len(lines) < _META_LINES and pos < limit:
            nl = text.find("\n", pos + 1, limit)
            if nl == -1:
                if limit < len(text):
                    break  # a line running past the window is no byline
                nl = limit
            line = text[pos:nl].strip()
            pos = nl
            if not line:
                continue
            if not _is_meta_line(line):
                break
            lines.append(" ".join(safe_line(line).split()))
    from briefing_tui.core.dates import find_date  # import time: the library needs none

    published = ""
    for candidate in (text[start:end], *lines):
        published = find_date(candidate)
        if published:
            break
    return {"source": "; ".join(lines), "published": published}


def _is_meta_line(line: str) -> bool:
    """A byline or a dateline: short, no speaker's colon, every word capitalised (or one
    of the small words), holding a comma, starting with "By", or all in capitals; it ends
    with a word or an abbreviation, not a sentence's punctuation."""
    if len(line) > _META_WIDTH or ":" in line or line[-1] in "?!;,":
        return False
    words = _WORD.findall(line)
    if not words:
        return False
    if line.endswith(".") and not _ABBREVIATION.fullmatch(line.split()[-1]):
        return False
    if not all(w[0].isupper() or w in _SMALL_WORDS for w in words[1:]) or not words[0][0].isupper():
        return False
    letters = [c for c in line if c.isalpha()]
    capitals = all(c.isupper() for c in letters) and len(letters) >= 2
    return "," in line or words[0] == "By" or capitals
