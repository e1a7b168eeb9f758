"""rank_speakers: the default speaker must *contain* the query; fuzzier matches come after."""

from __future__ import annotations

import doctest

import briefing_tui.core.speakers as speakers_module
from briefing_tui.core.models import Speaker
from briefing_tui.core.speakers import fold, has_exact_name, rank_speakers

PESKOV = Speaker("s1", "Dmitry Peskov", role="Kremlin spokesman", affiliation="Kremlin")
WITKOFF = Speaker("s2", "Steve Witkoff", role="US special envoy", aliases=("Witkoff", "Vitkoff"))
LAVROV = Speaker("s3", "Sergei Lavrov", role="Foreign minister", affiliation="Russian MFA")
REPORTER_ONE = Speaker("s4", "Reporter One")
PUTIN = Speaker("s5", "Vladimir Putin", role="President", affiliation="Kremlin")
PRICE = Speaker("s6", "Ned Price", role="State Department spokesperson", aliases=("MR. PRICE",))
ZELENSKYY = Speaker("s7", "Volodymyr Zelenskyy", aliases=("Zelensky",))
ALL = [PESKOV, WITKOFF, LAVROV, REPORTER_ONE, PUTIN, PRICE, ZELENSKYY]


def names(rows: list[Speaker]) -> list[str]:
    return [speaker.name for speaker in rows]


def test_lowercase_surname_gives_the_person_as_default() -> None:
    default, _ = rank_speakers(ALL, "peskov")
    assert default == PESKOV


def test_alias_containing_the_query_gives_the_default() -> None:
    default, _ = rank_speakers(ALL, "vitkoff")
    assert default == WITKOFF


def test_misspelling_without_alias_is_only_a_fuzzy_row() -> None:
    witkoff_no_alias = Speaker("s2", "Steve Witkoff")
    default, others = rank_speakers([witkoff_no_alias, PESKOV], "vitkoff")
    assert default is None
    assert others == [witkoff_no_alias]


def test_reporter_two_does_not_default_to_reporter_one() -> None:
    default, others = rank_speakers([REPORTER_ONE], "Reporter Two")
    assert default is None
    # still offered below the Create row, for when it was a typo
    assert others == [REPORTER_ONE]


def test_role_match_is_never_the_default() -> None:
    default, others = rank_speakers([PESKOV, LAVROV], "spokesman")
    assert default is None
    assert others == [PESKOV]


def test_kremlin_matches_by_role_and_affiliation_only_as_other_rows() -> None:
    default, others = rank_speakers(ALL, "kremlin")
    assert default is None
    # both have Kremlin in role/affiliation; shorter name first
    assert names(others) == ["Dmitry Peskov", "Vladimir Putin"]


def test_exact_alias_beats_a_longer_name_containing_it() -> None:
    office = Speaker("s9", "Price Waterhouse")
    default, others = rank_speakers([office, PRICE], "mr. price")
    assert default == PRICE
    default, others = rank_speakers([office, PRICE], "price")
    # word-prefix in both; "Ned Price" is shorter
    assert default == PRICE
    assert others == [office]


def test_exact_name_beats_word_prefix() -> None:
    short = Speaker("a", "Peskov")
    longer = Speaker("b", "Peskov Jr")
    default, others = rank_speakers([longer, short], "peskov")
    assert default == short
    assert others == [longer]


def test_word_prefix_beats_inner_substring() -> None:
    inner = Speaker("a", "Arkov")  # "kov" inside a word, shorter name
    prefix = Speaker("b", "Kovalenko Ivan")  # "kov" starts a word
    default, others = rank_speakers([inner, prefix], "kov")
    assert default == prefix
    assert others == [inner]


def test_shorter_name_wins_ties_within_a_tier() -> None:
    a = Speaker("a", "John Kirby")
    b = Speaker("b", "John Kirby Jr.")
    default, others = rank_speakers([b, a], "kirby")
    assert default == a
    assert others == [b]


def test_case_accent_and_whitespace_are_ignored() -> None:
    accented = Speaker("a", "Emmanuel Macrón")
    default, _ = rank_speakers([accented], "  MACRON ")
    assert default == accented


def test_fuzzy_typo_is_listed_after_role_matches() -> None:
    default, others = rank_speakers(ALL, "peskv")
    assert default is None
    assert others[0] == PESKOV


def test_subsequence_and_initials_are_fuzzy_rows() -> None:
    trump = Speaker("t", "Donald Trump")
    _, others = rank_speakers([trump, PESKOV], "trmp")
    assert others == [trump]
    _, others = rank_speakers([trump, PESKOV], "dp")
    assert others == [PESKOV]


def test_unrelated_query_matches_nothing() -> None:
    assert rank_speakers(ALL, "xqzw") == (None, [])


def test_no_speaker_appears_twice() -> None:
    default, others = rank_speakers(ALL, "e")
    rows = ([default] if default else []) + others
    assert len({s.id for s in rows}) == len(rows)


def test_empty_query_lists_everyone_alphabetically() -> None:
    default, others = rank_speakers(ALL, "   ")
    assert default is None
    assert names(others) == sorted(names(ALL), key=str.casefold)


def test_no_speakers() -> None:
    assert rank_speakers([], "peskov") == (None, [])


def test_has_exact_name_is_case_insensitive_and_ignores_aliases() -> None:
    assert has_exact_name(ALL, "dmitry  PESKOV")
    assert not has_exact_name(ALL, "Vitkoff")
    assert not has_exact_name(ALL, "Reporter Two")


def test_fold() -> None:
    assert fold(" Émile\tZOLA ") == "emile zola"


def test_module_doctests_pass() -> None:
    result = doctest.testmod(speakers_module)
    assert result.attempted > 0
    assert result.failed == 0
