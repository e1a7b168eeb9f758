"""Markdown nested past markdown-it's limit (20 levels of ``>``, 10 of lists) is rendered
flattened: every word of the source stays in the reading text, offsets stay exact."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing_tui.core.document import Document, parse_markdown
from tests.core.test_document_props import check_invariants

WORD = re.compile(r"w\d+")


def words(text: str) -> list[str]:
    return WORD.findall(text)


def assert_every_word_kept(src: str) -> Document:
    doc = parse_markdown(src)
    check_invariants(doc)
    assert Document.from_blob(doc.text, doc.to_blob(), "markdown") == doc
    missing = set(words(src)) - set(words(doc.text))
    assert not missing, (missing, doc.text[-300:])
    return doc


def test_twenty_five_block_quote_levels_keep_their_text() -> None:
    doc = assert_every_word_kept(">" * 25 + " w1 deep words\n\nw2 after\n")
    assert doc.text.endswith("w1 deep words\n\nw2 after")


def test_twelve_list_levels_keep_the_deep_items_and_what_follows() -> None:
    src = "".join("  " * i + f"- w{i}\n" for i in range(12)) + "\nw99 after the list\n"
    doc = assert_every_word_kept(src)
    assert "w99 after the list" in doc.text


def test_a_list_nested_on_one_line_is_kept_as_plain_text() -> None:
    doc = assert_every_word_kept("- " * 30 + "w1\n\nw2\n")
    assert "w1" in doc.text and "w2" in doc.text


def test_thousands_of_levels_neither_recurse_away_nor_lose_text() -> None:
    assert_every_word_kept(">" * 5000 + " w1\n" + "- " * 3000 + "w2\n")


def test_the_limit_itself_is_unchanged_for_shallow_documents() -> None:
    src = "> " * 19 + "w1\n"
    assert parse_markdown(src).text == "│ " * 19 + "w1"


MARKERS = st.sampled_from([">", "> ", "- ", "* ", "1. ", "  ", "    ", "\t", "[^n]: "])


@st.composite
def deep_markdown(draw: st.DrawFn) -> str:
    lines = []
    for n in range(draw(st.integers(1, 12))):
        depth = draw(st.integers(0, 45))
        prefix = "".join(draw(st.lists(MARKERS, min_size=depth, max_size=depth)))
        text = " ".join(f"w{n}{k}" for k in range(draw(st.integers(1, 3))))
        lines.append(prefix + text + draw(st.sampled_from(["", "\n", "  ", " *x*"])))
    return "\n".join(lines)


@settings(max_examples=150, deadline=None)
@given(deep_markdown())
def test_any_deep_nesting_keeps_every_word(src: str) -> None:
    assert_every_word_kept(src)


def test_trailing_blanks_of_code_in_a_quote_stay_inside_the_quote() -> None:
    # Found by the property test above: the code span ran past its quote's end.
    assert_every_word_kept(">     w00  \nw10")


def test_a_footnote_defined_too_deep_keeps_its_text() -> None:
    for depth in (19, 20, 30):
        src = "w0[^1]\n\n" + "> " * depth + "[^1]: w1 note\n" + "> " * depth + "    w2 more\n\nw3"
        doc = assert_every_word_kept(src)
        # At 20 the quote holding the definition was dropped before it was read as one.
        assert doc.text.startswith("w0[1]" if depth < 20 else "w0[^1]")


def test_a_footnote_nothing_refers_to_is_listed_not_dropped() -> None:
    doc = assert_every_word_kept("[^a]: w1 lone note\n[^b]: w2 used\n\nw3 text[^b]\n")
    assert doc.text == "w3 text[1]\n\n[1] w2 used\n\n[2] w1 lone note"


def test_a_repeated_footnote_label_keeps_both_texts_the_first_referred_to() -> None:
    doc = assert_every_word_kept("x[^n]\n\n[^n]: w1 first\n[^n]: w2 second\n")
    assert doc.text == "x[1]\n\n[1] w1 first\n\n[2] w2 second"


def test_a_footnote_defined_inside_another_is_kept_as_its_text() -> None:
    # This used to fail the parse (IndexError) and so the whole import.
    doc = assert_every_word_kept("x[^n] y[^m]\n\n[^n]: - [^m]: w1 inner\n")
    assert doc.text == "x[1] y[2]\n\n[1] • w1 inner"


def test_code_deep_in_quotes_keeps_its_own_quote_marks() -> None:
    q = "> " * 22
    doc = assert_every_word_kept(f"{q}```\n{q}>>> w1 = 1\n{q}```\n\n{q}w2\n")
    assert ">>> w1 = 1" in doc.text
