"""Markdown -> reading text and packed offsets, from markdown-it-py's token stream.

One pass over the tokens (CommonMark plus tables, strikethrough and footnotes)
emits the reading text and records every span and block offset as the text is
written, never searched for afterwards. List bullets, numbers, block-quote bars
and footnote labels are drawn as line prefixes outside the blocks; tables are
laid out in aligned columns. Sentences and quotations are then found by
:mod:`briefing_tui.core.textscan`. :func:`briefing_tui.core.document.parse_markdown`
wraps the result in a Document.
"""

from __future__ import annotations

import html
import io
import re
from array import array
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any, NamedTuple

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from rich.cells import cell_len

from briefing_tui.core.docblob import (
    K_BLOCKQUOTE,
    K_BULLET,
    K_CODE,
    K_CODE_BLOCK,
    K_EM,
    K_HEADING,
    K_LINK,
    K_LIST_ITEM,
    K_PARAGRAPH,
    K_RULE,
    K_STRIKE,
    K_STRONG,
    K_TABLE,
    Packed,
)
from briefing_tui.core.lines import MAX_LINE, line_starts
from briefing_tui.core.markdown_nesting import keep_all_text
from briefing_tui.core.memory import release_freed_memory
from briefing_tui.core.spans import BULLET, QUOTE_BAR, RULE
from briefing_tui.core.textscan import (
    SEG_CODE,
    SEG_ONE,
    SEG_PROSE,
    find_quotations,
    find_sentences,
)

__all__ = ["BULLET", "QUOTE_BAR", "RULE", "render_markdown"]

_TAG = re.compile(r"<!--.*?-->|<[^>]*>", re.DOTALL)
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_POST = re.compile("[\u00a0\u202f\t\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_POST_TABLE = str.maketrans({"\u00a0": " ", "\u202f": " ", "\t": " ", "\v": "\n",
                             "\f": "\n", "\x1c": "\n", "\x1d": "\n", "\x1e": "\n",
                             "\x85": "\n", "\u2028": "\n", "\u2029": "\n"})


@lru_cache(maxsize=2)
def _markdown(chunk: bool = False) -> MarkdownIt:
    """The parser; ``chunk=True``: the one for content re-parsed by ``keep_all_text``."""
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.use(footnote_plugin, inline=False)
    # Nesting past markdown-it's limit is flattened, never dropped (markdown_nesting).
    keep_all_text(md, lambda: _markdown(chunk=True))
    if chunk:
        md.core.ruler.disable("footnote_tail")
    return md


_LI, _BQ, _FN = 0, 1, 2  # container kinds

# The first characters of a rendered text kept as a string: what the title, the date
# near the top and the store's head of the reading text (schema.READING_HEAD, smaller)
# are taken from.
HEAD_CHARS = 1 << 16


class Rendered(NamedTuple):
    """A rendered body: its reading text as UTF-8 and what is known of it without it."""

    utf8: bytes
    length: int  # in characters
    head: str  # its first HEAD_CHARS characters (all of a shorter text)
    blank: bool  # nothing but blanks (or nothing) to show
    packed: Packed  # layout line starts included


class _Container:
    """A list item, block quote or footnote the current block sits in."""

    __slots__ = ("cont", "first", "kind", "used")

    def __init__(self, kind: int, first: str, cont: str) -> None:
        self.kind = kind
        self.first = first  # prefix of the container's first line
        self.cont = cont  # prefix of every later line
        self.used = False


_Cell = tuple[str, list[tuple[int, int, int, int]]]


