"""Source text -> reading text with style spans, blocks, sentences and quotations.

The *reading text* is what the reader pane shows and what every offset in the
product points into. Markdown is rendered to it from markdown-it-py's token
stream (offsets are recorded while the text is emitted, never searched for
afterwards); plain text is kept as it is, paragraphs and line breaks included.

Typical use (the importer does exactly this)::

    >>> meta, doc = parse_source("---\\ntitle: T\\n---\\n# Head\\n\\nSaid “yes.” Done.\\n")
    >>> meta, doc.text
    ({'title': 'T'}, 'Head\\n\\nSaid “yes.” Done.')
    >>> [doc.text[s:e] for s, e in doc.sentences]
    ['Head', 'Said “yes.”', 'Done.']

A parsed document is stored as its text plus :meth:`Document.to_blob` and
reopened with :meth:`Document.from_blob` without parsing again; the span,
block, sentence and quotation lists are then decoded only when first used.
"""

from __future__ import annotations

import html
import json
import re
import struct
import sys
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from itertools import accumulate
from typing import Any

import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from rich.cells import cell_len

__all__ = [
    "Block",
    "Document",
    "Span",
    "normalize",
    "parse_markdown",
    "parse_source",
    "parse_text",
    "split_front_matter",
]


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


# Kind names; the renderer works with their indices. Their order is part of the
# storage format (a blob stores the table too, so appending is safe).
_KINDS = (
    "heading", "em", "strong", "code", "code_block", "link", "blockquote",
    "bullet", "table", "rule", "strike", "paragraph", "list_item",
)
(K_HEADING, K_EM, K_STRONG, K_CODE, K_CODE_BLOCK, K_LINK, K_BLOCKQUOTE,
 K_BULLET, K_TABLE, K_RULE, K_STRIKE, K_PARAGRAPH, K_LIST_ITEM) = range(len(_KINDS))
_LEVELS = ("1", "2", "3", "4", "5", "6")  # values 0..5 in every value table
_LAZY = ("spans", "blocks", "sentences", "quotations")


