"""Document model: normalisation, front matter, Markdown and plain-text reading
text with exact span and block offsets, query helpers and blob storage."""

from __future__ import annotations

import doctest

import pytest

import briefing_tui.core.document as document_module
from briefing_tui.core.docblob import _HEADER
from briefing_tui.core.document import (
    BULLET,
    RULE,
    Block,
    Document,
    Span,
    normalize,
    parse_markdown,
    parse_source,
    parse_text,
    split_front_matter,
)
from briefing_tui.core.lines import MAX_LINE, line_starts


def spans_of(doc: Document, kind: str) -> list[str]:
    return [doc.text[s.start:s.end] for s in doc.spans if s.kind == kind]


def block_texts(doc: Document) -> list[tuple[str, str]]:
    return [(b.kind, doc.text[b.start:b.end]) for b in doc.blocks]


def md(body: str) -> Document:
    return parse_markdown(normalize(body))


# -- normalize -------------------------------------------------------------

@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\ufeffHello", "Hello"),
        ("a\r\nb\r\n", "a\nb\n"),
        ("a\rb\rc", "a\nb\nc"),
        ("a\r\n\r\nb", "a\n\nb"),
        ("one\u00a0two", "one two"),
        ("one\u202ftwo", "one two"),
        ("a\tb", "a   b"),
        ("abc\td", "abc d"),
        ("\tx\n  \ty", "    x\n    y"),
        ("a\u2028b\u2029c", "a\nb\nc"),
        ("a\fb\vc", "a\nb\nc"),
        ("a\x1cb\x1dc\x1ed\x85e", "a\nb\nc\nd\ne"),
        ("Cafe\u0301", "Caf\u00e9"),  # NFC composes e + combining acute
        ("\u00a0 \u00a0 MS. X:\u00a0 Hi.", "MS. X:  Hi."),  # no-break indentation dropped
        ("\u00a0\u00a0 \nnext", "\nnext"),  # a line of no-break spaces is blank
        ("    code", "    code"),  # ordinary indentation is kept
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_leaves_one_line_separator() -> None:
    text = normalize("a\u2028b\x85c\r\nd\re\u2029f\x0bg\x0ch")
    assert text.splitlines() == text.split("\n") == list("abcdefgh")


def test_normalize_keeps_a_bom_that_is_not_leading() -> None:
    assert normalize("a\ufeffb") == "a\ufeffb"


# -- front matter ------------------------------------------------------------

def test_front_matter_values_become_strings() -> None:
    meta, body = split_front_matter(
        "---\ntitle: A long\n  folded title\ndate: 2025-02-20\n"
        "published: 2025-02-20 20:00:16-05:00\ntags: [a, b]\ndraft: true\nempty:\n---\n# Body\n"
    )
    assert meta == {
        "title": "A long folded title",
        "date": "2025-02-20",
        "published": "2025-02-20T20:00:16-05:00",
        "tags": "a, b",
        "draft": "true",
        "empty": "",
    }
    assert body == "# Body\n"


@pytest.mark.parametrize(
    "text",
    [
        "# No front matter\n",
        "---\ntitle: [unclosed\n---\nBody\n",  # invalid YAML
        "---\njust a string\n---\nBody\n",  # YAML but not a mapping
        "---\ntitle: never closed\nBody\n",
        "\n---\ntitle: not at the top\n---\n",
    ],
)
def test_no_or_invalid_front_matter_keeps_text(text: str) -> None:
    assert split_front_matter(text) == ({}, text)


def test_empty_front_matter() -> None:
    assert split_front_matter("---\n---\nBody") == ({}, "Body")


def test_front_matter_closed_by_dots() -> None:
    assert split_front_matter("---\na: 1\n...\nBody") == ({"a": "1"}, "Body")


