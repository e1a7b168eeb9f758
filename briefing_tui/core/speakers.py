"""Ranking speakers against what the analyst typed in the speaker picker.

Pure logic (no Textual) so the picker's behaviour is unit-testable::

    >>> peskov = Speaker(id="1", name="Dmitry Peskov", role="Kremlin spokesman")
    >>> default, others = rank_speakers([peskov], "peskov")
    >>> default.name, others
    ('Dmitry Peskov', [])

The *default* is the speaker the picker pre-selects, so ``enter`` takes it. It must
be a speaker whose name or an alias *contains* the query: a fuzzy guess must never
be the default, or typing "Reporter Two" would silently pick "Reporter One" instead
of creating the new speaker. Everything else that plausibly matches (other
containing matches, role/affiliation matches, fuzzy matches) comes back as a list
of "others", best first, reachable with the arrow keys.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from rapidfuzz import fuzz

from briefing_tui.core.models import Speaker

# WRatio score (0..100) a speaker needs to be offered as a fuzzy match. 65 keeps
# one-letter typos ("peskv" -> 72, "vitkoff" -> "Steve Witkoff" 83) and drops
# unrelated names ("putin" vs "Dmitry Peskov" 22).
FUZZY_THRESHOLD = 65.0

# Containment tiers, best first.
_EXACT, _WORD_PREFIX, _SUBSTRING = 0, 1, 2


def fold(text: str) -> str:
    """Casefold, strip accents and collapse whitespace: the form names are compared in.

    >>> fold("  Zelenskyy\\u0301  Volodymyr ")
    'zelenskyy volodymyr'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    no_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(no_marks.casefold().split())


def _contain_tier(query: str, candidate: str) -> int | None:
    """How well folded ``candidate`` contains folded ``query``; None when it does not."""
    if not query or query not in candidate:
        return None
    if candidate == query:
        return _EXACT
    # A match at the start of any word ("pes" in "dmitry peskov") beats one inside
    # a word ("kov"): it is what people type when they remember a name.
    start = candidate.find(query)
    while start != -1:
        if start == 0 or not candidate[start - 1].isalnum():
            return _WORD_PREFIX
        start = candidate.find(query, start + 1)
    return _SUBSTRING


def _is_subsequence(query: str, candidate: str) -> bool:
    """True when the characters of ``query`` appear in ``candidate`` in order ("trmp")."""
    it = iter(candidate)
    return all(ch in it for ch in query)


def _initials(candidate: str) -> str:
    return "".join(word[0] for word in candidate.replace("-", " ").split() if word)


def _names(speaker: Speaker) -> list[str]:
    """The speaker's name and aliases, folded."""
    return [fold(speaker.name), *(fold(alias) for alias in speaker.aliases if alias.strip())]


def _tie_key(speaker: Speaker) -> tuple[int, str]:
    # Shorter names win ties: "Peskov" typed with "Dmitry Peskov" and
    # "Dmitry Peskov's office" present means the person, not the office.
    return (len(speaker.name), fold(speaker.name))


def rank_speakers(
    speakers: Sequence[Speaker], query: str
) -> tuple[Speaker | None, list[Speaker]]:
    """Rank ``speakers`` for ``query``: ``(default, others)``.

    ``default`` is the best speaker whose name or an alias contains the query
    (case- and accent-insensitive): an exact name/alias match first, then a match
    at the start of a word, then any substring; shorter names win ties. It is
    ``None`` when no name or alias contains the query, so the picker offers
    ``Create "…"`` first.

    ``others`` lists, best first and without duplicates: the remaining
    name/alias matches, then speakers whose role or affiliation contains the
    query, then fuzzy matches (rapidfuzz ``WRatio`` >= ``FUZZY_THRESHOLD``, the
    query as a subsequence of the name, or the name's initials).

    An empty (or blank) query returns ``(None, speakers sorted by name)``.

    >>> rank_speakers([Speaker("1", "Reporter One")], "Reporter Two")[0] is None
    True
    """
    q = fold(query)
    if not q:
        return None, sorted(speakers, key=lambda s: (fold(s.name), s.id))

    contained: list[tuple[int, tuple[int, str], Speaker]] = []
    by_role: list[tuple[int, tuple[int, str], Speaker]] = []
    fuzzy: list[tuple[float, tuple[int, str], Speaker]] = []
    for speaker in speakers:
        names = _names(speaker)
        tiers = [t for t in (_contain_tier(q, name) for name in names) if t is not None]
        if tiers:
            contained.append((min(tiers), _tie_key(speaker), speaker))
            continue
        role_tiers = [
            t
            for t in (_contain_tier(q, fold(speaker.role)), _contain_tier(q, fold(speaker.affiliation)))
            if t is not None
        ]
        if role_tiers:
            by_role.append((min(role_tiers), _tie_key(speaker), speaker))
            continue
        score = max(fuzz.WRatio(q, name) for name in names)
        if (
            score >= FUZZY_THRESHOLD
            or (len(q) >= 3 and any(_is_subsequence(q, name) for name in names))
            or (len(q) >= 2 and any(_initials(name) == q for name in names))
        ):
            fuzzy.append((-score, _tie_key(speaker), speaker))

    contained.sort(key=lambda row: (row[0], row[1]))
    by_role.sort(key=lambda row: (row[0], row[1]))
    fuzzy.sort(key=lambda row: (row[0], row[1]))
    default = contained[0][2] if contained else None
    others = [row[2] for row in contained[1:]] + [row[2] for row in by_role] + [
        row[2] for row in fuzzy
    ]
    return default, others


def has_exact_name(speakers: Sequence[Speaker], name: str) -> bool:
    """True when some speaker's canonical name equals ``name`` (folded).

    The picker hides ``Create "…"`` then: that speaker already exists.

    >>> from briefing_tui.core.models import Speaker
    >>> has_exact_name([Speaker("s1", "Dmitry Peskov")], "dmitry peskov")
    True
    >>> has_exact_name([Speaker("s1", "Dmitry Peskov")], "Peskov")
    False
    """
    folded = fold(name)
    return any(fold(speaker.name) == folded for speaker in speakers)