@dataclass
class Document:
    """The reading text and everything the reader, exporter and store need.

    ``text[start:end]`` of any span is exactly what the reader shows. The four
    lists are sorted by start; treat them as read-only once built (the query
    helpers index them). Query helpers run in O(log n).
    """

    text: str
    spans: list[Span] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    quotations: list[tuple[int, int]] = field(default_factory=list)
    fmt: str = "markdown"

    # -- lazy lists ---------------------------------------------------------
    def __getattr__(self, name: str) -> Any:
        # Only reached when a field is missing from __dict__: documents built by
        # the parser or from_blob hold packed arrays and decode a list on demand.
        if name in _LAZY:
            packed = self.__dict__.get("_packed")
            if packed is not None:
                value = packed.materialize(name)
                self.__dict__[name] = value
                packed.bind(name, value)
                return value
        raise AttributeError(name)

    @classmethod
    def _from_packed(cls, text: str, packed: _Packed, fmt: str) -> Document:
        doc = cls.__new__(cls)
        doc.__dict__.update(text=text, fmt=fmt, _packed=packed)
        return doc

    def _index(self) -> _Packed:
        """The packed arrays, rebuilt if the lists were replaced since."""
        d = self.__dict__
        packed = d.get("_packed")
        if packed is None or not packed.fresh(d):
            packed = _Packed.from_lists(
                self.spans, self.blocks, self.sentences, self.quotations
            )
            for name in _LAZY:
                packed.bind(name, d[name])
            d["_packed"] = packed
        return packed

    # -- storage ------------------------------------------------------------
    def to_blob(self) -> bytes:
        """Everything but the text and fmt, packed for the store.

        >>> doc = parse_markdown("# T\\n\\nA [b](u).")
        >>> Document.from_blob(doc.text, doc.to_blob(), "markdown") == doc
        True
        """
        return self._index().to_bytes(len(self.text))

    @classmethod
    def from_blob(cls, text: str, blob: bytes, fmt: str) -> Document:
        """Reopen a stored document; costs about a copy of the blob.

        Raises ValueError when the blob is damaged or was made for another text.
        """
        return cls._from_packed(text, _Packed.from_bytes(blob, len(text)), fmt)

    # -- queries ------------------------------------------------------------
    def sentence_at(self, offset: int) -> tuple[int, int] | None:
        """The sentence holding ``offset``, else the next one on its line or in
        its block (offset in a bullet or between sentences), else the sentence
        that ends exactly at ``offset``; None between blocks.

        >>> doc = parse_text("One. Two.")
        >>> doc.sentence_at(4), doc.sentence_at(9)
        ((5, 9), (5, 9))
        """
        p = self._index()
        starts, ends = p.se_s, p.se_e
        i = bisect_right(starts, offset) - 1
        if i >= 0 and offset < ends[i]:
            return starts[i], ends[i]
        j = i + 1
        if j < len(starts):
            nxt = starts[j]
            same_line = self.text.find("\n", offset, nxt) == -1
            if same_line or self._same_block(offset, nxt):
                return nxt, ends[j]
        if i >= 0 and offset == ends[i]:
            return starts[i], ends[i]
        return None

    def _same_block(self, a: int, b: int) -> bool:
        p = self._index()
        i = bisect_right(p.bl_s, a) - 1
        return i >= 0 and a <= p.bl_e[i] and p.bl_s[i] <= b < p.bl_e[i]

    def quotation_at(self, offset: int) -> tuple[int, int] | None:
        """The innermost quotation (marks included) holding ``offset``.

        >>> doc = parse_text("He said “a ‘b’ c”.")
        >>> doc.quotation_at(12), doc.quotation_at(9)
        ((11, 14), (8, 17))
        """
        p = self._index()
        i = bisect_right(p.qu_s, offset) - 1
        parents = p.quote_parents()
        while i >= 0:
            if offset < p.qu_e[i]:
                return p.qu_s[i], p.qu_e[i]
            i = parents[i]
        return None

    def block_at(self, offset: int) -> Block | None:
        """The block holding ``offset`` (its end counts, so a cursor just past
        a block's last character is still in it), or the block whose line
        prefix (bullet, indentation, quote bar) ``offset`` sits in."""
        p = self._index()
        i = bisect_right(p.bl_s, offset) - 1
        if i >= 0 and offset <= p.bl_e[i]:
            return self._block(i)
        j = i + 1
        if j < len(p.bl_s) and self.text.find("\n", offset, p.bl_s[j]) == -1:
            return self._block(j)
        return None

    def _block(self, i: int) -> Block:
        blocks = self.__dict__.get("blocks")
        if blocks is not None:
            return blocks[i]
        p = self.__dict__["_packed"]
        return Block(p.bl_s[i], p.bl_e[i], p.kinds[p.bl_k[i]], p.bl_n[i])

    def paragraph_number(self, offset: int) -> int:
        """The paragraph number shown for ``offset``: that of its block, else of
        the block before it (the first block before the first); 0 if none."""
        block = self.block_at(offset)
        if block is not None:
            return block.number
        p = self._index()
        if not p.bl_s:
            return 0
        i = max(bisect_right(p.bl_s, offset) - 1, 0)
        return p.bl_n[i]

    def next_sentence(self, offset: int) -> int | None:
        """Start of the first sentence starting after ``offset``."""
        starts = self._index().se_s
        i = bisect_right(starts, offset)
        return starts[i] if i < len(starts) else None

    def prev_sentence(self, offset: int) -> int | None:
        """Start of the last sentence starting before ``offset`` (from inside a
        sentence, its own start)."""
        starts = self._index().se_s
        i = bisect_left(starts, offset) - 1
        return starts[i] if i >= 0 else None

    def next_block(self, offset: int) -> int | None:
        """Start of the first block starting after ``offset``."""
        starts = self._index().bl_s
        i = bisect_right(starts, offset)
        return starts[i] if i < len(starts) else None

    def prev_block(self, offset: int) -> int | None:
        """Start of the last block starting before ``offset``."""
        starts = self._index().bl_s
        i = bisect_left(starts, offset) - 1
        return starts[i] if i >= 0 else None

    def spans_in(self, start: int, end: int) -> list[Span]:
        """Spans overlapping ``[start, end)``, in order: what a view drawing
        those lines needs, without decoding every span of the document."""
        p = self._index()
        lo = bisect_right(p.span_max_end(), start)
        hi = bisect_left(p.sp_s, end)
        kinds, values = p.kinds, p.values
        sp_s, sp_e, sp_k, sp_v = p.sp_s, p.sp_e, p.sp_k, p.sp_v
        return [
            Span(sp_s[i], sp_e[i], kinds[sp_k[i]], values[sp_v[i]] if sp_v[i] >= 0 else "")
            for i in range(lo, hi)
            if sp_e[i] > start
        ]