def test_parse_source_reads_front_matter_only_for_markdown() -> None:
    meta, doc = parse_source("\ufeff---\r\ntitle: T\r\n---\r\n# H\r\n")
    assert meta == {"title": "T"}
    assert doc.text == "H"
    meta, doc = parse_source("---\ntitle: T\n---\nBody", "text")
    assert meta == {}
    assert doc.fmt == "text"
    assert doc.text == "---\ntitle: T\n---\nBody"


# -- Markdown: reading text, spans, blocks ---------------------------------------

def test_heading_levels_and_text_only() -> None:
    doc = md("# One *x*\n\n### Three\n\nSetext\n------\n")
    assert doc.text == "One x\n\nThree\n\nSetext"
    assert [(s.kind, s.value, doc.text[s.start:s.end]) for s in doc.spans] == [
        ("heading", "1", "One x"), ("em", "", "x"),
        ("heading", "3", "Three"), ("heading", "2", "Setext"),
    ]
    assert block_texts(doc) == [("heading", "One x"), ("heading", "Three"), ("heading", "Setext")]


def test_paragraphs_softbreak_hardbreak() -> None:
    doc = md("first line\nsoft continues  \nhard break\\\nagain\n\n\n\nsecond para\n")
    assert doc.text == "first line soft continues\nhard break\nagain\n\nsecond para"
    assert block_texts(doc) == [
        ("paragraph", "first line soft continues\nhard break\nagain"),
        ("paragraph", "second para"),
    ]
    assert [b.number for b in doc.blocks] == [1, 2]


def test_inline_styles_and_links() -> None:
    doc = md(
        "Say **bold** and *em* and `x = 1` and ~~gone~~ and [the *report*](https://ex.org/r?a=1)"
        " and <https://auto.example> and ![alt text](pic.png)."
    )
    assert doc.text == (
        "Say bold and em and x = 1 and gone and the report and https://auto.example"
        " and alt text."
    )
    assert spans_of(doc, "strong") == ["bold"]
    assert spans_of(doc, "em") == ["em", "report"]
    assert spans_of(doc, "code") == ["x = 1"]
    assert spans_of(doc, "strike") == ["gone"]
    links = [(doc.text[s.start:s.end], s.value) for s in doc.spans if s.kind == "link"]
    assert links == [("the report", "https://ex.org/r?a=1"),
                     ("https://auto.example", "https://auto.example")]


def test_break_before_image_and_footnote_reference() -> None:
    doc = md("a<br>![alt *x*](p.png)  \n[^1] b\n\n[^1]: n")
    assert doc.text == "a\nalt x\n[1] b\n\n[1] n"
    assert spans_of(doc, "em") == ["x"]


def test_trailing_entity_blank_in_last_table_cell() -> None:
    doc = md("| a |\n|---|\n| b&nbsp; |")
    assert doc.text == "a\n──\nb"  # the blank still counts for the width
    assert [doc.text[s:e] for s, e in doc.sentences] == ["a", "b"]


def test_spans_are_sorted_outer_first() -> None:
    doc = md("a ***both*** [*x*](u) b")
    keys = [(s.start, -s.end) for s in doc.spans]
    assert keys == sorted(keys)
    assert [s.kind for s in doc.spans] == ["em", "strong", "link", "em"]


def test_escapes_and_entities() -> None:
    doc = md(r"\*not em\* &amp; &copy; &nbsp;x A&#x2028;B")
    assert doc.text == "*not em* & © \u0020x A\nB"
    assert doc.spans == []


def test_tight_bullet_list_with_nesting() -> None:
    doc = md("Intro\n\n- one\n- two *em*\n  - nested\n    - deeper\n- three\n\nAfter\n")
    assert doc.text == (
        "Intro\n\n• one\n• two em\n  • nested\n    • deeper\n• three\n\nAfter"
    )
    assert block_texts(doc) == [
        ("paragraph", "Intro"), ("list_item", "one"), ("list_item", "two em"),
        ("list_item", "nested"), ("list_item", "deeper"), ("list_item", "three"),
        ("paragraph", "After"),
    ]
    assert spans_of(doc, "bullet") == [BULLET] * 5
    assert spans_of(doc, "em") == ["em"]
    # the bullet is drawn before the block, not inside it
    bullets = [s for s in doc.spans if s.kind == "bullet"]
    items = [b for b in doc.blocks if b.kind == "list_item"]
    assert [b.start - s.end for s, b in zip(bullets, items)] == [1] * 5


