"""The highlight filter: what the analyst types to narrow a list of highlights.

A filter is a few terms; a highlight passes when **every** term matches one of its
fields (so ``peskov opposes`` is "said by Peskov *and* opposing"):

- a plain term matches the speaker's name or any alias, the stance, a topic, the
  note or the analyst who made or changed it (a merged database), as a substring, ignoring case and accents (``vitkoff`` finds Witkoff's
  highlights when "Vitkoff" is one of his aliases);
- ``#term`` matches topics only, with spaces and hyphens alike (``#root-causes``
  finds the topic "root causes");
- ``"two words"`` keeps a phrase together.

Pure Python: the sidebar uses it now, the views across briefings can later.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from briefing_tui.core.speakers import fold

__all__ = ["FilterTerm", "matches", "parse_filter", "topic_key"]

_TERMS = re.compile(r'"([^"]*)"?|(\S+)')


def topic_key(text: str) -> str:
    """A topic as compared by ``#term``: folded, runs of spaces, ``-`` and ``_`` as one ``-``.

    >>> topic_key("Root  causes"), topic_key("root-causes"), topic_key("root_causes")
    ('root-causes', 'root-causes', 'root-causes')
    """
    return "-".join(part for part in re.split(r"[\s\-_]+", fold(text)) if part)


@dataclass(frozen=True)
class FilterTerm:
    """One term: ``text`` already folded (``topic_key`` form for a topic term)."""

    text: str
    topic_only: bool = False


def parse_filter(text: str) -> tuple[FilterTerm, ...]:
    """The terms of a filter text (empty: no terms, everything passes).

    >>> [(t.text, t.topic_only) for t in parse_filter('Peskov  #Root-Causes "root causes"')]
    [('peskov', False), ('root-causes', True), ('root causes', False)]
    >>> parse_filter("  # ")
    ()
    """
    terms: list[FilterTerm] = []
    for match in _TERMS.finditer(text):
        phrase, word = match.groups()
        raw = phrase if phrase is not None else word
        if raw.startswith("#") and phrase is None:
            key = topic_key(raw[1:])
            if key:
                terms.append(FilterTerm(key, topic_only=True))
            continue
        folded = fold(raw)  # case, accents and runs of whitespace folded
        if folded:
            terms.append(FilterTerm(folded))
    return tuple(terms)


def matches(terms: tuple[FilterTerm, ...], *, speaker: str = "",
            aliases: Iterable[str] = (), stance: str = "", topics: Iterable[str] = (),
            note: str = "", analyst: str = "") -> bool:
    """Whether a highlight with these fields passes every term.

    >>> terms = parse_filter("vitkoff #talks")
    >>> matches(terms, speaker="Steve Witkoff", aliases=("Vitkoff",), topics=("Talks",))
    True
    >>> matches(terms, speaker="Steve Witkoff", topics=("Talks",))
    False
    >>> matches(parse_filter("bob"), analyst="alice → bob"), matches(parse_filter("bob"))
    (True, False)
    """
    if not terms:
        return True
    topics = tuple(topics)
    topic_keys = [topic_key(t) for t in topics]
    # One line per field, whitespace collapsed: a phrase never spans two fields.
    fields = "\n".join(fold(f) for f in (speaker, *aliases, stance, *topics, note, analyst)
                       if f)
    for term in terms:
        if term.topic_only:
            if not any(term.text in key for key in topic_keys):
                return False
        elif term.text not in fields:
            return False
    return True
