"""Titles of briefings without front matter (whole, cut only where shown) and the byline,
dateline and date under a plain-text transcript's title."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing_tui.core.document import parse_markdown, parse_text
from briefing_tui.core.safetext import UNSAFE, safe_display
from briefing_tui.core.titles import TITLE_MAX, derive_title, shorten, text_metadata

LEDE = ("Moscow's aims in the conflict are at odds with the stated goal of the allies of "
        "achieving a durable settlement along the whole of the eastern border.")
WIRE = f"{LEDE} This is said in a report of an institute, a news agency writes.\n\nDetails\n\nBody.\n"
TRANSCRIPT = """\
Ministry Press Briefing – June 3, 2021

Jane Roe, Ministry Spokesperson

BRUSSELS, BELGIUM

MS ROE: Good afternoon. Two items at the top.

QUESTION: Thank you.
"""


def title_of(text: str, name: str = "x.txt") -> str:
    return derive_title(parse_text(safe_display(text)), Path(name))


def test_a_lede_gives_its_first_sentence_whole() -> None:
    assert len(LEDE) > 140  # longer than any cut the display makes
    assert title_of(WIRE) == LEDE


def test_a_title_line_is_kept_whole_however_long() -> None:
    line = " ".join(["word"] * 60)  # 299 characters, no sentence end
    assert title_of(f"{line}\n\nBody.\n") == line
    heading = "A Markdown heading " + " ".join(["longer"] * 30)
    assert derive_title(parse_markdown(f"# {heading}\n\nText.\n"), Path("x.md")) == heading


def test_only_a_first_line_that_never_ends_is_cut() -> None:
    line = " ".join(["word"] * 400)  # 1999 characters
    title = title_of(f"{line}\n")
    assert len(title) <= TITLE_MAX and title.endswith("word…")


def test_a_sentence_running_past_the_first_line_leaves_the_line() -> None:
    # "Headline" then the body without a blank line: the line, not line + body.
    assert title_of("Talks resume in Riyadh\nMR ROE: Good afternoon.\n") == "Talks resume in Riyadh"
    assert title_of("\n\n  Wire headline here  \n\nBody.\n") == "Wire headline here"
    assert title_of("   \n") == "x"  # no text: the file name


def test_shorten_cuts_at_a_word_for_display() -> None:
    assert shorten(LEDE, 60) == "Moscow's aims in the conflict are at odds with the stated…"
    assert len(shorten(LEDE, 60)) <= 60
    assert shorten("short", 60) == "short"
    assert shorten("x" * 100, 10) == "x" * 9 + "…"


def test_byline_and_dateline_under_a_transcript_title() -> None:
    doc = parse_text(TRANSCRIPT)
    assert derive_title(doc, Path("t.txt")) == "Ministry Press Briefing – June 3, 2021"
    assert text_metadata(doc) == {
        "source": "Jane Roe, Ministry Spokesperson; BRUSSELS, BELGIUM", "published": "2021-06-03"}


@pytest.mark.parametrize(("text", "source"), [
    ("Briefing\n\nJohn Doe, Spokesperson\n\nWASHINGTON, D.C.\n\nMR DOE: Hi.\n",
     "John Doe, Spokesperson; WASHINGTON, D.C."),
    ("Briefing\nBy Jane Roe\nKYIV\nText of the day. More text.\n", "By Jane Roe; KYIV"),
    ("Briefing\n\nAnna Nowak, Minister of Foreign Affairs\n\nText.\n",
     "Anna Nowak, Minister of Foreign Affairs"),
    ("Wire headline here\n\nDetails\n\nBody text.\n", ""),  # a section word, not a byline
    ("Briefing\n\nMR DOE: Good afternoon, everyone.\n", ""),  # a speaker's turn
    ("Briefing\n\nThe minister spoke, briefly.\n", ""),  # a sentence
    ("Briefing\n\n(An illustrative transcript, invented.)\n", ""),
    ("Briefing\n\nJane Roe, Spokesperson?\n", ""),
])
def test_what_reads_as_a_byline(text: str, source: str) -> None:
    assert text_metadata(parse_text(text))["source"] == source


def test_only_the_lines_just_under_the_title_are_read() -> None:
    assert text_metadata(parse_text("Briefing\n\nJane Roe, Spokesperson"))["source"] == (
        "Jane Roe, Spokesperson")  # the text's last line
    far = "Briefing\n" + "\n" * 10_000 + "Jane Roe, Spokesperson\n\nText.\n"
    assert text_metadata(parse_text(far))["source"] == ""
    endless = "Briefing\n\nJane Roe, Spokesperson " + "x" * 10_000
    assert text_metadata(parse_text(endless))["source"] == ""


def test_no_metadata_under_a_lede_sentence() -> None:
    # The title is the first sentence of a paragraph: what follows is its text.
    assert text_metadata(parse_text("Talks resume. Jane Roe, Spokesperson\n")) == {
        "source": "", "published": ""}


@pytest.mark.parametrize(("title", "published"), [
    ("Press Briefing – May 31, 2022", "2022-05-31"),
    ("Press briefing, 31 May 2022", "2022-05-31"),
    ("Briefing of Sept. 5, 2023", "2023-09-05"),
    ("Daily note 2024-02-29", "2024-02-29"),
    ("Briefing – February 30, 2022", ""),  # no such day
    ("Briefing in May", ""),
])
def test_date_in_the_title(title: str, published: str) -> None:
    assert text_metadata(parse_text(f"{title}\n\nText.\n"))["published"] == published


def test_a_date_in_the_dateline() -> None:
    doc = parse_text("Briefing\n\nJane Roe, Spokesperson\n\nGENEVA, 4 March 2020\n\nText.\n")
    assert text_metadata(doc) == {"source": "Jane Roe, Spokesperson; GENEVA, 4 March 2020",
                                  "published": "2020-03-04"}


def test_hostile_byline_keeps_no_control() -> None:
    text = "Briefing\n\nJane Roe\x1b[2J\x07, Spokesperson\u202e\x9b\n\nText.\n"
    # What the importer hands over (the reading text made safe), and raw text too.
    for doc in (parse_text(safe_display(text)), parse_text(text)):
        source = text_metadata(doc)["source"]
        assert source.startswith("Jane Roe") and "Spokesperson" in source
        assert not UNSAFE.search(source), repr(source)