def test_ordered_loose_list_with_paragraphs_and_code() -> None:
    doc = md("3. first\n\n   more of first\n\n   ```\n   code\n   ```\n4. second\n")
    assert doc.text == "3. first\n\n   more of first\n\n   code\n\n4. second"
    assert spans_of(doc, "bullet") == ["3.", "4."]
    assert block_texts(doc) == [
        ("list_item", "first"), ("list_item", "more of first"), ("code", "code"),
        ("list_item", "second"),
    ]


def test_hard_break_in_list_item_keeps_indentation() -> None:
    doc = md("- line one  \n  line two\n")
    assert doc.text == "• line one\n  line two"
    assert block_texts(doc) == [("list_item", "line one\n  line two")]


def test_block_quotes_with_bar_and_nesting() -> None:
    doc = md("> quoted *a*  \n> next line\n>\n> second para\n> > inner\n\nout\n")
    assert doc.text == (
        "│ quoted a\n│ next line\n│\n│ second para\n│\n│ │ inner\n\nout"
    )
    assert block_texts(doc) == [
        ("blockquote", "quoted a\n│ next line"),
        ("blockquote", "second para"),
        ("blockquote", "inner"),
        ("paragraph", "out"),
    ]
    assert spans_of(doc, "blockquote") == ["quoted a\n│ next line", "second para", "inner"]
    assert spans_of(doc, "em") == ["a"]


def test_list_inside_block_quote() -> None:
    doc = md("> - a\n> - b\n")
    assert doc.text == "│ • a\n│ • b"
    assert block_texts(doc) == [("list_item", "a"), ("list_item", "b")]
    assert spans_of(doc, "blockquote") == ["a", "b"]


def test_table_aligned_by_cell_width() -> None:
    doc = md(
        "| Name | Stance | N |\n|:--|:-:|--:|\n| Peskov | opposes | 1 |\n"
        "| 東京 **x** | [yes](u) | 10 |\n"
    )
    assert doc.text == (
        "Name   │ Stance  │  N\n"
        "───────┼─────────┼───\n"
        "Peskov │ opposes │  1\n"
        "東京 x │   yes   │ 10"  # 東京 is four cells wide
    )
    assert block_texts(doc) == [("table", doc.text)]
    assert spans_of(doc, "table") == [doc.text]
    assert spans_of(doc, "strong") == ["Name", "Stance", "N", "x"]
    assert [(doc.text[s.start:s.end], s.value) for s in doc.spans if s.kind == "link"] == [
        ("yes", "u")
    ]
    cells = [doc.text[a:b] for a, b in doc.sentences]
    assert cells == ["Name", "Stance", "N", "Peskov", "opposes", "1", "東京 x", "yes", "10"]


def test_code_blocks_verbatim() -> None:
    doc = md("```python\ndef f():\n    return \"x\"\n```\n\n    indented\n      more\n")
    assert doc.text == 'def f():\n    return "x"\n\nindented\n  more'
    assert [(s.kind, s.value, doc.text[s.start:s.end]) for s in doc.spans] == [
        ("code_block", "python", 'def f():\n    return "x"'),
        ("code_block", "", "indented\n  more"),
    ]
    assert block_texts(doc) == [("code", 'def f():\n    return "x"'), ("code", "indented\n  more")]
    # code is one sentence and never a quotation
    assert doc.quotations == []
    assert len(doc.sentences) == 2


def test_rule_and_html() -> None:
    doc = md("before\n\n---\n\n<div>Kept <b>text</b></div>\n\n<!-- gone -->\n\nafter <i>x</i>\n")
    assert doc.text == f"before\n\n{RULE}\n\nKept text\n\nafter x"
    assert block_texts(doc) == [
        ("paragraph", "before"), ("rule", RULE), ("paragraph", "Kept text"),
        ("paragraph", "after x"),
    ]
    assert spans_of(doc, "rule") == [RULE]


