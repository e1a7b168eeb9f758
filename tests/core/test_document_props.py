"""Exact offsets on every corpus document, and property tests: invariants of
parsed documents, blob round trips, and the query helpers against brute force."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefing_tui.core.document import (
    Document,
    normalize,
    parse_markdown,
    parse_source,
    parse_text,
)
from tests.corpus import CORPUS, corpus_files, corpus_params, needs_corpus

CORPUS_FILES = [p.name for p in corpus_files()]

OPENING = set('"“‘«„‚‹')
CLOSING = set('"”’»“‘›')
SPAN_KINDS = {"heading", "em", "strong", "strike", "code", "code_block", "link",
              "blockquote", "bullet", "table", "rule"}
BLOCK_KINDS = {"heading", "paragraph", "list_item", "blockquote", "code", "table", "rule"}
# What may sit between sentences inside a block: table rules and whitespace (any that
# str.strip removes, so also a control character such as "\x1f" that normalize keeps).
TABLE_RULES = set("│─┼")


@cache
def corpus_doc(name: str) -> tuple[dict[str, str], Document]:
    raw = (CORPUS / name).read_text(encoding="utf-8")
    return parse_source(raw, "text" if name.endswith(".txt") else "markdown")


def check_invariants(doc: Document) -> None:
    """What must hold for any parsed document."""
    text, n = doc.text, len(doc.text)
    assert "\r" not in text and "\t" not in text and "\u00a0" not in text
    assert (text + ".").splitlines() == (text + ".").split("\n")  # "\n" is the only one
    # spans
    keys = [(s.start, -s.end) for s in doc.spans]
    assert keys == sorted(keys)
    for s in doc.spans:
        assert 0 <= s.start < s.end <= n
        assert s.kind in SPAN_KINDS
        if s.kind == "heading":
            assert s.value in {"1", "2", "3", "4", "5", "6"}
    # blocks: ordered, disjoint, numbered, trimmed
    assert [b.number for b in doc.blocks] == list(range(1, len(doc.blocks) + 1))
    for prev, b in zip(doc.blocks, doc.blocks[1:]):
        assert prev.end < b.start
    for b in doc.blocks:
        assert b.kind in BLOCK_KINDS
        body = text[b.start:b.end]
        assert body.strip() and body == body.rstrip()
        if b.kind != "code":
            assert body == body.lstrip()
    # sentences: trimmed, disjoint, each inside one block, together covering
    # every character of the block that is not decoration
    assert doc.sentences == sorted(doc.sentences)
    for (_, e1), (s2, _) in zip(doc.sentences, doc.sentences[1:]):
        assert e1 < s2
    covered = bytearray(n)
    for s, e in doc.sentences:
        assert text[s:e] == text[s:e].strip() != ""
        block = doc.block_at(s)
        assert block is not None and block.start <= s and e <= block.end
        covered[s:e] = b"\x01" * (e - s)
        # Ellipses opening a sentence ("... Then", "... ... Then") are left out of it:
        # decoration too.
        i = s
        while True:
            while i > 0 and text[i - 1].isspace():
                i -= 1
            j = i
            while j > 0 and text[j - 1] in ".…":
                j -= 1
            if not (text[j:i] == "…" * (i - j) and i > j
                    or text[j:i] == "." * (i - j) and i - j >= 3):
                break
            covered[j:i] = b"\x01" * (i - j)
            i = j
    for b in doc.blocks:
        if b.kind != "rule":
            loose = {text[i] for i in range(b.start, b.end) if not covered[i]}
            assert all(c.isspace() or c in TABLE_RULES for c in loose), (b, loose)
    # quotations: marks included, inside one block, properly nested
    assert doc.quotations == sorted(doc.quotations)
    stack: list[tuple[int, int]] = []
    for s, e in doc.quotations:
        assert text[s] in OPENING and text[e - 1] in CLOSING and e - s >= 2
        block = doc.block_at(s)
        assert block is not None and e <= block.end
        while stack and stack[-1][1] <= s:
            stack.pop()
        assert not stack or e <= stack[-1][1], "quotations cross"
        stack.append((s, e))


# -- the corpus --------------------------------------------------------------------

@needs_corpus
def test_corpus_is_there() -> None:
    assert len(CORPUS_FILES) == 4


@pytest.mark.parametrize("name", corpus_params())
def test_corpus_invariants_and_blob(name: str) -> None:
    _, doc = corpus_doc(name)
    check_invariants(doc)
    back = Document.from_blob(doc.text, doc.to_blob(), doc.fmt)
    assert back == doc


@pytest.mark.parametrize("name", corpus_params(".txt"))
def test_corpus_plain_text_is_kept_verbatim(name: str) -> None:
    raw = (CORPUS / name).read_text(encoding="utf-8")
    _, doc = corpus_doc(name)
    assert doc.text == normalize(raw).strip()


@needs_corpus
def test_corpus_wire_item_sections_and_quotes() -> None:
    _, doc = corpus_doc("seed_isw_peskov_unn.txt")
    assert [doc.text[b.start:b.end] for b in doc.blocks if b.kind == "heading"] == [
        "Details", "Reminder"
    ]
    quotes = [doc.text[s:e] for s, e in doc.quotations]
    assert len(quotes) == 9 and all(q[0] == q[-1] == '"' for q in quotes)
    # the comma inside the closing quote does not end the sentence
    [instant] = [q for q in quotes if q.startswith('"instant')]
    sentence = doc.sentence_at(doc.text.index(instant))
    assert sentence is not None and doc.text[sentence[1] - 1] == "." and \
        "contrary" in doc.text[sentence[0]:sentence[1]]
    # an elision after a closing quote starts the next sentence, which leaves it out
    after = [doc.text[s:e] for s, e in doc.sentences if doc.text[s - 4:s] == "... "]
    assert len(after) == 1 and after[0].startswith("Lavrov previously identified")
    assert doc.text[:doc.text.index(after[0])].endswith('causes." ... ')


@needs_corpus
def test_corpus_transcript_turns_are_paragraphs() -> None:
    raw = normalize((CORPUS / "state_dpb_2022-05-31_price.txt").read_text(encoding="utf-8"))
    _, doc = corpus_doc("state_dpb_2022-05-31_price.txt")
    turns = [b for b in doc.blocks if doc.text.startswith(("MR PRICE:", "QUESTION:"), b.start)]
    assert len(turns) == sum(line.startswith(("MR PRICE:", "QUESTION:"))
                             for line in raw.split("\n"))
    assert {b.kind for b in turns} == {"paragraph"}
    headings = [doc.text[b.start:b.end] for b in doc.blocks if b.kind == "heading"]
    assert headings == raw.strip().split("\n\n")[:2]
    quotes = [doc.text[s:e] for s, e in doc.quotations]
    assert len(quotes) == raw.count("“") and all(q[0] == "“" and q[-1] == "”" for q in quotes)


@needs_corpus
def test_corpus_white_house_markdown() -> None:
    meta, doc = corpus_doc("wh_briefing_2025-02-20_leavitt_waltz.md")
    assert meta["title"] == (
        "Press Briefing by Press Secretary Karoline Leavitt, Deputy Chief of Staff Stephen "
        "Miller, National Economic Council Director Kevin Hassett, and National Security "
        "Advisor Mike Waltz"
    )
    assert meta["date"] == "2025-02-20"
    # no-break-space indentation of speaker labels is not an indented code block
    assert {b.kind for b in doc.blocks} == {"paragraph"}
    assert doc.spans == []
    leavitt = doc.text.index("MS. LEAVITT:")
    assert doc.block_at(leavitt).start == leavitt  # type: ignore[union-attr]
    # a sentence hard-wrapped over two source lines is one sentence
    s, e = doc.sentence_at(doc.text.index("heavy hitters"))  # type: ignore[misc]
    assert doc.text[s:e].startswith("I brought") and "\n" not in doc.text[s:e]
    quotes = [doc.text[s:e] for s, e in doc.quotations]
    assert len(quotes) == 11 and all(q[0] == "“" and q[-1] == "”" for q in quotes)


@needs_corpus
def test_corpus_ukrainian_address() -> None:
    raw = (CORPUS / "zelensky_address_2022-04-17_uk.md").read_text(encoding="utf-8")
    _, doc = corpus_doc("zelensky_address_2022-04-17_uk.md")
    assert doc.blocks[0].kind == "heading"
    assert doc.spans[0].kind == "heading" and doc.spans[0].value == "1"
    quotes = [doc.text[s:e] for s, e in doc.quotations]
    assert len(quotes) == raw.count("«") and all(q[0] == "«" and q[-1] == "»" for q in quotes)
    strong = [doc.text[s.start:s.end] for s in doc.spans if s.kind == "strong"]
    assert len(strong) == raw.count("**") // 2
    assert all(doc.text.count(t) >= 1 and "*" not in t for t in strong)
    # bold exclamations are split into sentences; apostrophes do not split words
    first = doc.blocks[1]
    inside = [(s, e) for s, e in doc.sentences if first.start <= s < first.end]
    assert len(inside) == 2
    apostrophes = [i for i, ch in enumerate(doc.text) if ch == "'"]
    assert len(apostrophes) == raw.count("'") > 0
    for i in apostrophes:
        s, e = doc.sentence_at(i)  # type: ignore[misc]
        assert s < i < e - 1  # inside a word, inside a sentence
        assert all(i not in (qs, qe - 1) for qs, qe in doc.quotations)


# -- properties ----------------------------------------------------------------------

def ref_sentence_at(doc: Document, o: int) -> tuple[int, int] | None:
    text = doc.text
    for s, e in doc.sentences:
        if s <= o < e:
            return s, e
    following = [(s, e) for s, e in doc.sentences if s > o]
    if following:
        s, e = following[0]
        same_block = any(b.start <= o <= b.end and b.start <= s < b.end for b in doc.blocks)
        if "\n" not in text[o:s] or same_block:
            return s, e
    ending = [(s, e) for s, e in doc.sentences if e == o]
    return ending[0] if ending else None


def ref_quotation_at(doc: Document, o: int) -> tuple[int, int] | None:
    holding = [(e - s, (s, e)) for s, e in doc.quotations if s <= o < e]
    return min(holding)[1] if holding else None


def ref_block_at(doc: Document, o: int):
    for b in doc.blocks:
        if b.start <= o <= b.end:
            return b
    for b in doc.blocks:
        if b.start > o:
            return b if "\n" not in doc.text[o:b.start] else None
    return None


def check_queries(doc: Document, offsets: list[int]) -> None:
    starts = [s for s, _ in doc.sentences]
    bstarts = [b.start for b in doc.blocks]
    for o in offsets:
        assert doc.sentence_at(o) == ref_sentence_at(doc, o)
        assert doc.quotation_at(o) == ref_quotation_at(doc, o)
        assert doc.block_at(o) == ref_block_at(doc, o)
        assert doc.next_sentence(o) == next((s for s in starts if s > o), None)
        assert doc.prev_sentence(o) == next((s for s in reversed(starts) if s < o), None)
        assert doc.next_block(o) == next((s for s in bstarts if s > o), None)
        assert doc.prev_block(o) == next((s for s in reversed(bstarts) if s < o), None)


@needs_corpus
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_corpus_random_spans_round_trip_through_the_blob(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(CORPUS_FILES))
    _, doc = corpus_doc(name)
    n = len(doc.text)
    back = Document.from_blob(doc.text, doc.to_blob(), doc.fmt)
    a = data.draw(st.integers(0, n))
    b = data.draw(st.integers(a, min(n, a + 400)))
    # the restored document answers from its arrays exactly as the original
    for probe in (back, doc):
        check_queries(probe, [a, b])
        assert probe.spans_in(a, b) == [s for s in doc.spans if s.start < b and s.end > a]
    # every span, sentence and quotation names the same text after the round trip
    if doc.spans:
        i = data.draw(st.integers(0, len(doc.spans) - 1))
        s = back.spans[i]
        assert (s, back.text[s.start:s.end]) == (doc.spans[i], doc.text[s.start:s.end])
    i = data.draw(st.integers(0, len(doc.sentences) - 1))
    s0, e0 = back.sentences[i]
    assert back.text[s0:e0] == doc.text[slice(*doc.sentences[i])]
    assert back == doc


MD_FRAGMENTS = [
    "# Head", "## Sub *x*", "- item", "  - nested", "1. first", "> quote", "> > deep",
    "| a | b |\n|---|:-:|\n| 1 | **2** |", "```py\ncode \"q\"\n```", "    indented",
    "---", "<div>html <b>x</b></div>", "text", "Mr. Smith said “yes,” he said.",
    "\"straight\" and ‘single’ and «гілля „вкладене“»", "Trump’s об'єднує", "U.S. Army.",
    "e.g. this. Next!", "**bold** _em_ `code` ~~s~~", "[link *t*](http://u)", "![img](p)",
    "<http://auto>", "a  \nhard", "&amp; &nbsp; &#x2028;", "東京 😀", "\u00a0 \u00a0indent",
    "\ttab", "| a&nbsp; |\n|---|\n| b&nbsp; |", "...", "…", "Jan. 5", "3.5", "[^1]", "[^1]: note", "*", "_", "`", "[", "]", "(",
    "\r\n", "\u2028", "\\", "<br>", "“", "”", "«", "»", "'", '"',
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(MD_FRAGMENTS),
                          st.sampled_from(["", " ", "\n", "\n\n", "\n  "])), max_size=25))
def test_generated_markdown_invariants(parts: list[tuple[str, str]]) -> None:
    raw = "".join(f + sep for f, sep in parts)
    _, doc = parse_source(raw)
    check_invariants(doc)
    assert Document.from_blob(doc.text, doc.to_blob(), "markdown") == doc
    check_queries(doc, sorted({0, len(doc.text), *(s.start for s in doc.spans)}))


PLAIN_PIECES = [*"ab .!?,\"“”«»‘’'\n\t\u00a0", "Mr", "U.S", "\r\n", "\n\n", "  \n"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PLAIN_PIECES), max_size=80).map("".join))
def test_generated_plain_text_invariants(raw: str) -> None:
    text = normalize(raw)
    doc = parse_text(text)
    check_invariants(doc)
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    assert doc.text == "\n".join(lines).rstrip()
    assert Document.from_blob(doc.text, doc.to_blob(), "text") == doc
    check_queries(doc, list(range(0, len(doc.text) + 1, 7)))


@given(st.text(max_size=300))
@example("0.\x1f0")  # a space that normalize keeps, between two sentences
@settings(max_examples=200, deadline=None)
def test_any_text_parses_both_ways(raw: str) -> None:
    text = normalize(raw)
    assert normalize(text) == text  # idempotent
    assert (text + ".").splitlines() == (text + ".").split("\n")
    for doc in (parse_markdown(text), parse_text(text)):
        check_invariants(doc)
