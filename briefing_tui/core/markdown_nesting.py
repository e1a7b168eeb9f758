"""Text markdown-it would leave out, kept: too-deep nesting flattened, lone footnotes shown.

markdown-it stops descending at ``maxNesting`` (20 token levels: 20 ``>``, or 10 nested
list items) and silently skips the rest of the innermost container — and, for a list item,
everything after it up to the end of its parent. Raising the limit only moves the problem
(the parser recurses once per level), so :func:`keep_all_text` adds a core rule that finds
each container whose content was skipped, takes the source lines it covered, strips their
leading ``>`` markers and indentation (the nesting that was too deep) and parses them again,
splicing the tokens in (each line loses at most as many ``>`` as the first line had, so
``>>>`` in code that deep stays). If that makes no progress (``- - - - … x`` nests on one line) the
lines are kept as plain paragraphs. The footnote plugin also drops a definition nothing
refers to or whose label repeats, and fails on one nested in another; the rule lists
every definition and keeps a nested one as text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

# Leading block-quote markers and indentation: the nesting that is flattened.
_LEADING = re.compile(r"[ \t>]*")
# The marker that opened the lost container, on its first line (the container is drawn).
_OPENERS = {"list_item_open": re.compile(r"^(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)"),
            "footnote_reference_open": re.compile(r"^\[\^[^\]\n]+\]:")}
_BLANK_LINES = re.compile(r"\n[ \t]*\n")
# Each round strips at least one level from every line; past this, plain paragraphs.
_MAX_ROUNDS = 8
_ROUND = "briefing_tui.flatten_round"  # key in markdown-it's env


def keep_all_text(md: MarkdownIt, chunk_parser: Callable[[], MarkdownIt]) -> None:
    """Add the core rule to ``md``; lost content is parsed with ``chunk_parser()`` (the
    same set-up with ``footnote_tail`` disabled, so footnotes join the outer document's)."""
    def rule(state: StateCore) -> None:
        _flatten_lost(md, state, chunk_parser)
        if "footnote_tail" in md.core.ruler.get_active_rules():  # not in a chunk: all is in
            _untangle_footnotes(state)

    if "footnote_tail" in md.core.ruler.get_all_rules():
        md.core.ruler.before("footnote_tail", "keep_all_text", rule)
    else:
        md.core.ruler.push("keep_all_text", rule)


def _flatten_lost(md: MarkdownIt, state: StateCore,
                  chunk_parser: Callable[[], MarkdownIt]) -> None:
    tokens = state.tokens
    lost = _lost_containers(md, tokens)
    if not lost:
        return
    lines = state.src.split("\n")
    rounds = int(state.env.get(_ROUND, 0))
    out: list[Token] = []
    at = 0
    for i, (first, last) in lost:
        out.extend(tokens[at:i + 1])
        chunk = "\n".join(lines[first:last])
        flat = _nesting_prefix(chunk[:_LEADING.match(chunk).end()].count(">")).sub("", chunk)
        opener = _OPENERS.get(tokens[i].type)
        if opener is not None:
            flat = opener.sub("", flat, count=1)
        if rounds < _MAX_ROUNDS and flat != chunk:
            state.env[_ROUND] = rounds + 1
            try:
                out.extend(chunk_parser().parse(flat, state.env))
            finally:
                state.env[_ROUND] = rounds
        else:
            out.extend(_plain_paragraphs(flat))
        at = i + 1
    out.extend(tokens[at:])
    state.tokens = out


@lru_cache(maxsize=64)
def _nesting_prefix(quotes: int) -> re.Pattern[str]:
    """Leading indentation with up to ``quotes`` block-quote markers, on every line."""
    return re.compile(rf"^(?:[ \t]*>){{0,{quotes}}}[ \t]*", re.MULTILINE)


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


def _untangle_footnotes(state: StateCore) -> None:
    """Make footnote definitions safe for the plugin's ``footnote_tail``, which drops a
    definition nothing refers to, keeps only the last of a repeated label, and (nested
    definitions) unbalances the tokens: every definition is listed, the first of a label
    is the one referred to, and a definition inside another is kept as its text."""
    data: Any = state.env.get("footnotes")
    if not data:
        return
    refs, listed = data.setdefault("refs", {}), data.setdefault("list", {})
    seen: set[str] = set()
    kept: list[Token] = []
    depth = 0
    for tok in state.tokens:
        if tok.type == "footnote_reference_open":
            depth += 1
            if depth > 1:
                continue
            label = tok.meta["label"]
            if label in seen:  # a repeat: listed under a label of its own
                n = 2
                while f"{label}\x00{n}" in seen:
                    n += 1
                label = f"{label}\x00{n}"
                tok.meta = {**tok.meta, "label": label}
            seen.add(label)
            if refs.get(":" + label, -1) < 0:
                refs[":" + label] = len(listed)
                listed[len(listed)] = {"label": label, "count": 0}
        elif tok.type == "footnote_reference_close":
            depth -= 1
            if depth > 0:
                continue
        kept.append(tok)
    state.tokens = kept


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