def test_footnotes() -> None:
    doc = md("Claim[^1].\n\n[^1]: The *source*.\n")
    assert doc.text == "Claim[1].\n\n[1] The source."
    assert block_texts(doc) == [("paragraph", "Claim[1]."), ("paragraph", "The source.")]


def test_empty_constructs_leave_nothing() -> None:
    doc = md("#\n\n[](http://x) text\n\n```\n```\n\n-\n")
    assert doc.text == "text"
    assert block_texts(doc) == [("paragraph", "text")]
    assert doc.spans == []


def test_markdown_empty() -> None:
    doc = parse_markdown("")
    assert (doc.text, doc.spans, doc.blocks, doc.sentences, doc.quotations) == ("", [], [], [], [])


# -- plain text -------------------------------------------------------------------

def test_plain_text_keeps_lines_and_paragraphs() -> None:
    src = "\n\nDepartment Briefing\n\nMR PRICE: Good afternoon.\nSecond line.\n\n\n" \
          "QUESTION: (Off-mike.)\n\nReminder\n\nWASHINGTON, D.C.\n\n  \n"
    doc = parse_text(normalize(src))
    assert doc.fmt == "text"
    assert doc.text == src.strip()
    assert block_texts(doc) == [
        ("heading", "Department Briefing"),
        ("paragraph", "MR PRICE: Good afternoon.\nSecond line."),
        ("paragraph", "QUESTION: (Off-mike.)"),
        ("heading", "Reminder"),
        ("paragraph", "WASHINGTON, D.C."),
    ]
    assert [(s.kind, s.value, doc.text[s.start:s.end]) for s in doc.spans] == [
        ("heading", "2", "Department Briefing"), ("heading", "2", "Reminder"),
    ]


@pytest.mark.parametrize(
    "line",
    ["MR PRICE: Well", "Yes.", "He said so —", "(Laughter)", "lowercase start",
     "QUESTION:", "x" * 61, "“Quoted”", "1999"],
)
def test_plain_text_lines_that_are_not_headings(line: str) -> None:
    doc = parse_text(f"Intro.\n\n{line}\n\nOutro.")
    assert [b.kind for b in doc.blocks] == ["paragraph"] * 3


def test_plain_text_block_offsets_skip_indentation() -> None:
    doc = parse_text("    indented para.\n  second line   \n\nnext.")
    assert block_texts(doc) == [("paragraph", "indented para.\n  second line"),
                                ("paragraph", "next.")]


# -- queries ---------------------------------------------------------------------

QUERY_MD = "# Head\n\nOne “two ‘three’ four” five. Six.\n\n- item *a*\n- item b\n"


def test_query_helpers() -> None:
    doc = md(QUERY_MD)
    text = doc.text
    assert text == "Head\n\nOne “two ‘three’ four” five. Six.\n\n• item a\n• item b"
    six = text.index("Six")
    five = text.index("five")
    three = text.index("three")
    item_a = text.index("item a")
    bullet_a = item_a - 2
    # sentence_at: inside, in the gap before the next one, at the end, between blocks
    assert doc.sentence_at(five) == (6, six - 1)
    assert doc.sentence_at(six - 1) == (six, six + 4)
    assert doc.sentence_at(six + 4) == (six, six + 4)  # just past the full stop
    assert doc.sentence_at(5) is None  # on the blank line
    assert doc.sentence_at(bullet_a) == (item_a, item_a + 6)  # bullet: its item
    # quotation_at: innermost
    assert doc.quotation_at(three) == (three - 1, three + 6)
    outer = (text.index("“"), text.index("”") + 1)
    assert doc.quotation_at(five - 3) == outer
    assert doc.quotation_at(text.index("“")) == outer
    assert doc.quotation_at(outer[1]) is None
    assert doc.quotation_at(0) is None
    # blocks
    assert doc.block_at(0) == Block(0, 4, "heading", 1)
    assert doc.block_at(4) == Block(0, 4, "heading", 1)  # end counts
    assert doc.block_at(5) is None
    assert doc.block_at(bullet_a) == Block(item_a, item_a + 6, "list_item", 3)
    assert doc.paragraph_number(five) == 2
    assert doc.paragraph_number(5) == 1
    assert doc.paragraph_number(len(text)) == 4
    # motions
    assert doc.next_sentence(0) == 6
    assert doc.next_sentence(six) == item_a
    assert doc.next_sentence(len(text)) is None
    assert doc.prev_sentence(six + 2) == six
    assert doc.prev_sentence(six) == 6
    assert doc.prev_sentence(0) is None
    assert doc.next_block(0) == 6
    assert doc.next_block(item_a) == text.index("item b")
    assert doc.next_block(len(text)) is None
    assert doc.prev_block(item_a) == 6
    assert doc.prev_block(0) is None