# ---------------------------------------------------------------------------
# Packed form: parallel arrays, shared by the parser, the queries and storage.

_MAGIC = b"BTD1"
_HEADER = struct.Struct("<4s8I")  # magic, text len, 4 counts, strings len, 2 reserved
_SWAP = sys.byteorder != "little"


class _Packed:
    """Spans, blocks, sentences and quotations as int arrays (sorted by start)."""

    __slots__ = (
        "_bound", "_max_end", "_parents", "bl_e", "bl_k", "bl_n", "bl_s", "kinds",
        "qu_e", "qu_s", "se_e", "se_s", "sp_e", "sp_k", "sp_s", "sp_v", "values",
    )

    def __init__(self) -> None:
        for name in ("sp_s", "sp_e", "sp_v", "bl_s", "bl_e", "bl_n",
                     "se_s", "se_e", "qu_s", "qu_e"):
            setattr(self, name, array("i"))
        self.sp_k = array("B")
        self.bl_k = array("B")
        self.kinds: list[str] = list(_KINDS)
        self.values: list[str] = list(_LEVELS)
        self._bound: dict[str, tuple[int, int]] = {}
        self._parents: array | None = None
        self._max_end: array | None = None

    # lists <-> arrays -------------------------------------------------------
    def bind(self, name: str, value: list) -> None:
        """Remember which list object mirrors these arrays (for freshness)."""
        self._bound[name] = (id(value), len(value))

    def fresh(self, d: dict) -> bool:
        for name in _LAZY:
            value = d.get(name)
            if value is not None and self._bound.get(name) != (id(value), len(value)):
                return False
        return True

    def materialize(self, name: str) -> list:
        if name == "sentences":
            return list(zip(self.se_s, self.se_e))
        if name == "quotations":
            return list(zip(self.qu_s, self.qu_e))
        kinds = self.kinds
        if name == "blocks":
            return [Block(s, e, kinds[k], n)
                    for s, e, k, n in zip(self.bl_s, self.bl_e, self.bl_k, self.bl_n)]
        values = self.values
        return [Span(s, e, kinds[k], values[v] if v >= 0 else "")
                for s, e, k, v in zip(self.sp_s, self.sp_e, self.sp_k, self.sp_v)]

    @classmethod
    def from_lists(cls, spans: list[Span], blocks: list[Block],
                   sentences: list[tuple[int, int]],
                   quotations: list[tuple[int, int]]) -> _Packed:
        p = cls()
        kind_ix = {k: i for i, k in enumerate(p.kinds)}
        value_ix = {v: i for i, v in enumerate(p.values)}

        def intern(table: list[str], index: dict[str, int], s: str) -> int:
            i = index.get(s)
            if i is None:
                i = index[s] = len(table)
                table.append(s)
            return i

        for sp in sorted(spans, key=lambda s: (s.start, -s.end)):
            p.sp_s.append(sp.start)
            p.sp_e.append(sp.end)
            p.sp_k.append(intern(p.kinds, kind_ix, sp.kind))
            p.sp_v.append(intern(p.values, value_ix, sp.value) if sp.value else -1)
        for b in sorted(blocks, key=lambda b: b.start):
            p.bl_s.append(b.start)
            p.bl_e.append(b.end)
            p.bl_k.append(intern(p.kinds, kind_ix, b.kind))
            p.bl_n.append(b.number)
        for s, e in sorted(sentences):
            p.se_s.append(s)
            p.se_e.append(e)
        for s, e in sorted(quotations):
            p.qu_s.append(s)
            p.qu_e.append(e)
        return p

    # derived indexes ------------------------------------------------------
    def quote_parents(self) -> array:
        """Index of each quotation's enclosing quotation, or -1."""
        if self._parents is None:
            parents = array("i", [-1]) * len(self.qu_s)
            stack: list[int] = []
            qe = self.qu_e
            for i, s in enumerate(self.qu_s):
                while stack and qe[stack[-1]] <= s:
                    stack.pop()
                if stack:
                    parents[i] = stack[-1]
                stack.append(i)
            self._parents = parents
        return self._parents

    def span_max_end(self) -> array:
        """Running maximum of span ends (monotonic, so it can be bisected)."""
        if self._max_end is None:
            self._max_end = array("i", accumulate(self.sp_e, max))
        return self._max_end

    # bytes ------------------------------------------------------------------
    def _int_arrays(self) -> tuple[array, ...]:
        return (self.sp_s, self.sp_e, self.sp_v, self.bl_s, self.bl_e, self.bl_n,
                self.se_s, self.se_e, self.qu_s, self.qu_e)

    def to_bytes(self, text_len: int) -> bytes:
        if len(self.kinds) > 256:
            raise ValueError("more than 256 span/block kinds")
        strings = json.dumps([self.kinds, self.values], ensure_ascii=False).encode()
        header = _HEADER.pack(_MAGIC, text_len, len(self.sp_s), len(self.bl_s),
                              len(self.se_s), len(self.qu_s), len(strings), 0, 0)
        parts = [header]
        for arr in self._int_arrays():
            if _SWAP:
                arr = array("i", arr)
                arr.byteswap()
            parts.append(arr.tobytes())
        parts += [self.sp_k.tobytes(), self.bl_k.tobytes(), strings]
        return b"".join(parts)

    @classmethod
    def from_bytes(cls, blob: bytes, text_len: int) -> _Packed:
        view = memoryview(blob)
        if len(view) < _HEADER.size:
            raise ValueError("document blob too short")
        magic, n_text, n_sp, n_bl, n_se, n_qu, n_str, _, _ = _HEADER.unpack_from(view)
        if magic != _MAGIC:
            raise ValueError("not a briefing-tui document blob")
        if n_text != text_len:
            raise ValueError(f"document blob is for a text of {n_text} characters, "
                             f"not {text_len}")
        counts = (n_sp, n_sp, n_sp, n_bl, n_bl, n_bl, n_se, n_se, n_qu, n_qu)
        expected = _HEADER.size + 4 * sum(counts) + n_sp + n_bl + n_str
        if len(view) != expected:
            raise ValueError("document blob has the wrong length")
        p = cls()
        pos = _HEADER.size
        for arr, n in zip(p._int_arrays(), counts):
            arr.frombytes(view[pos:pos + 4 * n])
            if _SWAP:
                arr.byteswap()
            pos += 4 * n
        p.sp_k.frombytes(view[pos:pos + n_sp])
        pos += n_sp
        p.bl_k.frombytes(view[pos:pos + n_bl])
        pos += n_bl
        p.kinds, p.values = json.loads(bytes(view[pos:pos + n_str]))
        return p


