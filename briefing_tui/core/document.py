"""Source text -> reading text with style spans, blocks, sentences and quotations.

INTERFACE STUB — being implemented. Data types below are the contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """A styled run ``[start, end)`` of the reading text.

    kind: "heading" (value = level "1".."6"), "em", "strong", "code" (inline),
    "code_block", "link" (value = URL), "blockquote", "bullet" (a list marker),
    "table", "rule".
    """

    start: int
    end: int
    kind: str
    value: str = ""


@dataclass(frozen=True)
class Block:
    """A block of the reading text: kind is heading | paragraph | list_item |
    blockquote | code | table | rule; number is the 1-based paragraph number
    (every block counts, in reading order)."""

    start: int
    end: int
    kind: str
    number: int


@dataclass
class Document:
    """The reading text and everything the reader, exporter and store need.

    ``text[start:end]`` of any span is exactly what the reader shows.
    """

    text: str
    spans: list[Span] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    quotations: list[tuple[int, int]] = field(default_factory=list)
    fmt: str = "markdown"