def test_queries_on_empty_document() -> None:
    doc = parse_text("")
    assert doc.sentence_at(0) is None
    assert doc.quotation_at(0) is None
    assert doc.block_at(0) is None
    assert doc.paragraph_number(0) == 0
    assert doc.next_sentence(0) is None
    assert doc.prev_block(0) is None
    assert doc.spans_in(0, 10) == []


def test_spans_in_returns_overlapping_spans() -> None:
    doc = md("> a *b* `c`\n\nd **e**")
    text = doc.text
    e = text.index("e")
    assert [s.kind for s in doc.spans_in(0, 3)] == ["blockquote"]
    assert [s.kind for s in doc.spans_in(text.index("b"), text.index("c") + 1)] == [
        "blockquote", "em", "code"
    ]
    assert doc.spans_in(e, e + 1) == [Span(e, e + 1, "strong")]
    assert doc.spans_in(e + 1, e + 5) == []


def test_queries_follow_replaced_lists() -> None:
    doc = Document("ab cd", sentences=[(0, 2)])
    assert doc.sentence_at(4) is None
    doc.sentences = [(0, 2), (3, 5)]
    assert doc.sentence_at(4) == (3, 5)


# -- storage -----------------------------------------------------------------------

def test_blob_round_trip() -> None:
    doc = md(QUERY_MD + "\n[link](https://a.example) [again](https://a.example) [b](u)\n")
    blob = doc.to_blob()
    back = Document.from_blob(doc.text, blob, "markdown")
    assert back == doc
    assert back.spans == doc.spans
    assert [s.value for s in back.spans if s.kind == "link"] == [
        "https://a.example", "https://a.example", "u"
    ]
    # a hand-built document packs too, kinds and values unknown to the parser included
    custom = Document("xyz", [Span(0, 1, "speaker", "Peskov\x00")], [Block(0, 3, "note", 7)],
                      [(0, 3)], [(1, 2)], "text")
    again = Document.from_blob("xyz", custom.to_blob(), "text")
    assert again == custom
    assert again.block_at(1) == Block(0, 3, "note", 7)


def test_blob_queries_work_without_decoding_lists() -> None:
    doc = md(QUERY_MD)
    back = Document.from_blob(doc.text, doc.to_blob(), "markdown")
    three = doc.text.index("three")
    assert back.quotation_at(three) == doc.quotation_at(three)
    assert back.block_at(three) == doc.block_at(three)
    assert "spans" not in back.__dict__ and "blocks" not in back.__dict__


@pytest.mark.parametrize(
    "mangle",
    [
        lambda b: b[:-1],
        lambda b: b + b"\x00",
        lambda b: b"XXXX" + b[4:],
        lambda b: b[:10],
    ],
)
def test_damaged_blob_is_refused(mangle) -> None:
    doc = md(QUERY_MD)
    with pytest.raises(ValueError):
        Document.from_blob(doc.text, mangle(doc.to_blob()), "markdown")


