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

This module is the entry point and holds the Document and its queries,
normalisation, front matter and plain text; the work is shared with
:mod:`~briefing_tui.core.spans` (Span, Block), :mod:`~briefing_tui.core.docblob`
(packed lists and the blob format), :mod:`~briefing_tui.core.markdown_render`
(Markdown tokens -> reading text) and :mod:`~briefing_tui.core.textscan`
(sentences and quotations). Import the public names from here.
"""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from briefing_tui.core.docblob import K_HEADING, K_PARAGRAPH, LAZY, Packed
from briefing_tui.core.spans import BULLET, QUOTE_BAR, RULE, Block, Span
from briefing_tui.core.textscan import (
    SEG_ONE,
    SEG_PROSE,
    after_ellipsis,
    find_quotations,
    find_sentences,
)

__all__ = [
    "BULLET",
    "QUOTE_BAR",
    "RULE",
    "Block",
    "Document",
    "Span",
    "normalize",
    "parse_markdown",
    "parse_source",
    "parse_text",
    "split_front_matter",
]


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

    # -- lazy lists and text -----------------------------------------------
    def __getattr__(self, name: str) -> Any:
        # Only reached when a field is missing from __dict__: documents built by
        # the parser or from_blob hold packed arrays and decode a list on demand;
        # a document opened with from_blob_head reads its text on first use.
        if name == "text" and "_load_text" in self.__dict__:
            return self._read_text()
        if name in LAZY:
            packed = self.__dict__.get("_packed")
            if packed is not None:
                value = packed.materialize(name)
                self.__dict__[name] = value
                packed.bind(name, value)
                return value
        raise AttributeError(name)

    @classmethod
    def _from_packed(cls, text: str, packed: Packed, fmt: str) -> Document:
        doc = cls.__new__(cls)
        doc.__dict__.update(text=text, fmt=fmt, _packed=packed)
        return doc

    def _index(self) -> Packed:
        """The packed arrays, rebuilt if the lists were replaced since."""
        d = self.__dict__
        packed = d.get("_packed")
        if packed is None or not packed.fresh(d):
            packed = Packed.from_lists(
                self.spans, self.blocks, self.sentences, self.quotations
            )
            for name in LAZY:
                packed.bind(name, d[name])
            d["_packed"] = packed
        return packed

    def _read_text(self) -> str:
        d = self.__dict__
        text = d["_load_text"]()
        if len(text) != d["_length"]:
            raise ValueError(f"the text read has {len(text)} characters, "
                             f"its layout is for {d['_length']}")
        d["text"] = text
        del d["_load_text"], d["_head"], d["_length"]
        return text

    @property
    def length(self) -> int:
        """``len(text)``, known without reading the text of a document opened by its head."""
        d = self.__dict__
        return d["_length"] if "_load_text" in d else len(self.text)

    def text_between(self, start: int, end: int) -> str:
        """``text[start:end]``; from the head alone while it covers that range."""
        d = self.__dict__
        if "_load_text" in d and end <= len(d["_head"]):
            return d["_head"][start:end]
        return self.text[start:end]

    @property
    def text_loaded(self) -> bool:
        """False while only the head of the text has been read (see from_blob_head)."""
        return "_load_text" not in self.__dict__

    # -- storage ------------------------------------------------------------
    def to_blob(self) -> bytes:
        """Everything but the text and fmt, packed for the store.

        >>> doc = parse_markdown("# T\\n\\nA [b](u).")
        >>> Document.from_blob(doc.text, doc.to_blob(), "markdown") == doc
        True
        """
        return self._index().to_bytes(lambda: self.text, self.length)

    @property
    def text_utf8(self) -> bytes | None:
        """The text as UTF-8 when the document was made from it (a big Markdown file's
        import: the text is then decoded only if something asks for :attr:`text`)."""
        return self.__dict__.get("_utf8")

    def take_utf8(self, load_text: Callable[[], str]) -> bytes | None:
        """Give up :attr:`text_utf8` (None if there is none): the store takes it, and the
        text, unless decoded already, is read with ``load_text`` from then on."""
        d = self.__dict__
        if "_load_text" in d:
            d["_load_text"] = load_text
        return d.pop("_utf8", None)

    @property
    def blank(self) -> bool:
        """Nothing but blanks (or nothing) to read."""
        d = self.__dict__
        if "_blank" in d:
            return d["_blank"]
        return not self.text or self.text.isspace()

    def head(self, n: int) -> str:
        """``text[:n]``; from the head alone while it covers it."""
        return self.text_between(0, min(n, self.length))

    @classmethod
    def from_blob(cls, text: str, blob: bytes, fmt: str) -> Document:
        """Reopen a stored document; costs about a copy of the blob.

        Raises ValueError when the blob is damaged or was made for another text.
        """
        return cls._from_packed(text, Packed.from_bytes(blob, len(text)), fmt)

    def line_starts(self) -> Sequence[int]:
        """Where the layout lines start (see :mod:`briefing_tui.core.lines`), plus
        ``len(text)``; read from the blob of a stored document, else computed once."""
        return self._index().line_starts(lambda: self.text)

    @classmethod
    def from_blob_head(cls, head: str, blob: bytes, fmt: str,
                       load_text: Callable[[], str]) -> Document:
        """Reopen a stored document from the first characters of its text.

        Drawing the first screen of a long briefing needs its layout (the blob) and a
        screenful of text, not the whole text: decoding 5 MB of text costs ~10 ms. The
        rest is read by ``load_text`` when anything asks for :attr:`text` (the reader
        asks once its first screen is shown); :meth:`text_between` and :attr:`length`
        answer from the head while they can. ``load_text`` must return the text the blob
        was made for: one of another length raises ValueError.
        """
        packed = Packed.from_bytes(blob, None)
        if len(head) > packed.text_len:
            raise ValueError(f"document blob is for a text of {packed.text_len} characters, "
                             f"not {len(head)} or more")
        if len(head) == packed.text_len:  # the head is the whole text
            return cls._from_packed(head, packed, fmt)
        doc = cls.__new__(cls)
        doc.__dict__.update(fmt=fmt, _packed=packed, _head=head, _length=packed.text_len,
                            _load_text=load_text)
        return doc

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
            return self._trimmed(starts[i], ends[i])
        j = i + 1
        if j < len(starts):
            nxt = starts[j]
            d = self.__dict__
            text = d["_head"] if "_load_text" in d and nxt <= len(d["_head"]) else self.text
            same_line = text.find("\n", offset, nxt) == -1
            if same_line or self._same_block(offset, nxt):
                return self._trimmed(nxt, ends[j])
        if i >= 0 and offset == ends[i]:
            return self._trimmed(starts[i], ends[i])
        return None

    def _trimmed(self, start: int, end: int) -> tuple[int, int]:
        """A sentence without the ellipsis it opens with: sentences found before the
        scanner left it out are still stored with it (until their file is imported again)."""
        head = self.text_between(start, min(end, start + 16))
        skip = after_ellipsis(head, 0, len(head))
        if skip and (block := self.block_at(start)) is not None and block.kind == "code":
            return start, end  # code is shown as it is: the scanner trims nothing there
        return start + skip, end

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

    def first_blocks(self, n: int) -> list[Block]:
        """``blocks[:n]``, without making the whole list of a big document."""
        if "blocks" in self.__dict__:
            return self.blocks[:n]
        return [self._block(i) for i in range(min(n, len(self._index().bl_s)))]

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

    def next_sentence_end(self, offset: int) -> int | None:
        """End of the first sentence whose last character is after ``offset``: from
        inside a sentence, its own end; from its last character, the next one's.

        >>> doc = parse_text("One. Two.")
        >>> doc.next_sentence_end(1), doc.next_sentence_end(3), doc.next_sentence_end(8)
        (4, 9, None)
        """
        ends = self._index().se_e
        i = bisect_right(ends, offset + 1)
        return ends[i] if i < len(ends) else None

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
FRONT_MATTER_MAX = 64 * 1024  # never hand a whole document to the YAML parser


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split YAML front matter (between ``---`` lines at the very top) from
    the body. Values become strings (dates in ISO form, lists comma-joined).
    Returns ``({}, text)`` when there is none or it is not a YAML mapping.

    >>> split_front_matter("---\\ntitle: A\\n  b\\ndate: 2025-02-20\\n---\\nBody")
    ({'title': 'A b', 'date': '2025-02-20'}, 'Body')
    """
    if not text.startswith("---"):
        return {}, text
    m = _FRONT_MATTER.match(text, 0, min(len(text), FRONT_MATTER_MAX))
    if m is None:
        return {}, text
    import yaml  # imported on first use: opening the app needs no YAML (start-up time)

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
# Markdown (rendered by briefing_tui.core.markdown_render)


