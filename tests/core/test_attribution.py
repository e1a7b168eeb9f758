"""The attribution engine: cues, turns, anaphora, the registry, and one sentence at a time."""

from __future__ import annotations

import pytest

from briefing_tui.core.attribution import Attributor, best_at, propose, propose_at
from briefing_tui.core.document import parse_text
from briefing_tui.core.models import Speaker


def said(text: str, speakers: list[Speaker] | None = None) -> list[tuple[str, str, str]]:
    doc = parse_text(text)
    return [(doc.text[p.start:p.end], p.speaker, p.kind) for p in propose(doc, speakers or [])]


def test_direct_quote_with_the_cue_after_it() -> None:
    text = '"It is too early to talk about results," Kremlin spokesman Dmitry Peskov said.'
    [(quote, speaker, kind)] = said(text)
    assert speaker == "Dmitry Peskov" and kind == "direct"
    assert quote.startswith('"It is too early') and quote.endswith("Peskov said")


def test_direct_quote_with_the_cue_before_it() -> None:
    [(quote, speaker, kind)] = said('Sergey Lavrov said: "We heard each other."')
    assert (speaker, kind) == ("Sergey Lavrov", "direct")
    assert quote == 'Sergey Lavrov said: "We heard each other."'


def test_one_statement_split_around_its_attribution() -> None:
    text = 'Olena Kovalchuk spoke first. "We are ready," she said, "but not at any price."'
    rows = said(text)
    assert rows[-1] == ('"We are ready," she said, "but not at any price."', "Olena Kovalchuk",
                        "anaphora")


def test_reported_speech_according_to_and_passive() -> None:
    rows = said("The Russian Defence Ministry said its forces advanced. "
                "According to the ministry, 400 soldiers were lost. "
                "It was stated by Defence Minister Rustem Umerov that drones would escort them.")
    assert [r[1] for r in rows] == ["Russian Defence Ministry", "Russian Defence Ministry",
                                    "Rustem Umerov"]
    assert [r[2] for r in rows] == ["indirect"] * 3


def test_a_new_speaker_gets_the_fullest_name_and_role_the_briefing_gives() -> None:
    doc = parse_text("Analysts cite Kremlin spokesman Dmitry Peskov.\n\nMarkets fell.\n\n"
                     "Later, Peskov said that talks would go on.")
    [p] = propose(doc, [])
    assert (p.speaker, p.role, p.speaker_id, p.cue) == (
        "Dmitry Peskov", "Kremlin spokesman", None, "Peskov said")


def test_names_resolve_to_the_registry_through_aliases_and_spellings() -> None:
    registry = [Speaker("s1", "Steve Witkoff", "US special envoy"),
                Speaker("s2", "Volodymyr Zelenskyy", aliases=("Zelensky",))]
    doc = parse_text('"The gesture mattered," Vitkoff said. Zelensky said Kyiv would wait.')
    got = [(p.speaker_id, p.speaker, p.role) for p in propose(doc, registry)]
    assert got == [("s1", "Steve Witkoff", "US special envoy"),
                   ("s2", "Volodymyr Zelenskyy", "")]


def test_anaphora_by_pronoun_gender_and_role() -> None:
    rows = said("Kaja Kallas met Sergey Lavrov. EU foreign policy chief Kaja Kallas warned of "
                "a dirty deal. She said Europe would not accept it.\n\n"
                "Russian Foreign Minister Sergey Lavrov spoke later. The minister said "
                "Moscow was ready.")
    assert ("She said Europe would not accept it.", "Kaja Kallas", "anaphora") in rows
    assert ("The minister said Moscow was ready.", "Sergey Lavrov", "anaphora") in rows


def test_a_quote_with_no_speaker_is_not_proposed() -> None:
    assert said('"The sea is not safe," read a banner. Nobody claimed the banner. '
                'A source said the talks were tense.') == []