def test_blob_holds_the_layout_line_starts_and_span_ends() -> None:
    doc = md(QUERY_MD + "\n" + "word " * 2000 + "\n")  # a line longer than MAX_LINE
    back = Document.from_blob(doc.text, doc.to_blob(), "markdown")
    packed = back._index()
    # Read from the blob, not computed: the reader's first screen scans nothing.
    assert packed._lines is not None and packed._max_end is not None
    assert list(back.line_starts()) == line_starts(doc.text)
    assert len(back.line_starts()) > doc.text.count("\n") + 2  # the long line was cut
    assert back.spans_in(0, 40) == doc.spans_in(0, 40)


def _old_format_blob(doc: Document) -> bytes:
    """The blob as written before the line and span-end indexes were stored."""
    blob = doc.to_blob()
    fields = list(_HEADER.unpack_from(blob))
    n_lines, n_spans = fields[7], fields[2]
    fields[7] = fields[8] = 0
    return _HEADER.pack(*fields) + blob[_HEADER.size:len(blob) - 4 * (n_lines + n_spans)]


def test_blob_without_indexes_still_opens() -> None:
    doc = md(QUERY_MD)
    back = Document.from_blob(doc.text, _old_format_blob(doc), "markdown")
    assert back._index()._lines is None
    assert list(back.line_starts()) == line_starts(doc.text)
    assert back.spans_in(0, len(doc.text)) == doc.spans_in(0, len(doc.text))
    assert back == doc


def test_line_starts_cut_at_another_max_line_are_recomputed() -> None:
    doc = md(QUERY_MD)
    blob = bytearray(doc.to_blob())
    fields = list(_HEADER.unpack_from(blob))
    fields[8] = MAX_LINE + 1  # written by a version that cut long lines elsewhere
    blob[:_HEADER.size] = _HEADER.pack(*fields)
    back = Document.from_blob(doc.text, bytes(blob), "markdown")
    assert list(back.line_starts()) == line_starts(doc.text)
    assert back._index()._lines == (MAX_LINE, back.line_starts())


def test_blob_with_damaged_line_starts_is_refused() -> None:
    doc = md(QUERY_MD)
    blob = bytearray(doc.to_blob())
    n_lines, n_spans = _HEADER.unpack_from(blob)[7], _HEADER.unpack_from(blob)[2]
    first_line = len(blob) - 4 * (n_lines + n_spans)
    blob[first_line:first_line + 4] = (7).to_bytes(4, "little")
    with pytest.raises(ValueError, match="line starts"):
        Document.from_blob(doc.text, bytes(blob), "markdown")


def test_blob_for_another_text_is_refused() -> None:
    doc = md(QUERY_MD)
    with pytest.raises(ValueError, match="characters"):
        Document.from_blob(doc.text + "!", doc.to_blob(), "markdown")


def test_docstring_examples_hold() -> None:
    result = doctest.testmod(document_module)
    assert result.attempted >= 10
    assert result.failed == 0


def test_a_document_opened_by_its_head_calls_its_loader_once_and_checks_the_length() -> None:
    doc = md(QUERY_MD + "\n" + "Another paragraph here. " * 40 + "\n")
    calls: list[int] = []

    def load() -> str:
        calls.append(1)
        return doc.text

    lazy = Document.from_blob_head(doc.text[:30], doc.to_blob(), "markdown", load)
    assert lazy.length == len(doc.text) and lazy.text_between(5, 25) == doc.text[5:25]
    assert calls == []
    assert lazy == doc and calls == [1]  # comparing reads the text, once
    assert lazy.text_between(5, 500) == doc.text[5:500] and calls == [1]
    wrong = Document.from_blob_head(doc.text[:30], doc.to_blob(), "markdown", lambda: "short")
    with pytest.raises(ValueError, match="characters"):
        wrong.text  # noqa: B018
    with pytest.raises(ValueError):  # a head longer than the text the layout is for
        Document.from_blob_head(doc.text + "!", doc.to_blob(), "markdown", load)
