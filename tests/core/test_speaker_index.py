"""The speaker index (#17.2): the picker's ranking at any registry size, folded once.

The unindexed ranking it replaced is kept here as the oracle: for random registries
and queries the index ranks exactly as it did, but for one change of #17.2: the fuzzy
pass (WRatio) scores only the names sharing a pair of characters with the query (its
bounded candidate set), so a query of one character has no fuzzy match by score.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from benchmarks import corpora
from briefing_tui.core import speakers as module
from briefing_tui.core.models import Speaker
from briefing_tui.core.speakers import (
    FUZZY_THRESHOLD,
    SpeakerIndex,
    _contain_tier,
    _initials,
    _is_subsequence,
    _names,
    _tie_key,
    fold,
)


def oracle(speakers: list[Speaker], query: str) -> tuple[Speaker | None, list[Speaker]]:
    """The ranking as it was before the index: everything folded again per query."""
    q = fold(query)
    if not q:
        return None, sorted(speakers, key=lambda s: (fold(s.name), s.id))
    contained, by_role, fuzzy = [], [], []
    for speaker in speakers:
        names = _names(speaker)
        tiers = [t for t in (_contain_tier(q, name) for name in names) if t is not None]
        if tiers:
            contained.append((min(tiers), _tie_key(speaker), speaker))
            continue
        role_tiers = [t for t in (_contain_tier(q, fold(speaker.role)),
                                  _contain_tier(q, fold(speaker.affiliation))) if t is not None]
        if role_tiers:
            by_role.append((min(role_tiers), _tie_key(speaker), speaker))
            continue
        score = max(fuzz.WRatio(q, name) for name in names)
        if (any(fuzz.WRatio(q, name) >= FUZZY_THRESHOLD for name in names
                if shares_a_pair(q, name))
                or (len(q) >= 3 and any(_is_subsequence(q, name) for name in names))
                or (len(q) >= 2 and any(_initials(name) == q for name in names))):
            fuzzy.append((-score, _tie_key(speaker), speaker))
    for rows in (contained, by_role, fuzzy):
        rows.sort(key=lambda row: (row[0], row[1]))
    default = contained[0][2] if contained else None
    return default, [r[2] for r in contained[1:]] + [r[2] for r in by_role] + [r[2] for r in fuzzy]


def shares_a_pair(query: str, name: str) -> bool:
    return any(query[i:i + 2] in name for i in range(len(query) - 1))


WORD = st.text(alphabet="abdeikmnoprstuvwyz ÉéПесковʼ-", min_size=0, max_size=12)
SPEAKER = st.builds(lambda n, r, a, al: (n, r, a, tuple(al)), WORD, WORD, WORD,
                    st.lists(WORD, max_size=2))


@settings(max_examples=300, deadline=None)
@given(st.lists(SPEAKER, max_size=12), WORD)
def test_the_index_ranks_as_the_unindexed_ranking_did(rows, query) -> None:
    registry = [Speaker(str(i), name.strip() or f"s{i}", role=role, affiliation=aff,
                        aliases=aliases) for i, (name, role, aff, aliases) in enumerate(rows)]
    assert SpeakerIndex(registry).rank(query) == oracle(registry, query)


def registry(count: int) -> list[Speaker]:
    return corpora.speaker_registry(count)


def test_the_known_names_rank_the_same_at_5000_speakers() -> None:
    speakers = [*registry(5000), Speaker("p", "Dmitry Peskov", role="Kremlin spokesman"),
                Speaker("w", "Steve Witkoff", aliases=("Vitkoff",))]
    index = SpeakerIndex(speakers)
    for query in ("peskov", "vitkoff", "kremlin", "dp", "pskv", "witkof"):
        assert index.rank(query) == oracle(speakers, query), query


def test_a_keystroke_folds_only_the_query(monkeypatch) -> None:
    """The mechanism that keeps a key cheap at 5,000 speakers: nothing of the registry is
    folded again per query (it was 4 folds per speaker)."""
    index = SpeakerIndex(registry(2000))
    calls = []
    real = module.fold
    monkeypatch.setattr(module, "fold", lambda text: calls.append(text) or real(text))
    for query in ("p", "pe", "pes", "pesk"):
        index.rank(query)
    assert len(calls) <= 4 * 2  # the query itself (and nothing per speaker)


def test_an_unchanged_registry_reuses_its_index_and_a_changed_one_does_not() -> None:
    speakers = registry(50)
    first = SpeakerIndex.of(speakers)
    assert SpeakerIndex.of(list(speakers)) is first  # equal values: the same index
    renamed = [speakers[0].__class__("s00000", "Someone Else"), *speakers[1:]]
    changed = SpeakerIndex.of(renamed)
    assert changed is not first
    assert changed.has_exact_name("someone else") and not first.has_exact_name("someone else")


def test_the_fuzzy_pass_scores_a_bounded_candidate_set(monkeypatch) -> None:
    """The mechanism that keeps a key cheap at 5,000 speakers (#17.2): WRatio, the
    costly score (~1 µs a name, 10 ms over the registry), runs only on the names sharing
    a pair of characters with the query, never on the registry."""
    index = SpeakerIndex([*registry(5000), Speaker("p", "Dmitry Peskov"),
                          Speaker("w", "Steve Witkoff")])
    scored: list[int] = []
    real_extract = module.process.extract
    monkeypatch.setattr(module.process, "extract",
                        lambda q, choices, **kw: scored.append(len(choices))
                        or real_extract(q, choices, **kw))
    assert index.rank("p")[1]  # one character: no fuzzy pass at all
    assert scored == []
    default, others = index.rank("peskv")  # a typo: found by the fuzzy pass
    assert default is None and others[0].name == "Dmitry Peskov"
    assert index.rank("vitkoff")[1][0].name == "Steve Witkoff"
    names = len(index._flat)
    assert len(scored) == 2 and max(scored) < names // 10, (scored, names)