# ---------------------------------------------------------------------------
# Normalisation and front matter

# Everything str.splitlines() splits on besides "\n" and "\r".
_LINE_SEPS = re.compile("[\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_NBSPS = re.compile("[\u00a0\u202f]")
# Indentation made of no-break spaces is typography pasted from a web page, not
# Markdown structure: turned into plain spaces it would become an indented code
# block (the White House transcripts indent speaker labels this way).
_NBSP_INDENT = re.compile("^[ \t\u00a0\u202f]*[\u00a0\u202f][ \t\u00a0\u202f]*", re.MULTILINE)


def normalize(raw: str) -> str:
    """Normalise decoded source text before anything else reads it.

    Strips a BOM, turns CRLF/CR and every other line separator into "\\n",
    applies Unicode NFC, drops line indentation that contains no-break spaces,
    turns remaining (narrow) no-break spaces into spaces and expands tabs to
    4-column tab stops.

    >>> normalize("\\ufeffa\\u00a0b\\r\\nc\\td\\u2028e")
    'a b\\nc   d\\ne'
    """
    raw = raw.lstrip("\ufeff")
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    if _LINE_SEPS.search(raw):
        raw = _LINE_SEPS.sub("\n", raw)
    if not unicodedata.is_normalized("NFC", raw):
        raw = unicodedata.normalize("NFC", raw)
    if _NBSPS.search(raw):
        raw = _NBSPS.sub(" ", _NBSP_INDENT.sub("", raw))
    if "\t" in raw:
        raw = raw.expandtabs(4)
    return raw


_FRONT_MATTER = re.compile(r"---[ ]*\n(.*?)^(?:---|\.\.\.)[ ]*(?:\n|\Z)", re.DOTALL | re.MULTILINE)
_FRONT_MATTER_MAX = 64 * 1024  # never hand a whole document to the YAML parser


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split YAML front matter (between ``---`` lines at the very top) from
    the body. Values become strings (dates in ISO form, lists comma-joined).
    Returns ``({}, text)`` when there is none or it is not a YAML mapping.

    >>> split_front_matter("---\\ntitle: A\\n  b\\ndate: 2025-02-20\\n---\\nBody")
    ({'title': 'A b', 'date': '2025-02-20'}, 'Body')
    """
    if not text.startswith("---"):
        return {}, text
    m = _FRONT_MATTER.match(text, 0, min(len(text), _FRONT_MATTER_MAX))
    if m is None:
        return {}, text
    try:
        data = yaml.safe_load(m.group(1)) if m.group(1).strip() else {}
    except yaml.YAMLError:
        return {}, text
    if not isinstance(data, dict):
        return {}, text
    return {str(k): _yaml_str(v) for k, v in data.items()}, text[m.end():]


def _yaml_str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(_yaml_str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def parse_source(source: str, fmt: str = "markdown") -> tuple[dict[str, str], Document]:
    """Normalise ``source`` and parse it: ``(front matter, document)``.

    fmt is "markdown" (front matter is read) or "text".
    """
    text = normalize(source)
    if fmt == "text":
        return {}, parse_text(text)
    meta, body = split_front_matter(text)
    return meta, parse_markdown(body)


# ---------------------------------------------------------------------------
# Markdown

RULE = "─" * 40
BULLET = "•"
QUOTE_BAR = "│ "
_SEG_PROSE, _SEG_ONE, _SEG_CODE = 0, 1, 2  # how a segment is scanned
_TAG = re.compile(r"<!--.*?-->|<[^>]*>", re.DOTALL)
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_POST = re.compile("[\u00a0\u202f\t\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_POST_TABLE = str.maketrans({"\u00a0": " ", "\u202f": " ", "\t": " ", "\v": "\n",
                             "\f": "\n", "\x1c": "\n", "\x1d": "\n", "\x1e": "\n",
                             "\x85": "\n", "\u2028": "\n", "\u2029": "\n"})


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    return md.use(footnote_plugin, inline=False)


_LI, _BQ, _FN = 0, 1, 2  # container kinds


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
        self.pos = 0
        self.p = _Packed()
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
                self.end_block(K_PARAGRAPH, _SEG_PROSE)
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
                end = self.end_block(K_HEADING, _SEG_ONE)
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
        content = tok.content.removesuffix("\n")
        if not content.strip():
            return
        self.begin_block()
        if self.nl != "\n":
            content = content.replace("\n", self.nl)
        info = tok.info.split()[0] if tok.info.strip() else ""
        self.span(self.pos, self.pos + len(content), K_CODE_BLOCK,
                  self.value(info) if info else -1)
        self.emit(content)
        self.end_block(K_CODE, _SEG_CODE)

    def html_block(self, content: str) -> None:
        text = html.unescape(_TAG.sub("", content))
        lines = [line.strip() for line in text.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            return
        self.begin_block()
        self.emit(self.nl.join(lines))
        self.end_block(K_PARAGRAPH, _SEG_PROSE)

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
                    self.segs.append((at, self.pos, _SEG_PROSE))
                if j < ncol - 1:
                    self.emit(" " * (pad - left))
            if r == 0:
                self.emit(self.nl + "─┼─".join("─" * w for w in widths))
        self.p.sp_e[table_span] = self.pos
        self.end_block(K_TABLE, -1)

    def document(self) -> Document:
        text = "".join(self.out)
        if _POST.search(text):
            # entities such as &nbsp; are decoded after normalisation; same length
            text = text.translate(_POST_TABLE)
        p = self.p
        if text[-1:].isspace():  # blanks after the last block show nothing
            text = text.rstrip()
            n = len(text)
            p.sp_e = array("i", (min(e, n) for e in p.sp_e))
            self.segs = [(s, min(e, n), mode) for s, e, mode in self.segs if s < n]
        if any(s >= e for s, e in zip(p.sp_s, p.sp_e)):
            # spans closed empty ([](url), a blank heading) have nothing to show
            keep = [i for i, (s, e) in enumerate(zip(p.sp_s, p.sp_e)) if s < e]
            p.sp_s, p.sp_e, p.sp_k, p.sp_v = (
                array(a.typecode, [a[i] for i in keep]) for a in (p.sp_s, p.sp_e, p.sp_k, p.sp_v)
            )
        _find_sentences(text, self.segs, p.se_s, p.se_e)
        _find_quotations(text, self.segs, p.qu_s, p.qu_e)
        return Document._from_packed(text, p, "markdown")


_INLINE_OPEN = {"em_open": K_EM, "strong_open": K_STRONG, "s_open": K_STRIKE,
                "link_open": K_LINK}
_INLINE_CLOSE = {"em_close", "strong_close", "s_close", "link_close"}


def parse_markdown(body: str) -> Document:
    """Render normalised Markdown (front matter removed) to a Document.

    >>> doc = parse_markdown("## Hi\\n\\n- *a*\\n- b")
    >>> doc.text, [(s.kind, doc.text[s.start:s.end]) for s in doc.spans]
    ('Hi\\n\\n• a\\n• b', [('heading', 'Hi'), ('bullet', '•'), ('em', 'a'), ('bullet', '•')])
    """
    renderer = _Renderer()
    renderer.render(_markdown().parse(body))
    return renderer.document()


# ---------------------------------------------------------------------------
# Plain text

_BLANK_LINES = re.compile(r"\n(?:[^\S\n]*\n)+")
_LEADING_BLANK = re.compile(r"(?:[^\S\n]*\n)+")
_NONSPACE = re.compile(r"\S")
_TEXT_TERMINAL = frozenset(".!?:;,…-–—)]\"”’»'*")
_SPEAKER = re.compile(r"[A-Z][A-Z.'’ -]*:")


def _is_text_heading(line: str) -> bool:
    """A short line standing alone, like "Details" or "Reminder"."""
    return (
        len(line) <= 60
        and "\n" not in line
        and (line[0].isupper() or line[0].isdigit())
        and line[-1] not in _TEXT_TERMINAL
        and _SPEAKER.match(line) is None
        and any(ch.isalpha() for ch in line)
    )


def parse_text(text: str) -> Document:
    """Plain text (normalised) to a Document: the reading text is the text
    itself without leading blank lines and trailing whitespace; every run of
    non-blank lines is a block; a short stand-alone line without closing
    punctuation is a heading.

    >>> doc = parse_text("Details\\n\\nMR PRICE: Hi.\\nThanks.")
    >>> [(b.kind, doc.text[b.start:b.end]) for b in doc.blocks]
    [('heading', 'Details'), ('paragraph', 'MR PRICE: Hi.\\nThanks.')]
    """
    m = _LEADING_BLANK.match(text)
    if m:
        text = text[m.end():]
    text = text.rstrip()
    p = _Packed()
    segs: list[tuple[int, int, int]] = []
    prev = 0
    runs = [(m.start(), m.end()) for m in _BLANK_LINES.finditer(text)]
    runs.append((len(text), len(text)))
    for sep_start, sep_end in runs:
        first = _NONSPACE.search(text, prev, sep_start)
        if first is not None:
            s, e = first.start(), sep_start
            while text[e - 1].isspace():
                e -= 1
            if e - s <= 60 and _is_text_heading(text[s:e]):
                p.sp_s.append(s)
                p.sp_e.append(e)
                p.sp_k.append(K_HEADING)
                p.sp_v.append(1)  # "2"
                kind, seg = K_HEADING, _SEG_ONE
            else:
                kind, seg = K_PARAGRAPH, _SEG_PROSE
            p.bl_s.append(s)
            p.bl_e.append(e)
            p.bl_k.append(kind)
            p.bl_n.append(len(p.bl_s))
            segs.append((s, e, seg))
        prev = sep_end
    _find_sentences(text, segs, p.se_s, p.se_e)
    _find_quotations(text, segs, p.qu_s, p.qu_e)
    return Document._from_packed(text, p, "text")


# ---------------------------------------------------------------------------
# Sentences and quotations (shared by both formats); a segment is a block, a
# table cell or a heading, scanned as prose, as one sentence, or as code.

_BOUNDARY = re.compile(r"([.!?…]+)([\"”’»)\]'›]*)(?=\s)")
_SKIP = re.compile(r"[\s│]*")  # between sentences: whitespace and quote bars
_WORDCHAR = re.compile(r"\w")
_WORD = re.compile(r"\w+")
_OPENERS = frozenset("\"“‘«„‚‹([{'*_")
_CONTINUES = frozenset(",;:-–—")
_DOTTED = re.compile(r"(?:[A-Z]\.)+[A-Z]")  # U.S, D.C, P.M (final dot excluded)
# Never end a sentence after these (they precede a name or an example).
_NEVER_END = frozenset(
    [
        "mr", "mrs", "ms", "messrs", "dr", "gen", "sen", "sens", "rep", "reps", "gov", "lt",
        "col", "sgt", "capt", "cpt", "prof", "adm", "maj", "cmdr", "brig", "cpl", "pvt", "hon",
        "rev", "st", "pres", "amb", "supt", "insp", "fr", "mt", "e.g", "i.e", "cf", "vs", "viz",
        "incl", "esp", "approx"
    ]
)
# ...nor before a number after these (Jan. 20, No. 5, p. 12).
_BEFORE_NUMBER = frozenset(
    [
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "no", "nos", "art", "fig", "vol", "p", "pp", "para", "sec", "ch", "ca", "tel"
    ]
)
# After a dotted acronym (U.S., D.C., P.M.) a capital usually starts a name
# ("U.S. Army"); only these words start a new sentence there.
_STARTERS = frozenset(
    [
        "A", "An", "And", "As", "At", "But", "By", "For", "From", "He", "Her", "Here", "His",
        "How", "However", "I", "If", "In", "It", "Its", "Many", "My", "No", "Now", "On", "One",
        "Our", "She", "So", "Some", "That", "The", "Their", "Then", "There", "These", "They",
        "This", "Those", "Today", "We", "What", "When", "Where", "While", "Who", "Why", "With",
        "Yes", "Yesterday", "You"
    ]
)


def _ends_sentence(text: str, m: re.Match[str], cur: int, end: int) -> bool:
    """Whether the candidate boundary ``m`` ends the sentence begun at ``cur``."""
    n = _SKIP.match(text, m.end(), end).end()
    if n >= end:
        return True
    c = text[n]
    while c in _OPENERS and n + 1 < end:
        n += 1
        c = text[n]
    if c.islower() or c in _CONTINUES:  # "results,” he said", "etc. and", "... that"
        return False
    if m.group(1) != ".":
        return True
    p = m.start()
    j, lo = p, max(cur, p - 24)
    while j > lo and not text[j - 1].isspace() and text[j - 1] not in _OPENERS:
        j -= 1
    word = text[j:p]
    if not word:
        return True
    lw = word.lower()
    if lw in _NEVER_END or (len(word) == 1 and word.isupper()):  # Mr. Smith, J. Smith
        return False
    if c.isdigit():
        return lw not in _BEFORE_NUMBER
    if _DOTTED.fullmatch(word) or lw in ("a.m", "p.m"):
        w = _WORD.match(text, n)
        return w is None or w.group() in _STARTERS
    return True


def _find_sentences(text: str, segs: list[tuple[int, int, int]],
                    out_s: array, out_e: array) -> None:
    for s, e, mode in segs:
        cur = _SKIP.match(text, s, e).end()
        if cur >= e:
            continue
        if mode == _SEG_PROSE:
            for m in _BOUNDARY.finditer(text, cur, e):
                b = m.end()
                if _ends_sentence(text, m, cur, e) and _WORDCHAR.search(text, cur, b):
                    out_s.append(cur)
                    out_e.append(b)
                    cur = _SKIP.match(text, b, e).end()
            if cur >= e:
                continue
        while text[e - 1].isspace():
            e -= 1
        out_s.append(cur)
        out_e.append(e)


_QUOTE_MARKS = re.compile("[\"“”„«»‘’‚‹›]")
_CLOSES = {"”": "“„", "»": "«", "’": "‘‚", "›": "‹"}


def _find_quotations(text: str, segs: list[tuple[int, int, int]],
                     out_s: array, out_e: array) -> None:
    for s, e, mode in segs:
        if mode == _SEG_CODE:
            continue
        stack: list[tuple[str, int]] = []
        found: list[tuple[int, int]] = []
        for m in _QUOTE_MARKS.finditer(text, s, e):
            i = m.start()
            ch = text[i]
            prev = text[i - 1] if i > s else " "
            nxt = text[i + 1] if i + 1 < e else " "
            if (ch == "’" or ch == "‘") and prev.isalnum() and nxt.isalnum():
                continue  # an apostrophe: Trump’s
            after_word = not prev.isspace() and prev not in _OPENERS
            if ch == '"':
                opens = not after_word and not nxt.isspace()
                closes = after_word and not nxt.isalnum()
                k = _last(stack, '"')
                if k >= 0 and (closes or not opens):
                    found.append((stack[k][1], i + 1))
                    del stack[k:]
                elif opens or not closes:
                    stack.append((ch, i))
            elif ch in _CLOSES:
                k = _last(stack, _CLOSES[ch])
                if k >= 0 and (after_word or ch != "’"):
                    found.append((stack[k][1], i + 1))
                    del stack[k:]
            elif ch == "“" or ch == "‘":
                # closes German „…“ / ‚…‘ when it follows a word
                k = _last(stack, "„" if ch == "“" else "‚")
                if k >= 0 and after_word:
                    found.append((stack[k][1], i + 1))
                    del stack[k:]
                elif not (ch == "‘" and after_word):
                    stack.append((ch, i))
            else:  # „ « ‚ ‹
                stack.append((ch, i))
        if found:
            found.sort()
            for qs, qe in found:
                out_s.append(qs)
                out_e.append(qe)


def _last(stack: list[tuple[str, int]], marks: str) -> int:
    """Index of the innermost open mark among ``marks``, or -1."""
    for k in range(len(stack) - 1, -1, -1):
        if stack[k][0] in marks:
            return k
    return -1