def test_turns_hold_until_the_next_marker_and_questions_are_nobody_s() -> None:
    text = ("Briefing\n\nNed Price, Department Spokesperson\n\nMR PRICE: Good afternoon.\n\n"
            "A second paragraph of his.\n\nQUESTION: Is it true?\n\nA follow-up paragraph.\n\n"
            "Q Another question.\n\nMR PRICE: It is.")
    rows = said(text)
    assert rows == [("Good afternoon.", "Ned Price", "turn"),
                    ("A second paragraph of his.", "Ned Price", "turn"),
                    ("It is.", "Ned Price", "turn")]


def test_name_labels_and_all_caps_title_labels_are_turns() -> None:
    rows = said("Tom Hadley: How ready is the city?\n\nOlena Markiv: More than last year.\n\n"
                "FOREIGN MINISTER LINDQVIST: Thank you.")
    assert [r[1] for r in rows] == ["Tom Hadley", "Olena Markiv", "Lindqvist"]


def test_ukrainian_cues() -> None:
    rows = said("Президент України Володимир Зеленський виступив увечері. "
                "«Санкції мають бути сильнішими», – сказав Зеленський. "
                "Він також заявив, що Україна чекає.")
    assert [(r[1], r[2]) for r in rows] == [("Володимир Зеленський", "direct"),
                                             ("Володимир Зеленський", "anaphora")]


def test_propose_at_answers_for_one_sentence_as_the_whole_scan_does() -> None:
    paragraphs = ["Filler text about the weather in the region. " * 3] * 30
    paragraphs.insert(5, "Kremlin spokesman Dmitry Peskov spoke to reporters.")
    paragraphs.insert(8, "Peskov said that the talks were going well. The sky was grey.")
    doc = parse_text("\n\n".join(paragraphs))
    offset = doc.text.index("the talks were")
    whole = [p for p in propose(doc, []) if p.start <= offset < p.end]
    assert propose_at(doc, [], offset) == whole
    assert whole and whole[0].speaker == "Dmitry Peskov"
    assert propose_at(doc, [], doc.text.index("The sky")) == []


def test_propose_at_finds_the_turn_whose_marker_is_far_back() -> None:
    body = "\n\n".join(f"Paragraph {i} of the answer, a long one." for i in range(40))
    doc = parse_text(f"Daniel Hale, Spokesperson\n\nMR. HALE: Hello.\n\n{body}")
    [p] = Attributor(doc, []).propose_at(doc.text.index("Paragraph 39"))
    assert (p.speaker, p.kind, p.cue) == ("Daniel Hale", "turn", "MR. HALE:")


def test_best_at_prefers_the_largest_overlap() -> None:
    doc = parse_text('Lavrov said: "Yes." Rubio said: "No."')
    proposals = propose(doc, [])
    assert best_at(proposals, doc.text.index("No"), doc.text.index("No") + 2).speaker == "Rubio"
    assert best_at(proposals, len(doc.text) + 5, len(doc.text) + 6) is None


@pytest.mark.parametrize("text", ["", "\n\n", "No one said anything here."])
def test_nothing_to_propose(text: str) -> None:
    assert propose(parse_text(text), []) == []


def test_a_block_quotation_after_said_colon_is_one_statement_of_that_speaker() -> None:
    from briefing_tui.core.document import parse_markdown

    doc = parse_markdown("National Security Adviser Mike Waltz told reporters:\n\n"
                         "> It is not in our interest.\n> Forever.\n\nMarkets fell.")
    [p] = propose(doc, [])
    assert (p.speaker, p.kind) == ("Mike Waltz", "direct")
    assert doc.text[p.start:p.end].endswith("Forever.")


def test_called_is_a_statement_only_with_a_quotation_or_for() -> None:
    rows = said('Putin called Trump on Tuesday. Rubio called the talks "useful". '
                "Zelensky called for more sanctions.")
    assert [r[1] for r in rows] == ["Rubio", "Zelensky"]


def test_countries_media_and_plural_nouns_are_not_speakers() -> None:
    assert said("Germany said it would send more. Reuters reported the deal. "
                "Officials said the talks went on. Diplomats told us nothing.") == []


_WORDS = ["said", "he", "she", "they", "the", "minister", "Peskov", "Dmitry", "Kremlin",
          "spokesman", '"', "“", "”", "«", "»", ",", ".", ":", "\n\n", "MR.", "PRICE:",
          "QUESTION:", "Q", "according", "to", "who", "noted", "by", "was", "stated", "(ISW)",
          "von", "der", "of", "—", "за", "словами", "Зеленський", "сказав", "\x1b", "\u202e"]


