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
    5,000 speakers; here it is done once per picker. A query then costs a substring
    test per folded string, one rapidfuzz pass in C over all names
    (``process.extract``), one regular-expression scan of all names joined for the
    letters-in-order match, and a dictionary lookup for initials.
    """

    def __init__(self, speakers: Sequence[Speaker]) -> None:
        self.speakers = list(speakers)
        self._names = [_names(s) for s in self.speakers]
        self._blobs = ["\n".join(names) for names in self._names]
        self._roles = [(fold(s.role), fold(s.affiliation)) for s in self.speakers]
        self._ties = [_tie_key(s) for s in self.speakers]
        # Every name and alias, flat, with its speaker's index.
        self._owner = [i for i, names in enumerate(self._names) for _ in names]
        self._flat = [name for names in self._names for name in names]
        self._joined = "\n".join(self._flat)
        self._line_starts = list(accumulate((len(n) + 1 for n in self._flat[:-1]), initial=0))
        self._initials: dict[str, set[int]] = {}
        for i, names in enumerate(self._names):
            for name in names:
                self._initials.setdefault(_initials(name), set()).add(i)
        self._canonical = {names[0] for names in self._names}
        self._sorted = sorted(range(len(self.speakers)),
                              key=lambda i: (self._names[i][0], self.speakers[i].id))

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

    def rank(self, query: str) -> tuple[Speaker | None, list[Speaker]]:
        """:func:`rank_speakers` over the indexed registry."""
        q = fold(query)
        if not q:
            return None, [self.speakers[i] for i in self._sorted]
        contained: list[tuple[int, tuple[int, str], int]] = []
        by_role: list[tuple[int, tuple[int, str], int]] = []
        taken: set[int] = set()
        blobs = self._blobs
        for i, names in enumerate(self._names):
            if q not in blobs[i]:  # one C-level test rules most speakers out
                continue
            tiers = [t for t in (_contain_tier(q, name) for name in names) if t is not None]
            if tiers:
                contained.append((min(tiers), self._ties[i], i))
                taken.add(i)
        for i, (role, affiliation) in enumerate(self._roles):
            if i in taken or (q not in role and q not in affiliation):
                continue
            role_tiers = [t for t in (_contain_tier(q, role), _contain_tier(q, affiliation))
                          if t is not None]
            by_role.append((min(role_tiers), self._ties[i], i))
            taken.add(i)
        scores: dict[int, float] = {}
        for _, score, at in process.extract(q, self._flat, scorer=fuzz.WRatio, limit=None,
                                            score_cutoff=FUZZY_THRESHOLD):
            owner = self._owner[at]
            scores[owner] = max(score, scores.get(owner, 0.0))
        others_by_shape: set[int] = set()
        if len(q) >= 3:
            others_by_shape |= self._in_order(q)
        if len(q) >= 2:
            others_by_shape |= self._initials.get(q, set())
        fuzzy = []
        for i in set(scores) | others_by_shape:
            if i in taken:
                continue
            # The best score over the names, as the unindexed ranking computed it.
            score = scores.get(i)
            if score is None:
                score = max(fuzz.WRatio(q, name) for name in self._names[i])
            fuzzy.append((-score, self._ties[i], i))
        contained.sort(key=lambda row: (row[0], row[1]))
        by_role.sort(key=lambda row: (row[0], row[1]))
        fuzzy.sort(key=lambda row: (row[0], row[1]))
        default = self.speakers[contained[0][2]] if contained else None
        others = [self.speakers[row[2]] for row in (*contained[1:], *by_role, *fuzzy)]
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
    query, then fuzzy matches (rapidfuzz ``WRatio`` >= ``FUZZY_THRESHOLD``, the
    query as a subsequence of the name, or the name's initials).

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
