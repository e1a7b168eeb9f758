"""Word starts and sentence starts of core.textscan (our own sentences)."""

from __future__ import annotations

from array import array

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing_tui.core.document import Document, parse_markdown, parse_text
from briefing_tui.core.textscan import (
    SEG_PROSE,
    find_all,
    find_all_chunked,
    find_sentences,
    next_word_start,
    prev_word_start,
)


def word_starts(text: str) -> list[int]:
    """Every word start, found by stepping with next_word_start."""
    starts = [0] if text[:1].isalnum() else []
    offset = 0
    while (found := next_word_start(text, offset)) is not None:
        starts.append(found)
        offset = found
    return starts


@pytest.mark.parametrize("text, words", [
    ("we don't know", ["we", "don't", "know"]),
    ("вони об'єднує всіх", ["вони", "об'єднує", "всіх"]),
    ("вони об’єднує всіх", ["вони", "об’єднує", "всіх"]),
    ("вони обʼєднує всіх", ["вони", "обʼєднує", "всіх"]),
    ("it isn’t 'quoted' here", ["it", "isn’t", "quoted", "here"]),
    ("the envoys' plan", ["the", "envoys", "plan"]),
])
def test_an_apostrophe_inside_a_word_is_part_of_it(text: str, words: list[str]) -> None:
    starts = word_starts(text)
    assert [text[s:].split()[0].strip("'’") for s in starts] == words


def test_prev_word_start_skips_back_over_an_apostrophe() -> None:
    text = "we don't know об'єднує"
    assert prev_word_start(text, text.index("t know")) == text.index("don't")
    assert prev_word_start(text, text.index("єднує")) == text.index("об'")
    assert prev_word_start(text, text.index("know")) == text.index("don't")
    assert prev_word_start(text, 0) is None


def test_prev_word_start_looks_back_past_its_first_window() -> None:
    text = "don't" + " " * 1000 + "x"
    assert prev_word_start(text, len(text) - 1) == 0


def sentences(text: str) -> list[str]:
    starts, ends = array("q"), array("q")
    find_sentences(text, [(0, len(text), SEG_PROSE)], starts, ends)
    return [text[s:e] for s, e in zip(starts, ends, strict=True)]


@pytest.mark.parametrize("text, expected", [
    ("Talks failed. ... Then they resumed.", ["Talks failed.", "Then they resumed."]),
    ("Talks failed. … Then they resumed.", ["Talks failed.", "Then they resumed."]),
    ("... Then they resumed. Done.", ["Then they resumed.", "Done."]),
    ("He said ... that it works.", ["He said ... that it works."]),
    ("...", ["..."]),
])
def test_a_sentence_after_an_ellipsis_does_not_start_with_it(
        text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_a_paragraph_opening_with_an_ellipsis() -> None:
    doc = parse_markdown("First part.\n\n… Then the rest. Done.\n")
    start = doc.text.index("Then")
    assert doc.sentence_at(start + 3) == (start, start + len("Then the rest."))


def test_next_sentence_end() -> None:
    doc = parse_text("One two.\n\nThree four.")
    three = doc.text.index("Three")
    assert doc.next_sentence_end(2) == len("One two.")
    assert doc.next_sentence_end(len("One two.") - 1) == three + len("Three four.")
    assert doc.next_sentence_end(len(doc.text) - 1) is None


def test_find_all_ignores_case_and_keeps_overlapping_matches() -> None:
    text = "Peskov met PESKOV. peskovpeskov; ааа"
    assert list(find_all(text, "peskov")) == [0, 11, 19, 25]
    assert list(find_all(text, "аа")) == [text.index("ааа"), text.index("ааа") + 1]
    assert list(find_all(text, "zebra")) == []
    assert list(find_all(text, "")) == []


def test_find_all_when_lower_casing_changes_lengths() -> None:
    text = "İstanbul talks. The TALKS ended."
    assert list(find_all(text, "talks")) == [text.index("talks"), text.index("TALKS")]
    assert list(find_all(text, "İstanbul")) == [0]


def test_sentence_at_leaves_out_an_ellipsis_stored_with_an_old_sentence() -> None:
    # Sentences found before the scanner left the ellipsis out are stored with it.
    text = "Talks failed. ... Then they resumed."
    doc = Document(text=text, sentences=[(0, 13), (14, len(text))])
    then = text.index("Then")
    assert doc.sentence_at(then + 2) == (then, len(text))
    assert doc.sentence_at(15) == (then, len(text))  # on the ellipsis itself


def test_several_leading_ellipses_are_all_left_out_and_sentence_at_agrees() -> None:
    """Found by the document property test: the scanner left out one ellipsis of two and
    ``sentence_at`` trimmed the second, so the two disagreed."""
    from briefing_tui.core.document import parse_markdown

    doc = parse_markdown("... ... # Head")
    assert doc.sentences == [(8, 14)]
    assert doc.sentence_at(0) == (8, 14)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="abAB .", max_size=60), st.text(alphabet="abA", min_size=1, max_size=3),
       st.integers(0, 60), st.booleans())
def test_find_near_jumps_where_n_and_N_would_over_every_match(text, query, cursor,
                                                              forward) -> None:
    """#17.3: the quick jump of a long text's search lands where the full list of
    matches would have taken ``n`` (forward) or ``N``."""
    from bisect import bisect_left, bisect_right

    from briefing_tui.core.textscan import find_all, find_near

    cursor = min(cursor, max(len(text) - 1, 0))
    matches = list(find_all(text, query))
    if not matches:
        expected = None
    elif forward:
        i = bisect_right(matches, cursor)
        expected = matches[i] if i < len(matches) else matches[0]
    else:
        i = bisect_left(matches, cursor) - 1
        expected = matches[i] if i >= 0 else matches[-1]
    assert find_near(text, query, cursor, forward=forward) == expected


def test_find_near_looks_back_through_growing_windows() -> None:
    from briefing_tui.core.textscan import find_near

    text = "Peskov said. " + "x" * 300_000 + " Peskov again " + "y" * 300_000
    second = text.index("Peskov again")
    assert find_near(text, "peskov", len(text) - 1, forward=False) == second
    assert find_near(text, "peskov", second, forward=False) == 0
    assert find_near(text, "peskov", 0, forward=False) == second  # wraps to the last
    assert find_near(text, "peskov", second) == 0  # wraps to the first


def test_an_ellipsis_opening_a_code_block_stays_in_its_sentence() -> None:
    """Found by the document property test: the scanner keeps code as it is, so the trim
    of older stored sentences must leave code alone too."""
    doc = parse_markdown('# Head```py\ncode "q"\n```\n... # Head')
    [*_, (start, end)] = doc.sentences
    assert doc.text[start:end] == "... # Head"
    assert doc.sentence_at(start) == (start, end)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="aAbİı ß", max_size=60), query=st.text(alphabet="aAbİ", min_size=1,
                                                                       max_size=4),
       chunk=st.integers(1, 9))
def test_find_all_chunked_finds_what_find_all_finds(text: str, query: str, chunk: int) -> None:
    """The worker's counting a chunk at a time (the UI paints meanwhile) finds the same
    matches, across chunk boundaries and overlapping ones too."""
    assert find_all_chunked(text, query, chunk) == find_all(text, query)
