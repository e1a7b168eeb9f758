"""Re-anchoring of highlights: each step of the strategy, and its refusals.

The benchmark with 200 highlights and 1,000 edits is in test_anchoring_benchmark.py.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from briefing_tui.core import anchoring
from briefing_tui.core.anchoring import CONTEXT, quote_selector, reanchor, reanchor_all

# Our own prose, long enough that every quote has a full 32-character context.
PARAS = [
    "The spokesperson opened the briefing at ten and thanked the press corps for waiting.",
    "She said the talks with the northern delegation were productive and would resume on Monday.",
    "Asked about the grain corridor, she said shipments had been delayed by the storm.",
    "A reporter asked whether the ceasefire would hold; she declined to speculate.",
    "The ministry will publish the full schedule of the summit later this week.",
    "She closed by noting that questions on the budget should go to the treasury.",
]
TEXT = "\n\n".join(PARAS)


def sel(text: str, quote: str, nth: int = 0) -> tuple[str, str, str, int, int]:
    """Selector of the ``nth`` occurrence of ``quote`` in ``text``: (exact, prefix, suffix, start, end)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    exact, prefix, suffix = quote_selector(text, start, start + len(quote))
    return exact, prefix, suffix, start, start + len(quote)


def place(new_text: str, selector: tuple[str, str, str, int, int]) -> tuple[int, int] | None:
    exact, prefix, suffix, start, end = selector
    return reanchor(new_text, exact, prefix, suffix, start, end)


def at(text: str, span: tuple[int, int] | None) -> str | None:
    return None if span is None else text[span[0]:span[1]]


# -- quote selector ---------------------------------------------------------------

def test_quote_selector_takes_context_characters_each_side() -> None:
    exact, prefix, suffix = quote_selector(TEXT, 100, 120)
    assert exact == TEXT[100:120]
    assert prefix == TEXT[100 - CONTEXT:100] and suffix == TEXT[120:120 + CONTEXT]
    assert quote_selector("abc", 0, 3) == ("abc", "", "")


# -- 1. by position -------------------------------------------------------------

def test_unchanged_text_keeps_every_span() -> None:
    for quote in ("talks with the northern delegation", "grain corridor", "ten", "treasury."):
        s = sel(TEXT, quote)
        assert place(TEXT, s) == (s[3], s[4])


def test_position_kept_when_one_side_of_context_was_edited() -> None:
    s = sel(TEXT, "were productive")
    new = TEXT.replace("northern delegation were", "southern delegation were")  # same length
    assert place(new, s) == (s[3], s[4])
    new = TEXT.replace("northern delegation were", "northern team were")  # 6 shorter
    assert place(new, s) == (s[3] - 6, s[4] - 6)


# -- 2. by exact quote ----------------------------------------------------------

def test_quote_found_after_text_inserted_before_it() -> None:
    s = sel(TEXT, "shipments had been delayed by the storm")
    new = "Good morning, everyone.\n\n" + TEXT
    assert place(new, s) == (s[3] + 25, s[4] + 25)


def test_quote_found_after_its_paragraph_moved() -> None:
    s = sel(TEXT, "declined to speculate")
    paras = PARAS[:]
    paras.insert(0, paras.pop(3))
    new = "\n\n".join(paras)
    span = place(new, s)
    assert at(new, span) == "declined to speculate"
    assert span is not None and span[0] < 100


def test_repeats_are_told_apart_by_their_context() -> None:
    text = ("In the morning the minister said the talks went well. "
            "By the evening a senior aide said the talks went badly.")
    first, second = sel(text, "the talks went", 0), sel(text, "the talks went", 1)
    new = "Update. " + text  # both moved by 8: position alone no longer says which
    assert place(new, first) == (first[3] + 8, first[4] + 8)
    assert place(new, second) == (second[3] + 8, second[4] + 8)


def test_repeat_at_the_old_offset_loses_to_the_one_with_the_right_context() -> None:
    text = "x" * 40 + " said: The vote passed. Then everyone left the hall quietly."
    s = sel(text, "The vote passed.")
    # Another "The vote passed." now sits at the old offset, in other words;
    # the highlighted one, with its own surroundings, moved down.
    new = "y" * s[3] + "The vote passed. Nothing else.\n\n" + text
    assert new[s[3]:s[4]] == "The vote passed."
    assert place(new, s) == (new.index(" said: ") + 7, new.index(" said: ") + 7 + 16)


def test_ties_between_identical_repeats_go_to_the_nearest() -> None:
    block = "Repeat this exact line please. "
    text = block * 6
    s = sel(text, "exact line", 3)
    new = "Hi. " + text
    assert place(new, s) == (s[3] + 4, s[4] + 4)


# -- 3. fuzzy -----------------------------------------------------------------------

def test_one_word_changed_in_a_long_quote_is_found_fuzzily() -> None:
    s = sel(TEXT, "talks with the northern delegation were productive")
    new = TEXT.replace("northern delegation", "southern delegation")
    span = place(new, s)
    assert at(new, span) == "talks with the southern delegation were productive"


