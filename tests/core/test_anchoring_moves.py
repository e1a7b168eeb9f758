"""Re-anchoring when a paragraph moved intact, and when a quote was changed a little.

A paragraph moved down, up or far away keeps its highlights exactly (the diff finds the
moved passage: ``TextDiff.map_moved``); a quote edited in place is found fuzzily and the
text found there differs from the stored quote, which the store then marks *changed*.
"""

from __future__ import annotations

import random

import pytest

from briefing_tui.core.anchoring import quote_selector, reanchor_all
from briefing_tui.core.textdiff import TextDiff

WORDS = [
    "minister", "envoy", "ceasefire", "corridor", "grain", "talks", "delegation", "northern",
    "southern", "summit", "treasury", "budget", "reporter", "storm", "shipments", "schedule",
    "capital", "border", "troops", "aid", "sanctions", "council", "vote", "parliament",
    "spokesperson", "statement", "agreement", "monitors", "observers", "harbour", "ferry",
    "bridge", "village", "region", "province", "governor", "mayor", "court", "election",
    "campaign", "pressure", "refugees", "convoy", "fuel", "prices", "markets", "banks",
    "reserve", "inflation", "exports", "imports", "harvest", "drought", "flood", "rescue",
    "hospital", "school",
]
FILLER = [
    "the", "a", "of", "to", "and", "in", "on", "for", "with", "by", "said", "that", "was",
    "were", "would", "had", "has",
]


def paragraphs(count: int = 30, seed: int = 7) -> list[str]:
    """``count`` paragraphs of three or four sentences of seeded, varied prose."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        sentences = []
        for _ in range(rng.randint(3, 4)):
            words = [rng.choice(WORDS if rng.random() < 0.6 else FILLER)
                     for _ in range(rng.randint(8, 16))]
            sentences.append(" ".join(words).capitalize() + ".")
        out.append(" ".join(sentences))
    return out


PARAS = paragraphs()
TEXT = "\n\n".join(PARAS)
MOVED = 12  # the paragraph that moves


def move(to: int) -> str:
    """TEXT with paragraph ``MOVED`` taken out and put back at index ``to``."""
    paras = PARAS[:]
    paras.insert(to, paras.pop(MOVED))
    return "\n\n".join(paras)


def highlight(text: str, quote: str, hid: str) -> tuple[str, int, int, str, str, str]:
    start = text.index(quote)
    assert text.count(quote) == 1
    exact, prefix, suffix = quote_selector(text, start, start + len(quote))
    return hid, start, start + len(quote), exact, prefix, suffix


def quotes_in_moved_paragraph() -> dict[str, str]:
    """The whole paragraph, a sentence in its middle, and a few words inside that."""
    para = PARAS[MOVED]
    sentences = para.split(". ")
    middle = sentences[1] + "."
    words = " ".join(middle.split()[2:5])
    assert TEXT.count(words) == 1
    return {"paragraph": para, "sentence": middle, "words": words}


@pytest.mark.parametrize("to", [MOVED + 2, MOVED - 2, len(PARAS) - 1], ids=["down", "up", "far"])
def test_a_paragraph_moved_intact_keeps_its_highlights_exactly(to: int) -> None:
    new = move(to)
    quotes = quotes_in_moved_paragraph()
    if to == len(PARAS) - 1:  # "far": beyond the window looked at around the old place
        assert abs(new.index(quotes["paragraph"]) - TEXT.index(quotes["paragraph"])) > 4096
    rows = [highlight(TEXT, quote, name) for name, quote in quotes.items()]
    placed = reanchor_all(TEXT, new, rows)
    assert [name for name, span in placed.items() if span is None] == []  # 0 orphans
    for name, quote in quotes.items():
        start = new.index(quote)
        assert placed[name] == (start, start + len(quote)), name


@pytest.mark.parametrize("to", [MOVED + 2, MOVED - 2, len(PARAS) - 1], ids=["down", "up", "far"])
def test_highlights_around_the_moved_paragraph_stay_put(to: int) -> None:
    new = move(to)
    others = [PARAS[MOVED - 1], PARAS[MOVED + 1], PARAS[-1].split(". ")[1]]
    rows = [highlight(TEXT, quote, f"h{i}") for i, quote in enumerate(others)]
    placed = reanchor_all(TEXT, new, rows)
    for (hid, *_), quote in zip(rows, others, strict=True):
        start = new.index(quote)
        assert placed[hid] == (start, start + len(quote))


def test_diff_maps_a_moved_passage_only_when_it_lies_inside_it() -> None:
    new = move(len(PARAS) - 1)
    para = PARAS[MOVED]
    diff = TextDiff(TEXT, new)
    start = TEXT.index(para)
    assert diff.map_inside(start + 5, strong=True) is None  # not in the ordered alignment
    assert diff.map_moved(start, start + len(para)) == new.index(para)
    assert diff.map_moved(start + 10, start + 30) == new.index(para) + 10
    # A span reaching out of the moved passage into text that stayed is not moved.
    assert diff.map_moved(start - 200, start + 30) is None


def test_a_copied_paragraph_is_not_a_move() -> None:
    # The paragraph now occurs twice: no passage of it is unique, nothing says which copy.
    para = PARAS[MOVED]
    new = TEXT + "\n\n" + para
    diff = TextDiff(TEXT, new)
    start = TEXT.index(para)
    assert diff.map_moved(start, start + len(para)) is None
    placed = reanchor_all(TEXT, new, [highlight(TEXT, para, "p")])
    assert placed["p"] == (start, start + len(para))  # where it was, unchanged


# -- changed quotes: found fuzzily, on text that differs from the stored quote ----------

CHANGED = [
    ("The President has already signed 73 executive orders.",
     "The President has already signed 74 executive orders."),
    ("the sanctions campaign has undermined the talks",
     "the sanctions campaign has not undermined the talks"),
]


@pytest.mark.parametrize(("old", "new"), CHANGED, ids=["73-74", "not-undermined"])
def test_a_quote_edited_in_place_is_found_on_its_new_text(old: str, new: str) -> None:
    text = "\n\n".join(PARAS[:5] + [f"Officials said {old} Nobody objected."] + PARAS[5:])
    edited = text.replace(old, new)
    placed = reanchor_all(text, edited, [highlight(text, old, "h")])
    assert placed["h"] is not None
    assert edited[placed["h"][0]:placed["h"][1]] == new


# -- a short passage moved: too short to trust as a moved block, found once in each text --

SHORT = "The ministry will publish the full schedule of the summit later this week."


def with_short(at: int) -> str:
    paras = PARAS[:]
    paras.insert(at, SHORT)
    return "\n\n".join(paras)


def test_a_short_paragraph_moved_far_is_found_as_a_quote_found_once_in_each_text() -> None:
    old, new = with_short(3), with_short(len(PARAS))
    assert len(SHORT) < 128  # shorter than MOVED_BLOCK: the diff does not vouch for it
    rows = [highlight(old, SHORT, "whole"), highlight(old, "full schedule of", "part")]
    placed = reanchor_all(old, new, rows)
    assert placed["whole"] == (new.index(SHORT), new.index(SHORT) + len(SHORT))
    part = new.index("full schedule of")
    assert placed["part"] == (part, part + len("full schedule of"))


def test_a_short_quote_found_once_elsewhere_without_its_context_stays_an_orphan() -> None:
    old = with_short(3)
    # Its sentence is rewritten where it was, and the words turn up far away, in others.
    new = "\n\n".join(PARAS + ["Nobody has the full schedule of talks yet, she said."])
    placed = reanchor_all(old, new, [highlight(old, "full schedule of", "part")])
    assert placed["part"] is None