class _Renderer:
    """Walks markdown-it tokens once, emitting reading text and its offsets."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.done: list[bytes] = []  # the final text of the pieces rendered so far, as UTF-8
        self.base = 0  # where the text in ``out`` starts
        self.shown = False  # whether any piece has something to show
        # Pieces whose end may still be trimmed (the last one with something to show and
        # the blank ones after it): (where it starts, its text, its segments).
        self.pending: list[tuple[int, str, list[tuple[int, int, int]]]] = []
        self.head = ""  # the first HEAD_CHARS characters of the reading text
        self.carry = ""  # the last line of the final text so far (its start may move)
        self.carry_start = 0
        self.lines = array("i")  # layout line starts of the final text so far
        self.pos = 0
        self.p = Packed()
        self.value_ix = {v: i for i, v in enumerate(self.p.values)}
        self.segs: list[tuple[int, int, int]] = []
        self.ctr: list[_Container] = []
        self.nl = "\n"  # what a hard break inside the current block emits
        self.bq_depth = 0
        self.bq_span = -1
        self.lists: list[list[int]] = []  # [ordered, next number]
        self.list_id = 0  # which outermost list we are in (tight items share lines)
        self.last_list = 0
        self.block_start = 0
        self.undo: tuple[int, int, int, list[bool], int] = (0, 0, 0, [], 0)
        self.table: list[list[_Cell]] | None = None
        self.aligns: list[str] = []

    def compact(self) -> None:
        """Finish the text emitted since the last call: a piece of the body (only between
        pieces: no block being ended looks back past it). Its sentences, quotations and
        layout lines are found in it alone (none reaches across blocks) and it is put
        away as UTF-8 (where most text takes a byte a character; one emoji makes a Python
        string 4 bytes a character), so a big body's reading text is never one string.
        The last piece with something to show waits for the next one: the blanks at
        the very end are trimmed in :meth:`finish`."""
        if not self.out:
            return
        text = "".join(self.out)
        self.out = []
        if _POST.search(text):
            # entities such as &nbsp; are decoded after normalisation; same length
            text = text.translate(_POST_TABLE)
        segs, self.segs = self.segs, []
        if not text.isspace():  # everything before it is final
            self.shown = True
            for piece in self.pending:
                self.final(*piece)
            self.pending = []
        self.pending.append((self.base, text, segs))
        self.base = self.pos

    def final(self, base: int, text: str, segs: list[tuple[int, int, int]],
              last: bool = False) -> None:
        """Scan a piece of the final reading text that starts at ``base`` and store it."""
        p = self.p
        if base:
            segs = [(s - base, e - base, mode) for s, e, mode in segs]
        for find, out_s, out_e in ((find_sentences, p.se_s, p.se_e),
                                   (find_quotations, p.qu_s, p.qu_e)):
            found_s, found_e = array("i"), array("i")
            find(text, segs, found_s, found_e)
            out_s.extend(map(base.__add__, found_s) if base else found_s)
            out_e.extend(map(base.__add__, found_e) if base else found_e)
        # Layout lines: the last line may go on in the next piece (its cuts depend on
        # where it starts), so it is carried over and scanned again with it.
        full = self.carry + text if self.carry else text
        starts = line_starts(full, MAX_LINE)
        at = self.carry_start
        if last:
            self.lines.extend(map(at.__add__, starts))
        else:
            cut = full.rfind("\n") + 1
            self.lines.extend(at + x for x in starts if x < cut)
            self.carry, self.carry_start = full[cut:], at + cut
        if len(self.head) < HEAD_CHARS:
            self.head += text[:HEAD_CHARS - len(self.head)]
        self.done.append(text.encode("utf-8", "surrogatepass"))

    # emission --------------------------------------------------------------
    def emit(self, s: str) -> None:
        self.out.append(s)
        self.pos += len(s)

    def value(self, s: str) -> int:
        i = self.value_ix.get(s)
        if i is None:
            i = self.value_ix[s] = len(self.p.values)
            self.p.values.append(s)
        return i

    def span(self, start: int, end: int, kind: int, value: int = -1) -> int:
        p = self.p
        p.sp_s.append(start)
        p.sp_e.append(end)
        p.sp_k.append(kind)
        p.sp_v.append(value)
        return len(p.sp_s) - 1

    def begin_block(self, tight: bool = False) -> None:
        """Separate from the previous block and draw the line prefix."""
        self.undo = (len(self.out), self.pos, len(self.p.sp_s),
                     [c.used for c in self.ctr], self.last_list)
        in_list = self.list_id if self.lists else 0
        if self.pos:
            if tight and in_list and in_list == self.last_list:
                self.emit("\n")
            else:
                blank = "".join(c.cont for c in self.ctr if c.used).rstrip()
                self.emit("\n" + blank + "\n")
        self.last_list = in_list
        for c in self.ctr:
            if c.used:
                self.emit(c.cont)
            else:
                if c.kind == _LI:
                    self.span(self.pos, self.pos + len(c.first) - 1, K_BULLET)
                self.emit(c.first)
                c.used = True
        self.nl = "\n" + "".join(c.cont for c in self.ctr)
        self.block_start = self.pos
        self.bq_span = self.span(self.pos, self.pos, K_BLOCKQUOTE) if self.bq_depth else -1

    def end_block(self, kind: int, seg: int) -> int:
        """Record the block just emitted; returns its end, or -1 if it was
        empty and has been taken back."""
        start, end = self.block_start, self.pos
        out, i = self.out, len(self.out) - 1
        while end > start and i >= 0:  # trailing blanks (e.g. from &nbsp;) stay outside
            piece = out[i]
            kept = piece.rstrip()
            end -= len(piece) - len(kept)
            if kept:
                break
            i -= 1
        if end <= start:  # nothing to show: take back separator and prefix
            n_out, self.pos, n_spans, used, self.last_list = self.undo
            del self.out[n_out:]
            p = self.p
            for arr in (p.sp_s, p.sp_e, p.sp_k, p.sp_v):
                del arr[n_spans:]
            for c, u in zip(self.ctr, used):
                c.used = u
            return -1
        if kind == K_PARAGRAPH and self.ctr:
            inner = self.ctr[-1].kind
            kind = K_LIST_ITEM if inner == _LI else K_BLOCKQUOTE if inner == _BQ else kind
        p = self.p
        p.bl_s.append(start)
        p.bl_e.append(end)
        p.bl_k.append(kind)
        p.bl_n.append(len(p.bl_s))
        if self.bq_span >= 0:
            p.sp_e[self.bq_span] = end
        if seg >= 0:
            self.segs.append((start, end, seg))
        return end

    # inline ----------------------------------------------------------------
    def inline(self, children: list) -> None:
        out = self.out
        pos = self.pos
        p = self.p
        sp_s, sp_e, sp_k, sp_v = p.sp_s, p.sp_e, p.sp_k, p.sp_v
        stack: list[int] = []
        brk = False  # a hard break waits for what follows it (nothing at the end)
        bs = self.block_start
        for c in children:
            t = c.type
            if t == "text":
                s = c.content
                if brk or pos == bs:  # no blanks at a line's start
                    s = s.lstrip()
                    if not s:
                        continue
                    if brk:
                        out.append(self.nl)
                        pos += len(self.nl)
                        brk = False
                if s:
                    out.append(s)
                    pos += len(s)
            elif t == "softbreak":
                if not brk and pos != bs:
                    out.append(" ")
                    pos += 1
            elif t == "hardbreak":
                brk = pos != bs  # nothing to break at the block start
            elif t in _INLINE_OPEN:
                if brk:
                    out.append(self.nl)
                    pos += len(self.nl)
                    brk = False
                kind = _INLINE_OPEN[t]
                stack.append(len(sp_s))
                sp_s.append(pos)
                sp_e.append(pos)
                sp_k.append(kind)
                sp_v.append(self.value(str(c.attrs.get("href", ""))) if kind == K_LINK else -1)
            elif t in _INLINE_CLOSE:
                if stack:
                    sp_e[stack.pop()] = pos
            elif t == "code_inline":
                s = c.content
                if brk or pos == bs:
                    s = s.lstrip()
                    if not s:
                        continue
                    if brk:
                        out.append(self.nl)
                        pos += len(self.nl)
                        brk = False
                if s:
                    sp_s.append(pos)
                    sp_e.append(pos + len(s))
                    sp_k.append(K_CODE)
                    sp_v.append(-1)
                    out.append(s)
                    pos += len(s)
            elif t == "html_inline":
                if _BR.fullmatch(c.content):
                    brk = pos != bs  # nothing to break at the block start
            elif t == "image" or t == "footnote_ref":
                if brk:
                    out.append(self.nl)
                    pos += len(self.nl)
                    brk = False
                if t == "image":  # its alt text
                    self.pos = pos
                    self.inline(c.children or [])
                    pos = self.pos
                else:
                    s = f"[{c.meta['id'] + 1}]"
                    out.append(s)
                    pos += len(s)
        self.pos = pos

    def cell(self, children: list) -> _Cell:
        """Render a table cell on its own: text and spans relative to it."""
        p = self.p
        saved = (self.out, self.pos, self.nl, self.block_start, p.sp_s, p.sp_e, p.sp_k, p.sp_v)
        self.out, self.pos, self.nl, self.block_start = [], 0, " ", 0  # <br>: a space
        p.sp_s, p.sp_e, p.sp_k, p.sp_v = array("i"), array("i"), array("B"), array("i")
        try:
            self.inline(children)
            return "".join(self.out), list(zip(p.sp_s, p.sp_e, p.sp_k, p.sp_v))
        finally:
            (self.out, self.pos, self.nl, self.block_start,
             p.sp_s, p.sp_e, p.sp_k, p.sp_v) = saved

    # blocks ----------------------------------------------------------------
    def render(self, tokens: list) -> None:
        heading_span = -1
        for tok in tokens:
            t = tok.type
            if t == "inline":
                if self.table is not None:
                    self.table[-1].append(self.cell(tok.children or []))
                else:
                    self.inline(tok.children or [])
            elif t == "paragraph_open":
                self.begin_block(tok.hidden)
            elif t == "paragraph_close":
                self.end_block(K_PARAGRAPH, SEG_PROSE)
            elif t == "list_item_open":
                lst = self.lists[-1]
                if lst[0]:
                    first = f"{lst[1]}. "
                    lst[1] += 1
                else:
                    first = BULLET + " "
                self.ctr.append(_Container(_LI, first, " " * len(first)))
            elif t == "list_item_close" or t == "footnote_close":
                self.ctr.pop()
            elif t == "bullet_list_open" or t == "ordered_list_open":
                if not self.lists:
                    self.list_id += 1
                ordered = t == "ordered_list_open"
                self.lists.append([ordered, int(tok.attrs.get("start", 1)) if ordered else 1])
            elif t == "bullet_list_close" or t == "ordered_list_close":
                self.lists.pop()
            elif t == "heading_open":
                self.begin_block()
                heading_span = self.span(self.pos, self.pos, K_HEADING, self.value(tok.tag[1:]))
            elif t == "heading_close":
                end = self.end_block(K_HEADING, SEG_ONE)
                if end >= 0:
                    self.p.sp_e[heading_span] = end
            elif t == "blockquote_open":
                self.ctr.append(_Container(_BQ, QUOTE_BAR, QUOTE_BAR))
                self.bq_depth += 1
            elif t == "blockquote_close":
                self.ctr.pop()
                self.bq_depth -= 1
            elif t == "fence" or t == "code_block":
                self.code(tok)
            elif t == "hr":
                self.begin_block()
                self.span(self.pos, self.pos + len(RULE), K_RULE)
                self.emit(RULE)
                self.end_block(K_RULE, -1)
            elif t == "html_block":
                self.html_block(tok.content)
            elif t == "table_open":
                self.table = []
                self.aligns = []
            elif t == "tr_open" and self.table is not None:
                self.table.append([])
            elif t == "th_open":
                style = str(tok.attrs.get("style", ""))
                self.aligns.append(style.removeprefix("text-align:"))
            elif t == "table_close":
                self.render_table()
            elif t == "footnote_open":
                first = f"[{tok.meta['id'] + 1}] "
                self.ctr.append(_Container(_FN, first, " " * len(first)))

    def code(self, tok: Any) -> None:
        # Trailing blanks show nothing and the block ends before them: so does the span.
        content = tok.content.rstrip()
        if not content.strip():
            return
        self.begin_block()
        if self.nl != "\n":
            content = content.replace("\n", self.nl)
        info = tok.info.split()[0] if tok.info.strip() else ""
        self.span(self.pos, self.pos + len(content), K_CODE_BLOCK,
                  self.value(info) if info else -1)
        self.emit(content)
        self.end_block(K_CODE, SEG_CODE)

    def html_block(self, content: str) -> None:
        text = html.unescape(_TAG.sub("", content))
        lines = [line.strip() for line in text.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            return
        self.begin_block()
        self.emit(self.nl.join(lines))
        self.end_block(K_PARAGRAPH, SEG_PROSE)

    def render_table(self) -> None:
        rows = self.table or []
        self.table = None
        if not rows:
            return
        ncol = max(len(r) for r in rows)
        widths = [0] * ncol
        for row in rows:
            for j, (text, _) in enumerate(row):
                widths[j] = max(widths[j], cell_len(text))
        aligns = self.aligns + [""] * (ncol - len(self.aligns))
        self.begin_block()
        table_span = self.span(self.pos, self.pos, K_TABLE)
        for r, row in enumerate(rows):
            if r:
                self.emit(self.nl)
            for j in range(ncol):
                if j:
                    self.emit(" │ ")
                text, spans = row[j] if j < len(row) else ("", [])
                pad = widths[j] - cell_len(text)
                left = pad if aligns[j] == "right" else pad // 2 if aligns[j] == "center" else 0
                self.emit(" " * left)
                at = self.pos
                if r == 0 and text:
                    self.span(at, at + len(text), K_STRONG)  # header row
                for s, e, k, v in spans:
                    self.span(at + s, at + e, k, v)
                self.emit(text)
                if text.strip():
                    self.segs.append((at, self.pos, SEG_PROSE))
                if j < ncol - 1:
                    self.emit(" " * (pad - left))
            if r == 0:
                self.emit(self.nl + "─┼─".join("─" * w for w in widths))
        self.p.sp_e[table_span] = self.pos
        self.end_block(K_TABLE, -1)

    def finish(self) -> Rendered:
        """The reading text (as UTF-8) and its packed lists, sentences, quotations and
        layout lines found."""
        self.compact()
        pending, self.pending = self.pending, []
        base = pending[0][0] if pending else self.pos
        text = "".join(piece[1] for piece in pending)
        segs = [seg for piece in pending for seg in piece[2]]
        p = self.p
        if text[-1:].isspace():  # blanks after the last block show nothing
            text = text.rstrip()
            n = base + len(text)
            p.sp_e = array("i", (min(e, n) for e in p.sp_e))
            segs = [(s, min(e, n), mode) for s, e, mode in segs if s < n]
        if any(s >= e for s, e in zip(p.sp_s, p.sp_e)):
            # spans closed empty ([](url), a blank heading) have nothing to show
            keep = [i for i, (s, e) in enumerate(zip(p.sp_s, p.sp_e)) if s < e]
            p.sp_s, p.sp_e, p.sp_k, p.sp_v = (
                array(a.typecode, [a[i] for i in keep]) for a in (p.sp_s, p.sp_e, p.sp_k, p.sp_v)
            )
        self.final(base, text, segs, last=True)
        del text, segs, pending
        p._lines = (MAX_LINE, self.lines)  # found here: kept in the blob
        utf8 = _joined(self.done)
        return Rendered(utf8, self.lines[-1], self.head, not self.shown, p)

def _joined(parts: list[bytes]) -> bytes:
    """``b"".join(parts)``, emptying ``parts`` as it goes: each part is freed once copied
    (and the freed memory given back every ``JOIN_TRIM_BYTES``), so the parts and the whole
    are not all held at once (a join would hold both: twice a 50 MB text).

    >>> parts = [b"ab", b"c", b"de"]
    >>> _joined(parts), parts
    (b'abcde', [])
    """
    if len(parts) <= 1:
        return parts.pop() if parts else b""
    # A buffer grown as it is written (a big one by remapping its pages, not copying
    # them; no zeroed buffer of the whole size up front: that touches every page), whose
    # getvalue() returns the buffer itself.
    out = io.BytesIO()
    parts.reverse()
    copied = 0
    while parts:
        copied += out.write(parts.pop())
        if copied >= JOIN_TRIM_BYTES:
            copied = 0
            release_freed_memory()
    return out.getvalue()


# While the pieces' UTF-8 is joined, freed memory is given back after each this many bytes.
JOIN_TRIM_BYTES = 8 << 20

_INLINE_OPEN = {"em_open": K_EM, "strong_open": K_STRONG, "s_open": K_STRIKE,
                "link_open": K_LINK}
_INLINE_CLOSE = {"em_close", "strong_close", "s_close", "link_close"}


def render_markdown(body: str | bytes, start: int = 0,
                    clean: Callable[[str], str] | None = None) -> tuple[str, Packed]:
    """Render normalised Markdown (front matter removed): the reading text and
    its packed spans, blocks, sentences and quotations. ``body[start:]`` is rendered
    (no copy of a big body is made to drop its front matter), each piece of it passed
    through ``clean`` first if given (a character-for-character substitution). ``body``
    may be UTF-8 (``start`` in bytes then): it is decoded a piece at a time.

    >>> text, packed = render_markdown("## Hi\\n\\n- *a*\\n- b")
    >>> text, list(packed.bl_s), list(packed.se_s)
    ('Hi\\n\\n• a\\n• b', [0, 6, 10], [0, 6, 10])
    """
    rendered = render_markdown_utf8(body, start, clean)
    return rendered.utf8.decode("utf-8", "surrogatepass"), rendered.packed


def render_markdown_utf8(body: str | bytes, start: int = 0,
                         clean: Callable[[str], str] | None = None) -> Rendered:
    """:func:`render_markdown`, the reading text given as UTF-8: never held whole as a
    string (4 bytes a character as soon as it holds one emoji), only a piece at a time.

    >>> r = render_markdown_utf8("## Hi\\n\\n- *a*\\n- b\\n\\n")
    >>> r.utf8, r.length, r.head, r.blank, list(r.packed.line_starts(str))
    (b'Hi\\n\\n\\xe2\\x80\\xa2 a\\n\\xe2\\x80\\xa2 b', 11, 'Hi\\n\\n• a\\n• b', False, [0, 3, 4, 8, 11])
    """
    renderer = _Renderer()
    md = _markdown()
    for piece in pieces(body, start):
        renderer.render(md.parse(clean(piece) if clean is not None else piece))
        del piece
        renderer.compact()
    return renderer.finish()


# A body longer than this (characters, or bytes of UTF-8) is parsed a piece at a time: markdown-it's tokens for a text
# take many times its size (a 50 MB file peaked at 15x its size in tokens alone).
PIECE_CHARS = 1 << 20
# Where a piece may start: a heading at the start of a line after a blank line. Nothing
# of CommonMark's continues across that (paragraphs, lists, block quotes, tables and
# HTML blocks of kinds 6-7 end at the blank line or the unindented heading) ...
_PIECE_START = re.compile(r"\n[ \t]*\n(?=#{1,6}(?:[ \t\n]|\Z))")
# ... but for what reaches further: fenced code and HTML blocks of kinds 1-5 (they run
# to their closing line), and link reference and footnote definitions (they apply to
# the whole document). A body holding any of these is parsed whole.
_WHOLE_ONLY = re.compile(
    r"^ {0,3}(?:```|~~~|\[[^\]\n]*\]:|<(?:script|pre|style|textarea|!--|\?|!\[CDATA\[|![A-Za-z]))",
    re.MULTILINE | re.IGNORECASE)
# The same two over UTF-8 (every character they look for is ASCII, never inside a
# multi-byte sequence, so a cut there is a cut between characters).
_PIECE_START_UTF8 = re.compile(_PIECE_START.pattern.encode())
_WHOLE_ONLY_UTF8 = re.compile(_WHOLE_ONLY.pattern.encode(), re.MULTILINE | re.IGNORECASE)


def _utf8(data: bytes) -> str:
    return data.decode("utf-8", "surrogatepass")


def pieces(body: str | bytes, start: int = 0, size: int | None = None) -> Iterator[str]:
    """``body[start:]`` in pieces of about ``size`` characters (``PIECE_CHARS``) that
    render, one after the other, to what the whole renders; one piece when it is short,
    has no place to cut or holds something that must be parsed whole. A ``body`` of
    UTF-8 bytes is cut the same way and each piece decoded.

    >>> list(pieces("# A\\n\\ntext\\n\\n# B\\n\\nmore\\n", size=4))
    ['# A\\n\\ntext\\n\\n', '# B\\n\\nmore\\n']
    >>> list(pieces("# A\\n\\nté\\n\\n# B\\n".encode(), size=4))
    ['# A\\n\\nté\\n\\n', '# B\\n']
    """
    size = PIECE_CHARS if size is None else size
    if isinstance(body, bytes):
        text, cut_at, whole_only = _utf8, _PIECE_START_UTF8, _WHOLE_ONLY_UTF8
    else:
        text, cut_at, whole_only = str, _PIECE_START, _WHOLE_ONLY  # type: ignore[assignment]
    end = len(body)
    if end - start <= size or whole_only.search(body, start):  # type: ignore[arg-type]
        yield text(body[start:] if start else body)  # type: ignore[arg-type]
        return
    pos = start
    while end - pos > size:
        cut = cut_at.search(body, pos + size)  # type: ignore[arg-type]
        if cut is None:
            break
        yield text(body[pos:cut.end()])  # type: ignore[arg-type]
        pos = cut.end()
    yield text(body[pos:])  # type: ignore[arg-type]