def test_a_word_deleted_in_a_quote_is_found_on_word_boundaries() -> None:
    s = sel(TEXT, "publish the full schedule of the summit later")
    new = TEXT.replace("the full schedule", "the schedule")
    span = place(new, s)
    assert at(new, span) == "publish the schedule of the summit later"


def test_fuzzy_match_found_far_from_the_old_offset_when_context_agrees() -> None:
    s = sel(TEXT, "questions on the budget should go to the treasury")
    new = ("A long preamble that was not there before. " * 80) + TEXT.replace(
        "questions on the budget", "questions about the budget")
    span = place(new, s)
    assert at(new, span) == "questions about the budget should go to the treasury"


def test_edited_quote_is_found_where_its_context_is_even_if_the_original_words_appear_elsewhere() -> None:
    text = TEXT + "\n\nAppendix: the talks were productive, one attendee wrote."
    s = sel(text, "the talks with the northern delegation were productive")
    new = text.replace("talks with the northern delegation were productive",
                       "talks with the northern delegation were fruitful")
    span = place(new, s)
    assert at(new, span) == "the talks with the northern delegation were fruitful"


def test_short_quotes_are_never_fuzzy_matched() -> None:
    s = sel(TEXT, "storm")  # 5 characters
    new = TEXT.replace("storm", "storms")  # still contains "storm": found exactly
    assert at(new, place(new, s)) == "storm"
    new = TEXT.replace("storm", "stork")
    assert place(new, s) is None
    s = sel(TEXT, "Monday.")  # 7 characters
    assert place(TEXT.replace("Monday.", "Mondey."), s) is None


def test_error_budget_grows_with_the_quote() -> None:
    quote = "the talks with the northern delegation were productive"  # 54 chars
    s = sel(TEXT, quote)
    # 2 edits out of 54: found; about half the words changed: orphaned
    assert place(TEXT.replace("northern", "nortern").replace("talks", "talk"), s) is not None
    assert place(TEXT.replace(quote, "the meeting with the southern envoys was a failure"), s) is None


# -- 4. orphans -----------------------------------------------------------------------

def test_deleted_quote_is_orphaned() -> None:
    s = sel(TEXT, "A reporter asked whether the ceasefire would hold")
    new = TEXT.replace(PARAS[3], "")
    assert place(new, s) is None


def test_rewritten_quote_is_orphaned_not_moved_to_a_look_alike() -> None:
    text = TEXT + "\n\nLater, the treasury said the budget questions were premature."
    s = sel(text, "Asked about the grain corridor, she said shipments had been delayed")
    new = text.replace("Asked about the grain corridor, she said shipments had been delayed",
                       "On shipping, the ministry gave no figures at all for this week")
    assert place(new, s) is None


def test_ambiguous_short_repeat_with_its_context_gone_is_orphaned() -> None:
    text = "They served salt and pepper, then bread and butter, then fish and chips."
    s = sel(text, "and", 1)
    new = "Menu. " + text.replace("bread and butter", "bread or butter")
    # "and" still occurs twice, in other words: neither is the highlighted one
    assert place(new, s) is None


def test_nothing_is_placed_in_an_unrelated_text() -> None:
    other = ("Weather report for the coast: rain in the morning, clearing by noon. "
             "Winds from the west at twenty knots, easing later in the day.\n\n"
             "The harbour master said the ferry will run on the usual timetable. ") * 20
    quotes = ["the", "talks", "said", "the grain corridor", "declined to speculate",
              "She said the talks with the northern delegation were productive"]
    highlights = rows(TEXT, quotes)
    assert reanchor_all(TEXT, other, highlights) == {h[0]: None for h in highlights}
    for h in highlights:
        assert reanchor(other, h[3], h[4], h[5], h[1], h[2]) is None, h


def test_empty_quote_and_quote_longer_than_the_text_are_orphans() -> None:
    assert reanchor("short", "", "", "", 0, 0) is None
    assert reanchor("short", "much longer than the text", "", "", 0, 25) is None


def test_never_placed_on_unrelated_text() -> None:
    # The quote's sentence is gone; others remain. Whatever reanchor returns
    # must be most of the quote, or None.
    for quote in ("She said the talks with the northern delegation were productive",
                  "The ministry will publish the full schedule", "declined to speculate"):
        s = sel(TEXT, quote)
        new = TEXT.replace(quote, "")
        span = place(new, s)
        assert span is None or fuzz.ratio(at(new, span), quote) >= anchoring.MIN_RATIO


# -- reanchor_all ---------------------------------------------------------------------

def rows(text: str, quotes: list[str]) -> list[tuple[str, int, int, str, str, str]]:
    out = []
    for i, quote in enumerate(quotes):
        exact, prefix, suffix, start, end = sel(text, quote)
        out.append((f"h{i}", start, end, exact, prefix, suffix))
    return out


