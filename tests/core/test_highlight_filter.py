"""The highlight filter: terms combine, aliases, topics and notes match (#14.2)."""

from __future__ import annotations

from briefing_tui.core.highlight_filter import matches, parse_filter

PESKOV = {"speaker": "Dmitry Peskov", "aliases": ("Peskov",), "stance": "opposes",
          "topics": ("root causes", "talks"), "note": "Kremlin line on the\nceasefire"}
WITKOFF = {"speaker": "Steve Witkoff", "aliases": ("Vitkoff", "Witkoff"), "stance": "supports",
           "topics": (), "note": ""}


def passing(text: str) -> list[str]:
    terms = parse_filter(text)
    return [who["speaker"] for who in (PESKOV, WITKOFF) if matches(terms, **who)]


def test_every_term_must_match_one_field() -> None:
    assert passing("peskov opposes") == ["Dmitry Peskov"]
    assert passing("peskov supports") == []
    assert passing("witkoff supports") == ["Steve Witkoff"]


def test_speakers_match_by_alias_case_and_accents_ignored() -> None:
    assert passing("vitkoff") == ["Steve Witkoff"]
    assert passing("VÍTKOFF") == ["Steve Witkoff"]


def test_topics_by_hash_with_spaces_and_hyphens_alike() -> None:
    assert passing("#root-causes") == ["Dmitry Peskov"]
    assert passing("#ROOT_causes") == ["Dmitry Peskov"]
    assert passing("#ceasefire") == []  # in the note, not a topic
    assert passing("root") == ["Dmitry Peskov"]  # a plain term also looks at topics


def test_note_text_is_searchable_and_phrases_stay_together() -> None:
    assert passing("ceasefire") == ["Dmitry Peskov"]
    assert passing('"the ceasefire"') == ["Dmitry Peskov"]  # the note's line break is a space
    assert passing('"ceasefire kremlin"') == []
    assert passing('"peskov opposes"') == []  # a phrase never spans two fields


def test_empty_filter_passes_everything() -> None:
    assert passing("") == ["Dmitry Peskov", "Steve Witkoff"]
    assert passing("  #  ") == ["Dmitry Peskov", "Steve Witkoff"]
