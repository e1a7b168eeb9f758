"""The packed form of a Document's lists, and its storage format (the blob).

Spans, blocks, sentences and quotations are held as parallel int arrays sorted
by start: the renderers write into them, the Document's queries bisect them,
and :meth:`Packed.to_bytes` / :meth:`Packed.from_bytes` turn them into the
bytes the store keeps beside the text (magic ``BTD1``, a fixed header, the
arrays in little-endian order, then the kind and value string tables as JSON,
then the two indexes the reader needs on its first screen: the layout line
starts of :mod:`briefing_tui.core.lines` and the running maximum of span ends.
Blobs written before those indexes existed hold zeros in their header fields and
end after the JSON; their indexes are computed when first asked for).
The lists of :class:`~briefing_tui.core.spans.Span` and
:class:`~briefing_tui.core.spans.Block` are decoded from them only on demand.
"""

from __future__ import annotations

import json
import struct
import sys
from array import array
from collections.abc import Callable
from itertools import accumulate

from briefing_tui.core.lines import MAX_LINE, line_starts
from briefing_tui.core.spans import Block, Span

# Kind names; the renderer works with their indices. Their order is part of the
# storage format (a blob stores the table too, so appending is safe).
KINDS = (
    "heading", "em", "strong", "code", "code_block", "link", "blockquote",
    "bullet", "table", "rule", "strike", "paragraph", "list_item",
)
(K_HEADING, K_EM, K_STRONG, K_CODE, K_CODE_BLOCK, K_LINK, K_BLOCKQUOTE,
 K_BULLET, K_TABLE, K_RULE, K_STRIKE, K_PARAGRAPH, K_LIST_ITEM) = range(len(KINDS))
LEVELS = ("1", "2", "3", "4", "5", "6")  # values 0..5 in every value table
# The Document lists these arrays mirror; a Document decodes each on first use.
LAZY = ("spans", "blocks", "sentences", "quotations")

_MAGIC = b"BTD1"
# magic, text len, 4 counts, strings len, line starts count, the MAX_LINE they were cut at
_HEADER = struct.Struct("<4s8I")
_SWAP = sys.byteorder != "little"


class Packed:
    """Spans, blocks, sentences and quotations as int arrays (sorted by start)."""

    __slots__ = (
        "_bound", "_lines", "_max_end", "_parents", "bl_e", "bl_k", "bl_n", "bl_s", "kinds",
        "qu_e", "qu_s", "se_e", "se_s", "sp_e", "sp_k", "sp_s", "sp_v", "text_len", "values",
    )

    # Declared here for type checkers: __init__ creates them in a loop, and
    # annotations without values add no class attributes (so __slots__ holds).
    sp_s: array[int]
    sp_e: array[int]
    sp_v: array[int]
    bl_s: array[int]
    bl_e: array[int]
    bl_n: array[int]
    se_s: array[int]
    se_e: array[int]
    qu_s: array[int]
    qu_e: array[int]

    def __init__(self) -> None:
        for name in ("sp_s", "sp_e", "sp_v", "bl_s", "bl_e", "bl_n",
                     "se_s", "se_e", "qu_s", "qu_e"):
            setattr(self, name, array("i"))
        self.sp_k = array("B")
        self.bl_k = array("B")
        self.kinds: list[str] = list(KINDS)
        self.values: list[str] = list(LEVELS)
        self._bound: dict[str, tuple[int, int]] = {}
        self._parents: array | None = None
        self._max_end: array | None = None
        self._lines: tuple[int, array] | None = None  # (max_line, starts)
        self.text_len = -1  # of the text a blob was made for (from_bytes sets it)

    # lists <-> arrays -------------------------------------------------------
    def bind(self, name: str, value: list) -> None:
        """Remember which list object mirrors these arrays (for freshness)."""
        self._bound[name] = (id(value), len(value))

    def fresh(self, d: dict) -> bool:
        for name in LAZY:
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
                   quotations: list[tuple[int, int]]) -> Packed:
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

    def line_starts(self, text: Callable[[], str]) -> array:
        """The layout line starts of the text these arrays belong to (``text()`` gives it,
        asked only when the blob held no starts)."""
        if self._lines is None or self._lines[0] != MAX_LINE:
            self._lines = (MAX_LINE, array("i", line_starts(text())))
        return self._lines[1]

    # bytes ------------------------------------------------------------------
    def _int_arrays(self) -> tuple[array, ...]:
        return (self.sp_s, self.sp_e, self.sp_v, self.bl_s, self.bl_e, self.bl_n,
                self.se_s, self.se_e, self.qu_s, self.qu_e)

    def to_bytes(self, text: str | Callable[[], str], length: int | None = None) -> bytes:
        """The blob for ``text`` (or ``text()``, asked only when the layout lines are not
        known yet; ``length`` is then its length)."""
        if len(self.kinds) > 256:
            raise ValueError("more than 256 span/block kinds")
        strings = json.dumps([self.kinds, self.values], ensure_ascii=False).encode()
        if isinstance(text, str):
            length, text = len(text), (lambda s=text: s)  # type: ignore[misc]
        lines = self.line_starts(text)
        header = _HEADER.pack(_MAGIC, length, len(self.sp_s), len(self.bl_s),
                              len(self.se_s), len(self.qu_s), len(strings), len(lines),
                              MAX_LINE)
        parts = [header]
        for arr in self._int_arrays():
            if _SWAP:
                arr = array("i", arr)
                arr.byteswap()
            parts.append(arr.tobytes())
        parts += [self.sp_k.tobytes(), self.bl_k.tobytes(), strings]
        for arr in (lines, self.span_max_end()):
            if _SWAP:
                arr = array("i", arr)
                arr.byteswap()
            parts.append(arr.tobytes())
        return b"".join(parts)

    @classmethod
    def from_bytes(cls, blob: bytes, text_len: int | None) -> Packed:
        """The arrays of a blob made for a text of ``text_len`` characters (None: any)."""
        view = memoryview(blob)
        if len(view) < _HEADER.size:
            raise ValueError("document blob too short")
        magic, n_text, n_sp, n_bl, n_se, n_qu, n_str, n_ln, max_line = _HEADER.unpack_from(view)
        if magic != _MAGIC:
            raise ValueError("not a briefing-tui document blob")
        if text_len is not None and n_text != text_len:
            raise ValueError(f"document blob is for a text of {n_text} characters, "
                             f"not {text_len}")
        counts = (n_sp, n_sp, n_sp, n_bl, n_bl, n_bl, n_se, n_se, n_qu, n_qu)
        indexes = (n_ln, n_sp) if n_ln else ()
        expected = _HEADER.size + 4 * sum(counts) + n_sp + n_bl + n_str + 4 * sum(indexes)
        if len(view) != expected:
            raise ValueError("document blob has the wrong length")
        p = cls()
        p.text_len = n_text
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
        pos += n_str
        if indexes:
            lines, max_end = array("i"), array("i")
            for arr, n in zip((lines, max_end), indexes):
                arr.frombytes(view[pos:pos + 4 * n])
                if _SWAP:
                    arr.byteswap()
                pos += 4 * n
            if lines[0] != 0 or lines[-1] != n_text:
                raise ValueError("document blob has damaged line starts")
            p._lines = (max_line, lines)
            p._max_end = max_end
        return p
