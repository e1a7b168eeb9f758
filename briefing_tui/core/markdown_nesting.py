"""Markdown nested deeper than markdown-it's limit, rendered flattened instead of dropped.

markdown-it stops descending at ``maxNesting`` (20 token levels: 20 ``>``, or 10 nested
list items) and silently skips the rest of the innermost container — and, for a list item,
everything after it up to the end of its parent. Raising the limit only moves the problem
(the parser recurses once per level), so :func:`parse_tokens` finds each container whose
content was skipped, takes the source lines it covered, strips their leading ``>`` markers
and indentation (the nesting that was too deep) and parses them again, splicing the tokens
in. If that makes no progress (``- - - - … x`` nests on one line) the lines are kept as
plain paragraphs. Either way every character of the source's text stays in the reading text.
"""

from __future__ import annotations

import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

# Leading block-quote markers and indentation: the nesting that is flattened.
_NESTING_PREFIX = re.compile(r"^[ \t>]+", re.MULTILINE)
_BLANK_LINES = re.compile(r"\n[ \t]*\n")
# Each round strips at least one level from every line; past this, plain paragraphs.
_MAX_ROUNDS = 8


def parse_tokens(md: MarkdownIt, src: str) -> list[Token]:
    """``md.parse(src)``, with the content of too-deep containers flattened back in.

    >>> from markdown_it import MarkdownIt
    >>> tokens = parse_tokens(MarkdownIt("commonmark"), ">" * 25 + " deep words")
    >>> [t.content for t in tokens if t.type == "inline"]
    ['deep words']
    """
    return _parse(md, src, 0)


def _parse(md: MarkdownIt, src: str, rounds: int) -> list[Token]:
    tokens = md.parse(src)
    lost = _lost_containers(md, tokens)
    if not lost:
        return tokens
    lines = src.split("\n")
    out: list[Token] = []
    at = 0
    for i, (first, last) in lost:
        out.extend(tokens[at:i + 1])
        out.extend(_flattened(md, "\n".join(lines[first:last]), rounds))
        at = i + 1
    out.extend(tokens[at:])
    return out


def _lost_containers(md: MarkdownIt, tokens: list[Token]) -> list[tuple[int, tuple[int, int]]]:
    """(index, source lines) of every container opened at the last level and left empty:
    markdown-it skipped what it held."""
    limit = int(md.options.get("maxNesting", 20)) - 1
    lost = []
    for i, tok in enumerate(tokens[:-1]):
        if (tok.nesting == 1 and tok.level >= limit and tok.map is not None
                and tokens[i + 1].nesting == -1 and tok.type != "paragraph_open"):
            lost.append((i, (tok.map[0], tok.map[1])))
    return lost


def _flattened(md: MarkdownIt, chunk: str, rounds: int) -> list[Token]:
    flat = _NESTING_PREFIX.sub("", chunk)
    if rounds < _MAX_ROUNDS and flat != chunk:
        return _parse(md, flat, rounds + 1)
    return _plain_paragraphs(flat)


def _plain_paragraphs(text: str) -> list[Token]:
    """Tokens of ``text`` as paragraphs of plain text (lines joined by soft breaks)."""
    tokens: list[Token] = []
    for para in _BLANK_LINES.split(text):
        lines = [line for line in para.split("\n") if line.strip()]
        if not lines:
            continue
        children: list[Any] = []
        for n, line in enumerate(lines):
            if n:
                children.append(Token("softbreak", "br", 0))
            children.append(Token("text", "", 0, content=line))
        tokens.append(Token("paragraph_open", "p", 1))
        tokens.append(Token("inline", "", 0, children=children, content=para))
        tokens.append(Token("paragraph_close", "p", -1))
    return tokens