def test_any_text_gives_proposals_inside_it_and_never_fails() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.sampled_from(_WORDS) | st.text(max_size=6), max_size=60))
    def check(words: list[str]) -> None:
        doc = parse_text(" ".join(words))
        found = propose(doc, [Speaker("s1", "Dmitry Peskov", aliases=("Peskov",))])
        for p in found:
            assert 0 <= p.start < p.end <= len(doc.text)
            assert 0.0 <= p.confidence <= 1.0 and p.speaker.strip()
        for offset in (0, len(doc.text) // 2, len(doc.text)):
            for p in propose_at(doc, [], offset):
                assert 0 <= p.start < p.end <= len(doc.text)

    check()


def test_a_clause_between_commas_does_not_hide_the_subject() -> None:
    rows = said("Trump, speaking aboard Air Force One, said he was disappointed. "
                "The Kremlin, for its part, said the plan needed study. "
                "After meeting Peskov, reporters said little.")
    assert [r[1] for r in rows] == ["Trump", "Kremlin"]


def test_a_body_named_by_its_acronym_and_a_place_after_of() -> None:
    rows = said("ISW assessed that Russia was stockpiling missiles. The analysts also noted "
                'the cold. "Every night is the same," a resident of Kharkiv told us.')
    assert rows[:2] == [
        ("ISW assessed that Russia was stockpiling missiles.", "Institute for the Study of War",
         "indirect"),
        ("The analysts also noted the cold.", "Institute for the Study of War", "indirect")]
    assert len(rows) == 2


def test_a_title_case_label_in_a_news_item_is_not_a_turn() -> None:
    rows = said("News item\n\nKyiv Independent: the city was quiet.\n\nIt rained.\n\n"
                "Peskov said the talks went well.")
    assert rows == [("Peskov said the talks went well.", "Peskov", "indirect")]
    doc = parse_text("News item\n\nKyiv Independent: the city was quiet.\n\nIt rained.")
    assert propose_at(doc, [], doc.text.index("It rained")) == []


def test_footnote_markers_end_sentences_and_ranks_belong_to_the_role() -> None:
    rows = said("Ground Forces Spokesperson Major Vadym Skibitskyi stated that Russia attacked.[3]"
                " A Russian milblogger claimed that Russia advanced.[4] Skibitskyi added that "
                "the attacks failed.")
    assert [(r[0][:12], r[1]) for r in rows] == [("Ground Force", "Vadym Skibitskyi"),
                                                  ("Skibitskyi a", "Vadym Skibitskyi")]
    doc = parse_text("Ground Forces Spokesperson Major Vadym Skibitskyi stated it.")
    assert propose(doc, [])[0].role == "Ground Forces Spokesperson Major"


def test_russian_cues_and_a_genitive_before_the_name() -> None:
    rows = said("Пресс-секретарь президента России Дмитрий Песков заявил, что переговоры идут. "
                "«Результатов не будет», — сказал Песков. Он также отметил, что всё хорошо.")
    assert [(r[1], r[2]) for r in rows] == [("Дмитрий Песков", "indirect"),
                                             ("Дмитрий Песков", "direct"),
                                             ("Дмитрий Песков", "anaphora")]


def test_this_was_stated_by_takes_the_sentence_before_it() -> None:
    rows = said("Russia will not stop. This was stated by Kremlin spokesman Dmitry Peskov. "
                "It rained. This is reported by the newspaper.")
    assert rows == [("Russia will not stop. This was stated by Kremlin spokesman Dmitry Peskov.",
                     "Dmitry Peskov", "indirect")]


def test_a_participle_cue_belongs_to_the_subject_opening_the_sentence() -> None:
    rows = said("Prices rose, adding to the pressure. Kremlin aide Yuriy Ushakov dismissed "
                "the plan, saying it was a provocation.")
    assert [(r[1], r[2]) for r in rows] == [("Yuriy Ushakov", "indirect")]
