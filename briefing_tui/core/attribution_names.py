"""The reading side of attribution: people, bodies and the cues that name them.

:class:`Reader` walks a briefing block by block, remembering who has been named
(with role and, where the text shows it, gender), who spoke last and whose turn it
is, and appends :class:`Person.Found` rows. :mod:`~briefing_tui.core.attribution`
turns them into proposals; the lexicons are in
:mod:`~briefing_tui.core.attribution_rules`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from briefing_tui.core import attribution_rules as R
from briefing_tui.core.document import Document
from briefing_tui.core.models import Speaker
from briefing_tui.core.speakers import fold

_DETERMINERS = frozenset(["the", "The", "this", "This", "that", "That"])
_INDEFINITE = frozenset(["a", "A", "an", "An", "one", "One", "some", "Some", "another", "Another"])
_ROLE_MODIFIERS = frozenset(
    ["deputy", "foreign", "defence", "defense", "former", "senior", "chief", "press", "national", "security", "top", "first", "vice", "acting", "interim", "prime", "foreign-policy", "military", "state"]
)
_NON_PROSE = frozenset(("code", "table", "rule"))


@dataclass
class Person:
    """Someone (or some body) the briefing names."""

    name: str
    role: str = ""
    speaker_id: str | None = None
    registry_name: str = ""
    registry_role: str = ""
    gender: str = ""  # "m", "f" or unknown
    org: bool = False
    group: bool = False  # a body's analysts ("the analysts summarize")
    fuzzy: bool = False

    @property
    def display_name(self) -> str:
        return self.registry_name or self.name

    @property
    def display_role(self) -> str:
        return self.registry_role or self.role

    @dataclass
    class Found:
        """One attributed statement as the reader found it."""

        start: int
        end: int
        person: Person
        cue: str
        kind: str
        confidence: float


_HEAD_RE = re.compile(r"\b(?:" + "|".join(sorted(R.ROLE_HEADS, key=len, reverse=True)) + r")\b",
                      re.IGNORECASE)


def _rightmost_role(text: str) -> str:
    """"the authors point to a statement by the Director of X" -> "Director of X"."""
    heads = list(_HEAD_RE.finditer(text))
    if not heads:
        return text.strip()
    i = heads[-1].start()
    # keep capitalised modifiers just before the head ("Foreign Minister")
    pre = re.search(r"((?:[A-Z][\w’'-]*\s+){0,3})$", text[:i])
    if pre:
        i -= len(pre.group(1))
    return text[i:].strip()


def _same_stem(a: str, b: str) -> bool:
    """One name in two grammatical cases ("Сибіга", "Сибіги"): same but for the ending."""
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1:
        return False
    n = min(len(a), len(b)) - 2
    return a[:n] == b[:n] and a[0].isalpha() and not a.isascii()


def _role_before(before: str) -> list[str]:
    """"Kremlin spokesman" before "Dmitry Peskov": lowercase role words just before a name."""
    toks = before[-80:].split()
    if not toks or toks[-1].lower() not in R.ROLE_HEADS or not before[-1:].isspace():
        return []
    i = len(toks) - 1
    while i > 0 and len(toks) - i <= 4 and (
            toks[i - 1].lower() in _ROLE_MODIFIERS or toks[i - 1].lower() in R.ROLE_HEADS
            or (toks[i - 1][:1].isupper() and toks[i - 1] not in ("The", "A", "An"))):
        i -= 1
    return toks[i:]


def split_name(words: list[str]) -> tuple[str, str, bool]:
    """A run of capitalised words -> ``(role, name, is_body)``.

    >>> split_name("US Secretary of State Marco Rubio".split())
    ('US Secretary of State', 'Marco Rubio', False)
    >>> split_name("Russian Ministry of Defense".split())
    ('', 'Russian Ministry of Defense', True)
    """
    while words and words[0] in ("The", "the"):
        words = words[1:]
    heads = [i for i, w in enumerate(words) if w.lower() in R.ROLE_HEADS]
    after_role = words[heads[-1] + 1:] if heads else words
    if any(w in R.ORG_WORDS for w in after_role) or not after_role:
        while words and words[0] in _OPENERS:
            words = words[1:]
        return "", " ".join(words), True
    role: list[str] = []
    for i in range(len(words) - 1, -1, -1):
        if words[i].lower() in R.ROLE_HEADS:
            role, words = words[:i + 1], words[i + 1:]
            break
    while words and (words[0] in _LINKS or words[0] in R.ROLE_DOMAINS or words[0] in R.RANKS):
        role.append(words[0])
        words = words[1:]
    for i, w in enumerate(words):
        if w in _LINKS:  # "Dmitry Peskov of the Kremlin"
            words = words[:i]
            break
    while words and words[0] in R.NOT_NAMES:
        words = words[1:]
    if len(words) >= 3 and not any(ch.isascii() for ch in "".join(words)):
        role, words = role + words[:-2], words[-2:]  # "президента России Дмитрий Песков"
    return " ".join(role), " ".join(words), False


_LINKS = frozenset(["of", "for", "the", "and"])
_OPENERS = frozenset(["The", "This", "That", "In", "On", "At", "As", "But", "And", "Or", "If", "When", "While", "After", "Before"])


def _tail(rows: list[tuple[int, Person]], floor: int) -> list[tuple[int, Person]]:
    """The rows at or after ``floor`` (rows are in text order)."""
    i = len(rows)
    while i > 0 and rows[i - 1][0] >= floor:
        i -= 1
    return rows[i:]


class Registry:
    """The speaker registry, looked up by folded name, alias, surname and spelling."""

    def __init__(self, speakers: Sequence[Speaker]) -> None:
        self.exact: dict[str, Speaker] = {}
        self.surnames: dict[str, list[Speaker]] = {}
        for sp in speakers:
            for name in (sp.name, *sp.aliases):
                key = fold(name)
                if not key:
                    continue
                self.exact.setdefault(key, sp)
                last = key.split()[-1]
                if len(last) > 2:
                    self.surnames.setdefault(last, [])
                    if sp not in self.surnames[last]:
                        self.surnames[last].append(sp)

    def lookup(self, name: str) -> tuple[Speaker | None, bool]:
        """``(speaker, fuzzy)`` for a name as the text gives it; (None, False) if none."""
        key = fold(name)
        if not key:
            return None, False
        if key in self.exact:
            return self.exact[key], False
        last = key.split()[-1]
        hits = self.surnames.get(last, [])
        if len(hits) == 1:
            return hits[0], False
        if len(last) >= 5:
            best, score = None, 0.0
            for surname, sps in self.surnames.items():
                if len(sps) != 1 or abs(len(surname) - len(last)) > 2:
                    continue
                s = fuzz.ratio(last, surname)
                if s > score:
                    best, score = sps[0], s
            if best is not None and score >= 85:
                return best, True
        return None, False


@dataclass
class _Ref:
    """What a subject phrase refers to before it is resolved."""

    kind: str  # name | pronoun | relative | role | group | org
    text: str
    start: int
    tokens: list[str] = field(default_factory=list)
    role: str = ""


_TOKEN = re.compile(r"[^\s,;:()\[\]“”\"«»—–]+")


def _tokens(text: str, base: int) -> list[tuple[str, int]]:
    return [(m.group().rstrip(".!?…"), base + m.start()) for m in _TOKEN.finditer(text)
            if m.group().rstrip(".!?…")]


def _is_cap(tok: str) -> bool:
    return bool(R.NAME_TOKEN.fullmatch(tok) or R.ACRONYM.fullmatch(tok))


class Reader:
    """Reads blocks in text order and collects attributed statements in ``out``."""

    def __init__(self, doc: Document, speakers: Sequence[Speaker]) -> None:
        self.doc = doc
        self.registry = Registry(speakers)
        self.people: dict[str, Person] = {}
        self.mentions: list[tuple[int, Person]] = []
        self.speakers_said: list[tuple[int, Person]] = []
        self.turn: Person | None = None
        self.turn_cue = ""
        self.in_question = False
        self.out: list[Person.Found] = []
        self._block_starts: list[int] = []
        self._pending: Person.Found | None = None  # "X said:" waiting for its quotation

    def fresh_copy(self) -> Reader:
        """A reader with what this one knows of people, and nothing read yet."""
        other = Reader.__new__(Reader)
        other.__dict__.update(self.__dict__)
        memo: dict[int, object] = {}
        other.people = copy.deepcopy(self.people, memo)
        other.mentions, other.speakers_said, other.out, other._block_starts = [], [], [], []
        other._pending = None
        return other

    # -- people -------------------------------------------------------------
    def seed(self, head: str) -> None:
        """Learn the names a title, byline and opening give, without proposing."""
        self._mentions_in(head, -len(head) - 10, record=False)

    def _person(self, name: str, role: str = "", org: bool = False, gender: str = "") -> Person:
        """The person ``name`` names: already met (by full name, surname or spelling),
        in the registry, or new."""
        key = fold(name)
        known = self.people.get(key)
        if known is None and not org:
            last = key.split()[-1] if key else ""
            known = self.people.get(last)
            if known is None and len(last) >= 5:
                for k, p in self.people.items():
                    if " " not in k and not p.org and abs(len(k) - len(last)) <= 2 \
                            and (fuzz.ratio(k, last) >= 85 or _same_stem(k, last)):
                        known, known.fuzzy = p, True
                        break
        if known is not None:
            if len(name.split()) > len(known.name.split()) and not org and \
                    fold(name).endswith(fold(known.name)):
                known.name = name
            if role and not known.role:
                known.role = role
            if gender and not known.gender:
                known.gender = gender
            self._index(known, name)
            return known
        if known is None and not org and len(key.split()) == 1:
            for k, p in self.people.items():
                if not p.org and _same_stem(k.split()[-1], key):
                    self._index(p, name)
                    return p
        sp, fuzzy = self.registry.lookup(name)
        person = Person(name=name, role=role, org=org, gender=gender, fuzzy=fuzzy)
        if sp is not None:
            person.speaker_id, person.registry_name, person.registry_role = sp.id, sp.name, sp.role
            for other in self.people.values():
                if other.speaker_id == sp.id:
                    if role and not other.role:
                        other.role = role
                    self._index(other, name)
                    return other
        if not person.gender:
            first = (name.split() or [""])[0]
            if first in R.FEMALE_FIRST or any(w in R.FEMALE_ROLE_WORDS for w in role.lower().split()):
                person.gender = "f"
        self._index(person, name)
        return person

    def _index(self, person: Person, name: str) -> None:
        key = fold(name)
        self.people.setdefault(key, person)
        if not person.org:
            parts = key.split()
            if len(parts) > 1:
                self.people.setdefault(parts[-1], person)

    # -- mentions -----------------------------------------------------------
    _CAPW = r"(?:" + R.NAME_TOKEN.pattern + r"|[A-Z]{2,6}|[A-Z]\.)"
    _RUN = re.compile(
        r"(?:(?<=\s)|(?<=^)|(?<=[(“\"«„]))" + _CAPW
        + r"(?:[ \u00a0](?:(?:of|for|the|and|" + "|".join(sorted(R.PARTICLES)) + r")[ \u00a0])*"
        + _CAPW + r")*"
    )
    _APPOS_BEFORE = re.compile(
        r"(?:\b(?:the|a|an)\s+)?((?:[\w’'-]+\s+){0,3}?(?:" + "|".join(
            sorted(R.ROLE_HEADS, key=len, reverse=True)) + r")\b[^,;.()“”\"\n]{0,120}?),\s*$",
        re.IGNORECASE,
    )
    _APPOS_AFTER = re.compile(
        r"^,\s+(?:the\s+|a\s+)?([^,;.()“”\"\n]{0,60}?\b(?:" + "|".join(
            sorted(R.ROLE_HEADS, key=len, reverse=True)) + r")\b[^,;.()“”\"\n]{0,60}?)[ \t]*(?:[,;.\n]|$)",
        re.IGNORECASE,
    )

    def _mentions_in(self, text: str, base: int, record: bool = True) -> None:
        for m in R.EXPANSION.finditer(text):
            full = re.sub(r"^the\s+", "", m.group(1).strip())
            words = full.split()
            while words and words[0] in R.NOT_NAMES and words[0] not in R.ORG_WORDS:
                words = words[1:]
            if not words:
                continue
            org = self._person(" ".join(words), org=True)
            self.people.setdefault(fold(m.group(2)), org)
            if record:
                self.mentions.append((base + m.start(), org))
        for m in self._RUN.finditer(text):
            self._mention(text, m, base, record)

    def _mention(self, text: str, m: re.Match[str], base: int, record: bool) -> None:
        words = m.group().split()
        gender = ""
        if words[0] in R.TITLES_M:
            gender = "m"
        elif words[0] in R.TITLES_F:
            gender = "f"
        role, name, is_org = split_name(words)
        if not name:
            return
        if is_org or name in ("Kremlin", "Pentagon"):
            if record:
                self.mentions.append((base + m.start(), self._person(name, org=True)))
            return
        role_words = role.split()
        words = name.split()
        name = " ".join(words)
        key = fold(name)
        before = text[max(0, m.start() - 160):m.start()]
        # "Kremlin spokesman Dmitry Peskov": lowercase role words just before the run.
        role_words = _role_before(before) + role_words
        role = " ".join(role_words)
        if not role:
            if text[m.end():m.end() + 1] == ",":
                after = self._APPOS_AFTER.match(text[m.end():m.end() + 130])
                if after:
                    role = after.group(1).strip()
            if not role and before.rstrip().endswith(","):
                appos = self._APPOS_BEFORE.search(before)
                if appos and "," not in appos.group(1):
                    role = _rightmost_role(appos.group(1))
        title_before = re.search(r"\b(Mr|Ms|Mrs)\.?\s+$", before)
        if title_before:
            gender = "m" if title_before.group(1) == "Mr" else "f"
        known = key in self.people or key.split()[-1] in self.people or \
            self.registry.lookup(name)[0] is not None
        bare = 2 <= len(words) <= 3 and all(
            R.NAME_TOKEN.fullmatch(w) and w not in R.NOT_NAMES and w not in R.ROLE_DOMAINS
            for w in words) and words[0] in R.FIRST_NAMES_HINT
        if len(words) >= 2 and (role or gender or bare) or known:
            if len(words) == 1 and not known:
                return
            person = self._person(name, role, gender=gender)
            if record:
                self.mentions.append((base + m.start(), person))

    # -- blocks -------------------------------------------------------------
    def find_turn_before(self, pos: int) -> None:
        """Set the turn that holds at ``pos`` from the last turn marker before it."""
        text_between = self.doc.text_between
        end = pos
        lo = max(0, pos - 200_000)
        while end > lo:
            start = max(lo, end - 20_000)
            chunk = text_between(start, end)
            nl = chunk.find("\n") if start > 0 else -1
            last = None
            for m in R.TURN_LABEL.finditer(chunk, nl + 1):
                if (m.group("label") or "") not in R.NOT_LABELS and self._is_turn(m, start):
                    last = m
            if last is not None:
                self._take_label(last, start, record=False)
                return
            end = start

    def block(self, start: int, end: int, kind: str) -> None:
        if kind in _NON_PROSE:
            return
        text = self.doc.text_between(start, end)
        self._block_starts.append(start)
        pending, self._pending = self._pending, None
        if pending is not None and self.turn is None and not self.in_question and (
                kind == "blockquote" or text.lstrip()[:1] in "\"“«„"):
            # "Waltz told reporters:" then a block quotation: one statement, his.
            lead = len(text) - len(text.lstrip())
            self.out[-1] = Person.Found(pending.start, start + len(text.rstrip()), pending.person,
                                        pending.cue, "direct", max(pending.confidence, 0.85))
            self.speakers_said.append((start + lead, pending.person))
            return
        if kind == "heading":
            self.turn, self.in_question = None, False
            self._mentions_in(text, start)
            return
        labels = list(R.TURN_LABEL.finditer(text))
        labels = [m for m in labels if (m.group("label") or "") not in R.NOT_LABELS
                  and self._is_turn(m, start)]
        cut = labels[0].start() if labels else len(text)
        if cut > 0:
            self._segment(text[:cut], start)
        for i, m in enumerate(labels):
            seg_end = labels[i + 1].start() if i + 1 < len(labels) else len(text)
            self._take_label(m, start)
            self._turn_body(text, m.end(), seg_end, start)

    def _is_turn(self, m: re.Match[str], base: int) -> bool:
        """A title-case label ("Tom Hadley:") is a turn when it names someone known, opens
        with a first name, or comes again: "Kyiv Independent: …" in a news item is not."""
        label = m.group("label") or ""
        if not label or label.isupper():
            return True
        words = label.split()
        if words[0] in R.FIRST_NAMES_HINT or fold(label) in self.people or \
                self.registry.lookup(label)[0] is not None:
            return True
        at = base + m.end()
        ahead = self.doc.text_between(at, min(self.doc.length, at + 20_000))
        return re.search(r"(?m)^[ \t]*" + re.escape(label) + r"[ \t]*:", ahead) is not None

    def _take_label(self, m: re.Match[str], base: int, record: bool = True) -> None:
        label = (m.group("label") or m.group("q") or "").strip()
        words = label.replace(".", " ").split()
        self.turn_cue = label + ("" if m.group("q") else ":")
        if not words or " ".join(words) in R.QUESTION_LABELS or words[0] in R.QUESTION_LABELS \
                or words[-1] in ("QUESTION", "Q"):
            self.turn, self.in_question = None, True
            return
        self.in_question = False
        gender = "m" if words[0] in ("MR", "SIR") else "f" if words[0] in ("MS", "MRS") else ""
        if label.isupper():
            titled = [w for w in words if w not in ("MR", "MS", "MRS", "DR", "PROF", "THE", "SIR")]
            heads = [i for i, w in enumerate(titled) if w.lower() in R.ROLE_HEADS]
            role_words = titled[:heads[-1] + 1] if heads else []
            name_words = [w.capitalize() for w in titled[len(role_words):]]
            if not name_words:
                head = role_words[-1].lower() if role_words else ""
                found = self._by_role(head, base + m.start(), blocks=10_000)
                self.turn = found or self._person(" ".join(w.capitalize() for w in titled))
                return
            name = " ".join(name_words)
            self.turn = self._person(name, gender=gender)
        else:
            self.turn = self._person(label, gender=gender)
        if gender and not self.turn.gender:
            self.turn.gender = gender

    def _turn_body(self, text: str, s: int, e: int, base: int) -> None:
        body = text[s:e]
        lead = len(body) - len(body.lstrip())
        body = body.strip()
        if not body or self.turn is None or not re.search(r"[^\W\d_]", body) or (
                body.startswith("(") and body.endswith((")", ").")) and body.count("(") == 1):
            return
        start = base + s + lead
        self.out.append(Person.Found(start, start + len(body), self.turn, self.turn_cue, "turn",
                                     0.95 if self.turn.speaker_id or len(self.turn.name.split()) > 1
                                     else 0.9))
        self.speakers_said.append((start, self.turn))

    def _segment(self, seg: str, base: int) -> None:
        if self.turn is not None or self.in_question:
            self._turn_body(seg, 0, len(seg), base)
            return
        n = len(self.mentions)
        self._mentions_in(seg, base)
        if len(self.mentions) > n:
            self.mentions[n:] = sorted(self.mentions[n:], key=lambda pm: pm[0])
        from briefing_tui.core.attribution_cues import Cues
        made = len(self.out)
        Cues(self, seg, base).run()
        if len(self.out) > made and seg.rstrip().endswith(":") and \
                self.out[-1].end >= base + len(seg.rstrip()) - 1:
            self._pending = self.out[-1]

    # -- anaphora -----------------------------------------------------------
    def _recent_block_start(self, back: int) -> int:
        starts = self._block_starts
        return starts[-back] if len(starts) >= back else -(10 ** 12)

    def _by_role(self, head: str, pos: int, blocks: int = 12) -> Person | None:
        """The last person named before ``pos`` whose role has ``head`` in it."""
        floor = self._recent_block_start(blocks)
        head = head.lower().rstrip("s") if head not in ("ms",) else head
        pool = sorted(_tail(self.speakers_said, floor) + _tail(self.mentions, floor),
                      key=lambda pm: pm[0])
        for p0, person in reversed(pool):
            if p0 >= pos or person.org:
                continue
            if p0 < floor:
                break
            if head and head in person.display_role.lower():
                return person
        for person in reversed(list(self.people.values())):
            if head and not person.org and head in person.display_role.lower():
                return person
        return None

    def _org_like(self, words: Sequence[str], pos: int) -> Person | None:
        """The last body named before ``pos`` that fits ("the ministry", "the analysts")."""
        wanted = {w.lower() for w in words}
        for p0, person in reversed(_tail(self.mentions, self._recent_block_start(40))):
            if p0 >= pos or not person.org:
                continue
            name = person.name.lower()
            if wanted & set(name.split()) or (wanted & R.GROUP_HEADS and any(
                    w in name for w in ("institut", "center", "centre", "study", "isw"))):
                return person
        if wanted & R.GROUP_HEADS:
            for p0, person in reversed(self.speakers_said):
                if p0 < pos and person.org:
                    return person
        return None

    def _pronoun(self, word: str, pos: int, sentence_start: int) -> Person | None:
        if word in R.PRONOUNS_PL:
            floor = self._recent_block_start(3)
            for p0, person in reversed(self.mentions):
                if p0 < pos and person.org and p0 >= floor:
                    return person
            return None
        gender = "f" if word in R.PRONOUNS_F else "m"

        def fits(person: Person) -> bool:
            return not person.org and person.gender in ("", gender)
        same = [p for p0, p in self.mentions if sentence_start <= p0 < pos and fits(p)]
        if same:
            return same[-1]
        floor = self._recent_block_start(3)
        for p0, person in reversed(self.speakers_said):
            if p0 < floor:
                break
            if p0 < pos and fits(person):
                return person
        for p0, person in reversed(self.mentions):
            if p0 < floor:
                break
            if p0 < pos and fits(person):
                return person
        return None
