"""Sentence boundaries and quotation spans on tricky cases (our own sentences)."""

from __future__ import annotations

import itertools

import pytest

from briefing_tui.core.document import Document, parse_markdown, parse_text


def sentences(text: str, markdown: bool = False) -> list[str]:
    doc = parse_markdown(text) if markdown else parse_text(text)
    return [doc.text[a:b] for a, b in doc.sentences]


def quotations(text: str) -> list[str]:
    doc = parse_text(text)
    return [doc.text[a:b] for a, b in doc.quotations]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # titles and initials
        ("Mr. Novak met Mrs. Ilves and Ms. Tamm. Dr. Berg left.",
         ["Mr. Novak met Mrs. Ilves and Ms. Tamm.", "Dr. Berg left."]),
        ("Gen. Hale spoke to Sen. Ortiz and Rep. Lane. They agreed.",
         ["Gen. Hale spoke to Sen. Ortiz and Rep. Lane.", "They agreed."]),
        ("A note by J. R. Smith arrived. It was short.",
         ["A note by J. R. Smith arrived.", "It was short."]),
        # dotted acronyms
        ("The U.S. Army and U.K. Foreign Office met. Then they left.",
         ["The U.S. Army and U.K. Foreign Office met.", "Then they left."]),
        ("Talks with the U.S. The envoy left.",
         ["Talks with the U.S.", "The envoy left."]),
        ("We met at 2 p.m. So it was late.", ["We met at 2 p.m.", "So it was late."]),
        ("It starts at 1:05 P.M. EST sharp. Be there.",
         ["It starts at 1:05 P.M. EST sharp.", "Be there."]),
        # lower-case abbreviations
        ("Fuels, e.g. diesel, i.e. most of it, etc. and more. Next.",
         ["Fuels, e.g. diesel, i.e. most of it, etc. and more.", "Next."]),
        ("Bring tools, e.g. Hammers and saws. Done.",
         ["Bring tools, e.g. Hammers and saws.", "Done."]),
        ("They cut oil, gas, etc. The rest stays.",
         ["They cut oil, gas, etc.", "The rest stays."]),
        # dates and numbers
        ("On Feb. 20 and Jan. 3 they met. It rose 3.5 percent. See No. 4 below.",
         ["On Feb. 20 and Jan. 3 they met.", "It rose 3.5 percent.", "See No. 4 below."]),
        ("Prices fell in 2022. 25 firms closed.", ["Prices fell in 2022.", "25 firms closed."]),
        # ellipses
        ("He said ... that it works. And then ... Nothing.",
         ["He said ... that it works.", "And then ...", "Nothing."]),
        ("They want \"root causes.\" ... Lavrov said so.",
         ["They want \"root causes.\"", "Lavrov said so."]),
        ("Talks failed.\n\n… Then they resumed. Done.",
         ["Talks failed.", "Then they resumed.", "Done."]),
        ("He paused. ... and went on.", ["He paused.", "and went on."]),
        ("Wait… what? Yes… Fine.", ["Wait… what?", "Yes…", "Fine."]),
        # quotes around the boundary
        ("“We expect results,” he said. “Soon.” She nodded.",
         ["“We expect results,” he said.", "“Soon.”", "She nodded."]),
        ("They doubt \"instant results,\" contrary to hopes. Next.",
         ["They doubt \"instant results,\" contrary to hopes.", "Next."]),
        ("He asked “Why?” and left. «Чому?» — запитав він. Так.",
         ["He asked “Why?” and left.", "«Чому?» — запитав він.", "Так."]),
        ("Він сказав: «Ні.» Потім пішов.", ["Він сказав: «Ні.»", "Потім пішов."]),
        ("The note (see above.) Then more.", ["The note (see above.)", "Then more."]),
        ("Really?! Yes!!! No.", ["Really?!", "Yes!!!", "No."]),
        # Cyrillic
        ("Сьогодні свято. Українці! Дякую вам, хлопці, від усіх нас.",
         ["Сьогодні свято.", "Українці!", "Дякую вам, хлопці, від усіх нас."]),
        ("Це т. зв. угода. Далі.", ["Це т. зв. угода.", "Далі."]),
        # line breaks inside a block are not boundaries, blank lines are
        ("MR PRICE: First\nline goes on. Second.\n\nQUESTION: Next",
         ["MR PRICE: First\nline goes on.", "Second.", "QUESTION: Next"]),
        ("No final stop", ["No final stop"]),
        ("Trailing dash —", ["Trailing dash —"]),
    ],
)
def test_sentence_boundaries(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_headings_and_list_items_are_their_own_sentences() -> None:
    assert sentences("# Dr. No. A Film\n\n- first item\n- second. Two\n\nBody text. More.",
                     markdown=True) == [
        "Dr. No. A Film", "first item", "second.", "Two", "Body text.", "More.",
    ]


def test_sentences_inside_block_quotes_skip_the_bar() -> None:
    doc = parse_markdown("> One line.  \n> Two line. Three.")
    assert doc.text == "│ One line.\n│ Two line. Three."
    assert [doc.text[a:b] for a, b in doc.sentences] == ["One line.", "Two line.", "Three."]


def test_sentences_are_sorted_disjoint_and_stripped() -> None:
    doc = parse_text("  A b. C d!  \n\n  E?  F.\n")
    spans = doc.sentences
    assert spans == sorted(spans)
    assert all(b1 <= a2 for (_, b1), (a2, _) in itertools.pairwise(spans))
    for a, b in spans:
        assert doc.text[a:b] == doc.text[a:b].strip() != ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He said “yes” and “no”.", ["“yes”", "“no”"]),
        ("Nested “outer ‘inner’ end” here.", ["“outer ‘inner’ end”", "‘inner’"]),
        ("Він сказав «так» і «ні».", ["«так»", "«ні»"]),
        ("«Зовні „всередині“ знову»", ["«Зовні „всередині“ знову»", "„всередині“"]),
        ("Er sagte „ja“ und „nein”.", ["„ja“", "„nein”"]),
        ("Straight \"one\" and \"two\" pair up.", ["\"one\"", "\"two\""]),
        ("\"Peskov's view,\" the analysts say.", ["\"Peskov's view,\""]),
        ("A \"nested \"inner\" quote\" here.", ["\"nested \"inner\" quote\"", "\"inner\""]),
        ("It is Trump’s and об'єднує and об’єднує, no quotes.", []),
        ("Quote ‘single’ and Trump’s ‘second’.", ["‘single’", "‘second’"]),
        ("They called it ‘Trump’s plan’ then.", ["‘Trump’s plan’"]),
        ("“Kyiv’s view: ‘we won’t’,” he said.", ["“Kyiv’s view: ‘we won’t’,”", "‘we won’t’"]),
        ("Unclosed “quote at the end", []),
        ("Stray closing” mark and “real”.", ["“real”"]),
        ("A 5\" screen.", []),
        ("«Мир» — «війна»", ["«Мир»", "«війна»"]),
        ("Guillemets ‹single› too.", ["‹single›"]),
    ],
)
def test_quotations(text: str, expected: list[str]) -> None:
    assert quotations(text) == expected


def test_quotation_does_not_cross_blocks() -> None:
    doc = parse_text("“First paragraph opens\n\nand the second closes.”")
    assert doc.quotations == []


def test_quotation_spans_include_marks_and_nest_in_order() -> None:
    doc = parse_text("x “a ‘b’ c” y «d»")
    assert doc.quotations == [(2, 11), (5, 8), (14, 17)]
    assert doc.quotation_at(6) == (5, 8)
    assert doc.quotation_at(9) == (2, 11)
    assert doc.quotation_at(12) is None


def test_no_quotations_in_code_but_in_tables_and_headings() -> None:
    doc = parse_markdown("# A “head”\n\n```\nx = \"code\"\n```\n\n| a |\n|---|\n| «cell» |\n")
    assert [doc.text[a:b] for a, b in doc.quotations] == ["“head”", "«cell»"]


def test_lists_in_documents_are_independent() -> None:
    # a document built by hand answers queries from its own lists
    doc = Document("“a” b", quotations=[(0, 3)])
    assert doc.quotation_at(1) == (0, 3)