def parse_markdown(body: str | bytes, start: int = 0,
                   clean: Callable[[str], str] | None = None) -> Document:
    """Render normalised Markdown (front matter removed) to a Document: ``body[start:]``,
    each piece passed through ``clean`` if given; ``body`` may be UTF-8 bytes
    (see ``render_markdown``).

    >>> doc = parse_markdown("## Hi\\n\\n- *a*\\n- b")
    >>> doc.text, [(s.kind, doc.text[s.start:s.end]) for s in doc.spans]
    ('Hi\\n\\n• a\\n• b', [('heading', 'Hi'), ('bullet', '•'), ('em', 'a'), ('bullet', '•')])
    """
    # markdown-it is imported on first parse: reading a stored briefing needs no parser.
    from briefing_tui.core.markdown_render import render_markdown_utf8

    r = render_markdown_utf8(body, start, clean)
    if not isinstance(body, bytes) or len(r.head) == r.length:
        return Document._from_packed(r.utf8.decode("utf-8", "surrogatepass"), r.packed,
                                     "markdown")
    # From UTF-8: the text stays UTF-8 (a byte a character for most text, where a string
    # of it takes 4 as soon as it holds one emoji) until something asks for it whole.
    doc = Document.__new__(Document)
    d = doc.__dict__
    d.update(fmt="markdown", _packed=r.packed, _head=r.head, _length=r.length,
             _utf8=r.utf8, _blank=r.blank,
             _load_text=lambda: d["_utf8"].decode("utf-8", "surrogatepass"))
    return doc


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
    p = Packed()
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
                kind, seg = K_HEADING, SEG_ONE
            else:
                kind, seg = K_PARAGRAPH, SEG_PROSE
            p.bl_s.append(s)
            p.bl_e.append(e)
            p.bl_k.append(kind)
            p.bl_n.append(len(p.bl_s))
            segs.append((s, e, seg))
        prev = sep_end
    find_sentences(text, segs, p.se_s, p.se_e)
    find_quotations(text, segs, p.qu_s, p.qu_e)
    return Document._from_packed(text, p, "text")
