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

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

from rapidfuzz import fuzz, process

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
    if text.isascii():  # most names: nothing to decompose (5,000 speakers fold in ms)
        return " ".join(text.casefold().split())
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


_RECENT: dict[tuple[Speaker, ...], SpeakerIndex] = {}  # SpeakerIndex.of


class SpeakerIndex:
    """The speaker registry folded once, for ranking on every keystroke of the picker.

    Folding every name, alias, role and affiliation again on each key cost ~80 ms at
    5,000 speakers; here it is done once per picker. A query then costs C-level scans
    and Python work only for what they find: one substring test per name and per role
    (``in``), a precompiled word-start pattern run on the names holding the query (its
    tier: exact, at a word's start, inside a word), the registry walked once in name
    order to put thousands of matches in order without a sort, and a fuzzy pass over a
    bounded candidate set: rapidfuzz ``WRatio`` (in C) scores only the names sharing a
    pair of characters with the query, found by one regular-expression scan of all
    names joined ("peskv" shares "pe", "es", "sk" with "peskov"; a one-character query
    has no fuzzy match by score). Letters in order take one more scan, initials a
    dictionary lookup.
    """

    def __init__(self, speakers: Sequence[Speaker]) -> None:
        self.speakers = list(speakers)
        self._names = [_names(s) for s in self.speakers]
        self._roles = [(fold(s.role), fold(s.affiliation)) for s in self.speakers]
        self._ties = [_tie_key(s) for s in self.speakers]
        # Every name and alias, flat, with its speaker's index.
        self._owner = [i for i, names in enumerate(self._names) for _ in names]
        self._flat = [name for names in self._names for name in names]
        self._joined = "\n".join(self._flat)
        self._line_starts = list(accumulate((len(n) + 1 for n in self._flat[:-1]), initial=0))
        # Roles and affiliations, flat, likewise (the empty ones left out).
        self._role_owner = [i for i, pair in enumerate(self._roles) for text in pair if text]
        self._role_flat = [text for pair in self._roles for text in pair if text]
        self._initials: dict[str, set[int]] = {}
        for i, names in enumerate(self._names):
            for name in names:
                self._initials.setdefault(_initials(name), set()).add(i)
        self._canonical = {names[0] for names in self._names}
        self._sorted = sorted(range(len(self.speakers)),
                              key=lambda i: (self._names[i][0], self.speakers[i].id))
        self._by_tie = sorted(range(len(self.speakers)), key=lambda i: self._ties[i])

    @classmethod
    def of(cls, speakers: Sequence[Speaker]) -> SpeakerIndex:
        """The index of ``speakers``, reused while the registry is the same: the picker
        opens many times a session on a registry that rarely changes (speakers are
        frozen values, so an equal registry ranks the same)."""
        key = tuple(speakers)
        index = _RECENT.get(key)
        if index is None:
            index = _RECENT[key] = cls(key)
            while len(_RECENT) > 2:  # the current registry and the one before it
                del _RECENT[next(iter(_RECENT))]
        return index

    def has_exact_name(self, name: str) -> bool:
        """True when some speaker's canonical name equals ``name`` (folded)."""
        return fold(name) in self._canonical

    @staticmethod
    def _tiers(q: str, texts: list[str], owners: list[int],
               skip: dict[int, int] | None = None) -> dict[int, int]:
        """Each owner of a text holding ``q`` with its best containment tier (as
        :func:`_contain_tier` finds it), owners in ``skip`` left out."""
        held = [at for at, text in enumerate(texts) if q in text]  # C-level tests
        at_word = re.compile("(?<![^\\W_])" + re.escape(q)).search  # not after a letter/digit
        tiers: dict[int, int] = {}
        for at in held:
            owner = owners[at]
            if skip is not None and owner in skip:
                continue
            text = texts[at]
            tier = _EXACT if text == q else _WORD_PREFIX if at_word(text) else _SUBSTRING
            if tier < tiers.get(owner, 3):
                tiers[owner] = tier
        return tiers

    def _in_tie_order(self, tiers: dict[int, int]) -> list[int]:
        """The speakers of ``tiers`` best tier first, then by :func:`_tie_key` (then by
        their order in the registry)."""
        if len(tiers) * 8 < len(self._by_tie):
            return sorted(tiers, key=lambda i: (tiers[i], self._ties[i], i))
        by_tier: list[list[int]] = [[], [], []]
        for i in self._by_tie:  # the registry in tie order, once: no sort of thousands
            tier = tiers.get(i)
            if tier is not None:
                by_tier[tier].append(i)
        return [i for rows in by_tier for i in rows]

    def _sharing_a_pair(self, q: str) -> list[int]:
        """The names (flat indexes) holding a pair of characters of ``q``: one scan of all
        names joined, on to the next name at each match."""
        pairs = sorted({q[i:i + 2] for i in range(len(q) - 1)})
        pattern = re.compile("|".join(map(re.escape, pairs)))
        joined, starts = self._joined, self._line_starts
        found: list[int] = []
        position = 0
        while (match := pattern.search(joined, position)) is not None:
            found.append(bisect_right(starts, match.start()) - 1)
            end_of_line = joined.find("\n", match.start())
            if end_of_line == -1:
                break
            position = end_of_line + 1
        return found

    def rank(self, query: str) -> tuple[Speaker | None, list[Speaker]]:
        """:func:`rank_speakers` over the indexed registry."""
        q = fold(query)
        if not q:
            return None, [self.speakers[i] for i in self._sorted]
        contained = self._tiers(q, self._flat, self._owner)
        by_role = self._tiers(q, self._role_flat, self._role_owner, skip=contained)
        passed: set[int] = set()
        if len(q) >= 2:
            chosen = self._sharing_a_pair(q)  # the fuzzy pass's candidates
            flat, owner = self._flat, self._owner
            passed = {owner[chosen[at]] for _, _, at in process.extract(
                q, [flat[at] for at in chosen], scorer=fuzz.WRatio, limit=None,
                score_cutoff=FUZZY_THRESHOLD)}
        others_by_shape: set[int] = set()
        if len(q) >= 3:
            others_by_shape |= self._in_order(q)
        if len(q) >= 2:
            others_by_shape |= self._initials.get(q, set())
        fuzzy = []
        for i in sorted(passed | others_by_shape):  # registry order breaks ties
            if i in contained or i in by_role:
                continue
            # The best score over the names, as the unindexed ranking computed it.
            score = max(fuzz.WRatio(q, name) for name in self._names[i])
            fuzzy.append((-score, self._ties[i], i))
        fuzzy.sort(key=lambda row: (row[0], row[1]))
        ordered = self._in_tie_order(contained)
        default = self.speakers[ordered[0]] if ordered else None
        others = [self.speakers[i] for i in (*ordered[1:], *self._in_tie_order(by_role),
                                              *(row[2] for row in fuzzy))]
        return default, others

    def _in_order(self, q: str) -> set[int]:
        """Speakers with a name holding the letters of ``q`` in order ("trmp"): one
        regular-expression scan over all names joined, never across a line."""
        pattern = re.compile("[^\n]*?".join(map(re.escape, q)))
        found: set[int] = set()
        position = 0
        while (match := pattern.search(self._joined, position)) is not None:
            line = bisect_right(self._line_starts, match.start()) - 1
            found.add(self._owner[line])
            # On to the next name: one match per name is enough.
            end_of_line = self._joined.find("\n", match.start())
            if end_of_line == -1:
                break
            position = end_of_line + 1
        return found


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
    query, then fuzzy matches (rapidfuzz ``WRatio`` >= ``FUZZY_THRESHOLD`` on a name
    sharing a pair of characters with the query, the query as a subsequence of the name,
    or the name's initials).

    An empty (or blank) query returns ``(None, speakers sorted by name)``. A picker
    ranking on every key builds a :class:`SpeakerIndex` once instead.

    >>> rank_speakers([Speaker("1", "Reporter One")], "Reporter Two")[0] is None
    True
    """
    return SpeakerIndex(speakers).rank(query)


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