def test_reanchor_all_without_edits_keeps_every_span() -> None:
    highlights = rows(TEXT, ["ten", "grain corridor", "declined to speculate", "treasury."])
    assert reanchor_all(TEXT, TEXT, highlights) == {h[0]: (h[1], h[2]) for h in highlights}


def test_reanchor_all_follows_edits_before_between_and_after() -> None:
    highlights = rows(TEXT, ["productive", "grain corridor", "summit"])
    new = ("Opening remarks.\n\n" + TEXT).replace("by the storm", "by the late storm") + "\n\nEnd."
    placed = reanchor_all(TEXT, new, highlights)
    assert [at(new, placed[h[0]]) for h in highlights] == ["productive", "grain corridor", "summit"]
    assert placed["h0"] == (highlights[0][1] + 18, highlights[0][2] + 18)
    assert placed["h2"] == (highlights[2][1] + 18 + 5, highlights[2][2] + 18 + 5)


def test_reanchor_all_uses_the_diff_to_tell_identical_repeats_apart() -> None:
    # Two identical paragraphs; the context right around the second one is
    # edited on both sides, so its stored 32 characters fit the first copy
    # better. The diff of the whole text still knows which one it is.
    para = "No further details were given at the time."
    text = f"Intro line one.\n\n{para}\n\nMiddle part here.\n\n{para}\n\nClosing line."
    h = rows(text, [para])
    second = text.index(para, text.index(para) + 1)
    exact, prefix, suffix = quote_selector(text, second, second + len(para))
    h = [("h", second, second + len(para), exact, prefix, suffix)]
    new = text.replace("Middle part here.\n\n", "Middle part here, revised.\n\n").replace(
        "\n\nClosing line.", "\n\nA different closing line.")
    placed = reanchor_all(text, new, h)
    assert placed["h"] is not None and at(new, placed["h"]) == para
    assert placed["h"][0] == new.index(para, new.index(para) + 1)


def test_reanchor_all_finds_an_edited_quote_between_unchanged_text() -> None:
    highlights = rows(TEXT, ["shipments had been delayed by the storm"])
    new = TEXT.replace("had been delayed by", "were delayed by")
    placed = reanchor_all(TEXT, new, highlights)
    assert at(new, placed["h0"]) == "shipments were delayed by the storm"


def test_reanchor_all_orphans_a_deleted_quote() -> None:
    highlights = rows(TEXT, ["A reporter asked whether the ceasefire would hold"])
    assert reanchor_all(TEXT, TEXT.replace(PARAS[3], "Nothing was asked."), highlights) == {"h0": None}


def test_reanchor_all_handles_stale_offsets_of_an_orphan() -> None:
    exact, prefix, suffix, _, _ = sel(TEXT, "grain corridor")
    placed = reanchor_all(TEXT, TEXT, [("o", 9999, 9999 + len(exact), exact, prefix, suffix)])
    assert at(TEXT, placed["o"]) == "grain corridor"


# -- properties -----------------------------------------------------------------------

words = st.sampled_from(["the", "talks", "were", "productive", "minister", "said", "and", "a",
                         "ceasefire", "held", ".", ",", "\n\n", "Geneva", "on", "Monday"])


@st.composite
def text_and_span(draw: st.DrawFn) -> tuple[str, int, int]:
    text = " ".join(draw(st.lists(words, min_size=1, max_size=120)))
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, start, end


@settings(max_examples=300, deadline=None)
@given(text_and_span())
def test_property_no_edit_returns_the_same_span(case: tuple[str, int, int]) -> None:
    text, start, end = case
    exact, prefix, suffix = quote_selector(text, start, end)
    assert reanchor(text, exact, prefix, suffix, start, end) == (start, end)
    assert reanchor_all(text, text, [("h", start, end, exact, prefix, suffix)]) == {"h": (start, end)}


@settings(max_examples=300, deadline=None)
@given(text_and_span(), st.text(min_size=1, max_size=40), st.booleans())
def test_property_insertion_outside_keeps_the_quote(case: tuple[str, int, int], inserted: str,
                                                    before: bool) -> None:
    text, start, end = case
    exact, prefix, suffix = quote_selector(text, start, end)
    new = text[:start] + inserted + text[start:] if before else text[:end] + inserted + text[end:]
    placed = reanchor_all(text, new, [("h", start, end, exact, prefix, suffix)])["h"]
    # Placed on exactly the quote, or (only if it is short and repeated) orphaned.
    assert placed is None or new[placed[0]:placed[1]] == exact
    if len(exact) >= anchoring.MIN_FUZZY_LEN or new.count(exact) == 1:
        assert placed is not None
    alone = reanchor(new, exact, prefix, suffix, start, end)
    assert alone is None or fuzz.ratio(new[alone[0]:alone[1]], exact) >= anchoring.MIN_RATIO
