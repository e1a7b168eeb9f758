"""Span and Block: the two value types a Document's offset lists are made of.

Both are half-open ``[start, end)`` character ranges of the reading text. They
live apart from :mod:`briefing_tui.core.document` so the packed storage form
(:mod:`briefing_tui.core.docblob`) can build them without importing the
Document; import them from ``briefing_tui.core.document`` as before.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BULLET", "QUOTE_BAR", "RULE", "Block", "Span"]

# Characters the Markdown renderer draws into the reading text. Defined here (not in
# markdown_render) so importing the Document does not import markdown-it.
RULE = "─" * 40
BULLET = "•"
QUOTE_BAR = "│ "


@dataclass(frozen=True)
class Span:
    """A styled run ``[start, end)`` of the reading text.

    kind: "heading" (value = level "1".."6"), "em", "strong", "strike",
    "code" (inline), "code_block" (value = the fence's language, if any),
    "link" (value = URL), "blockquote", "bullet" (a list marker), "table",
    "rule".
    """

    start: int
    end: int
    kind: str
    value: str = ""


@dataclass(frozen=True)
class Block:
    """A block of the reading text: kind is heading | paragraph | list_item |
    blockquote | code | table | rule; number is the 1-based paragraph number
    (every block counts, in reading order).

    ``[start, end)`` covers the block's own text: list bullets, indentation and
    block-quote bars drawn before it are not part of it.
    """

    start: int
    end: int
    kind: str
    number: int
