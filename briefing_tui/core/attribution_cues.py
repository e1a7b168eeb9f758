"""Cues in running prose: direct quotations with their attribution, reported speech.

One :class:`Cues` reads one prose segment (a block, or the part of it before a
turn marker) for a :class:`~briefing_tui.core.attribution_names.Reader`: first the
quotations with a cue next to them (`"…," Peskov said`, `Lavrov said: "…"`, a
statement split around its attribution), then, sentence by sentence, reported
speech (`X said that …`, `according to X`, `it was stated by X`).
"""

from __future__ import annotations

import re

from briefing_tui.core import attribution_rules as R
from briefing_tui.core.attribution_names import Person, Reader, _is_cap, _Ref, _tokens, split_name
from briefing_tui.core.speakers import fold

_BREAK = re.compile(r"[,;:()\[\]“”\"«»—–]|\s-\s|\b(?:that|which|and|but|while|as|when|where|if)\b")
_ORGISH = frozenset(
    ["ministry", "department", "kremlin", "institute", "office", "pentagon", "agency", "council", "committee", "government", "administration", "embassy", "court", "report", "article", "assessment", "study"]
)
_PASSIVE_AUX = re.compile(r"\b(?:was|were|been|be|being|is|are)\s+(?:\w+ly\s+)?$")
_CONTINUE = frozenset(["continues", "continue", "continued", "went", "goes", "declined", "refused"])
_NAME_ONLY_VERBS = frozenset(["called", "identified", "described", "asked", "accused"])
_CONF = {"turn": 0.95, "direct": 0.9, "indirect": 0.85, "anaphora": 0.7}


class Cues:
    """Direct and reported speech in the prose segment ``seg`` starting at ``base``."""

    def __init__(self, reader: Reader, seg: str, base: int) -> None:
        self.r = reader
        self.seg = seg
        self.base = base
        self.quotes = [(m.start(), m.end()) for m in R.QUOTE.finditer(seg)]

    def run(self) -> None:
        doc, seg, base = self.r.doc, self.seg, self.base
        covered = -1
        pos = 0
        while pos < len(seg):
            sent = doc.sentence_at(base + pos)
            if sent is None or sent[0] - base >= len(seg):
                break
            ss, se = max(sent[0] - base, pos), min(sent[1] - base, len(seg))
            if se <= pos:
                pos += 1
                continue
            note = _FOOTNOTE_END.search(seg, ss, se)
            if note is not None:  # "…talks.[1] Peskov claimed": two sentences
                se = note.end()
            pos = se
            if se <= covered:
                continue
            found = False
            for qs, qe in self.quotes:
                if qs >= max(ss, covered) and qs < se:
                    end = self._direct(qs, qe, ss)
                    if end is not None:
                        covered = max(covered, end)
                        found = True
            if not found and ss >= covered:
                self._indirect(ss, se)

    # -- emitting -------------------------------------------------------------
    def _emit(self, start: int, end: int, person: Person, cue: str, kind: str,
              anaphora: bool, weak: bool) -> None:
        kind = "anaphora" if anaphora else kind
        conf = _CONF[kind] * (0.9 if person.fuzzy else 1.0) - (0.1 if weak else 0.0)
        text = self.seg[start:end]
        lead = len(text) - len(text.lstrip())
        end = start + len(text.rstrip())
        start += lead
        self.r.out.append(Person.Found(self.base + start, self.base + end, person,
                                       " ".join(cue.split()), kind, conf))
        self.r.speakers_said.append((self.base + start, person))

    # -- direct ---------------------------------------------------------------
    def _direct(self, qs: int, qe: int, sentence_start: int) -> int | None:
        seg = self.seg
        inner = seg[qs + 1:qe - 1].rstrip()
        after = seg[qe:qe + 120]
        m = re.match(r"\s*((?:[,—–]|\s-\s|-)\s*)*", after)
        assert m is not None
        if inner and (inner[-1] in ",.!?…—-" or m.group(1)):
            got = self._after_quote(qe + m.end(), sentence_start)
            if got is not None:
                person, cue, a_end, anaphora, weak = got
                end = a_end
                cont = re.match(r"\s*,\s*", seg[a_end:])
                if cont:
                    nxt = next(((s, e) for s, e in self.quotes if s == a_end + cont.end()), None)
                    if nxt is not None:
                        end = nxt[1]
                self._emit(qs, end, person, cue, "direct", anaphora, weak)
                return end
        before = seg[:qs].rstrip()
        if before.endswith((":", ",")):
            clause = before[:-1]
            words = R.IN_WORDS.search(clause[-30:])
            if words and clause.endswith(words.group()):
                ws = len(clause) - 30 + words.start() if len(clause) > 30 else words.start()
                pronoun = "he" if words.group("pr") == "his" or words.group("uk") == "його" else (
                    "they" if words.group("pr") == "their" else "she")
                person = self.r._pronoun(pronoun, self.base + ws, self.base + sentence_start)
                if person is not None:
                    self._emit(ws, qe, person, words.group(), "direct", True, False)
                    return qe
                return None
            verbs = [v for v in R.SPEECH_RE.finditer(clause) if len(clause) - v.end() <= 30]
            if verbs and ":" in seg[len(clause):qs] or verbs and len(clause) - verbs[-1].end() <= 1:
                v = verbs[-1]
                if not re.search(r"\bthat\b|[.!?]", clause[v.end():]):
                    got2 = self._subject_before(v.start(), max(sentence_start, 0))
                    if got2 is not None:
                        person, ref, anaphora, weak = got2
                        self._emit(ref.start, qe, person, seg[ref.start:v.end()], "direct",
                                   anaphora, weak)
                        return qe
        return None

    def _after_quote(self, i: int, sentence_start: int
                     ) -> tuple[Person, str, int, bool, bool] | None:
        seg = self.seg
        stop = re.compile(r"[.;:!?“”\"«»()]|,\s*[“\"«]|\s-\s|—|–|$")
        sm = stop.search(seg, i, min(len(seg), i + 120))
        piece_end = sm.start() if sm else min(len(seg), i + 120)
        piece = seg[i:piece_end]
        toks = _tokens(piece, i)
        if not toks:
            return None
        v = R.SPEECH_RE.match(piece)
        if v:  # "…," said Peskov
            ref = self._forward(v.end() + i, piece_end)
            if ref is None:
                return None
            got = self._resolve(ref, sentence_start)
            if got is None:
                return None
            person, anaphora, weak = got
            return person, seg[i:ref.start + len(ref.text)], ref.start + len(ref.text), anaphora, weak
        for k, (tok, at) in enumerate(toks[:7]):
            if R.SPEECH_RE.fullmatch(tok):
                rest = toks[k + 1:]
                if rest and rest[0][0] in ("that", "what", "how", "whether", "about", "it"):
                    return None  # reported speech of its own, not this quotation's cue
                if len(rest) > 4:
                    return None
                got2 = self._subject_before(at, i, clause_floor=i)
                if got2 is None:
                    return None
                person, ref, anaphora, weak = got2
                if ref.start != toks[0][1]:
                    return None  # the subject must open the attribution
                return person, seg[ref.start:at + len(tok)], at + len(tok), anaphora, weak
        return None

    # -- reported speech --------------------------------------------------------
    def _quote_in(self, start: int, end: int) -> bool:
        return any(start <= s and e <= end for s, e in self.quotes)

    def _inside_quote(self, pos: int) -> bool:
        return any(s < pos < e for s, e in self.quotes)

    def _indirect(self, ss: int, se: int) -> None:
        seg = self.seg
        sentence = seg[ss:se]
        this = _THIS_IS_STATED.match(sentence)
        if this is not None:  # "… This is stated in a material of ISW": both sentences
            ref = self._forward(ss + this.end(), se)
            got = self._resolve(ref, ss) if ref is not None else None
            if got is not None and ref is not None and (got[0].org or got[0].speaker_id
                                                        or len(got[0].name.split()) > 1):
                k = ss - 1
                while k > 0 and seg[k].isspace():
                    k -= 1
                prev = self.r.doc.sentence_at(self.base + k) if k >= 0 and ss > 0 else None
                start = prev[0] - self.base if prev and prev[0] - self.base >= 0 else ss
                if any(f.end > self.base + start for f in self.r.out[-1:]):
                    start = ss  # that sentence is someone's already
                self._emit(start, se, got[0], seg[ss + this.start("verb"):ref.start + len(ref.text)],
                           "indirect", got[1], got[2])
                return
        for m in R.ACCORDING.finditer(sentence):
            if self._inside_quote(ss + m.start()):
                continue
            ref = self._forward(ss + m.start("spk"), ss + m.end())
            got = self._resolve(ref, ss) if ref is not None else None
            if got is not None and ref is not None:
                person, anaphora, weak = got
                self._emit(ss, se, person, seg[ss + m.start():ref.start + len(ref.text)],
                           "indirect", anaphora, weak)
                return
        words = R.IN_WORDS.search(sentence)
        if words and not self._inside_quote(ss + words.start()):
            pronoun = "he" if words.group("pr") == "his" or words.group("uk") == "його" else (
                "they" if words.group("pr") == "their" else "she")
            person = self.r._pronoun(pronoun, self.base + ss + words.start(), self.base + ss)
            if person is not None:
                self._emit(ss, se, person, words.group(), "indirect", True, False)
                return
        for v in R.SPEECH_RE.finditer(sentence):
            at = ss + v.start()
            if self._inside_quote(at):
                continue
            by = re.match(r"\s+by\s+", seg[ss + v.end():])
            if by:
                ref = self._forward(ss + v.end() + by.end(), se)
                got = self._resolve(ref, ss) if ref is not None else None
                if got is not None and ref is not None:
                    person, anaphora, weak = got
                    self._emit(ss, se, person, seg[at:ref.start + len(ref.text)], "indirect",
                               anaphora, weak)
                    return
                continue
            if _PASSIVE_AUX.search(seg[max(ss, at - 30):at]):
                continue
            got2 = self._subject_before(at, ss)
            if got2 is None and v.group() in _PARTICIPLES and seg[ss:at].rstrip().endswith(","):
                got2 = self._opening_subject(ss, at)  # "Ushakov dismissed the plan, saying …"
            if got2 is None:
                pre = seg[ss:at].rstrip()
                if pre.endswith(",") and v.group() not in _NAME_ONLY_VERBS:
                    ref = self._forward(ss + v.end(), se)
                    got = self._resolve(ref, ss) if ref is not None else None
                    if got is not None and ref is not None:
                        person, anaphora, weak = got
                        self._emit(ss, se, person, seg[at:ref.start + len(ref.text)],
                                   "indirect", anaphora, weak)
                        return
                continue
            person, ref, anaphora, weak = got2
            if v.group() in _NAME_ONLY_VERBS and person.org:
                continue
            if v.group() in ("called", "asked") and not self._quote_in(ss, se) and \
                    not re.match(r"\s+(?:for|on|upon)\b", seg[ss + v.end():]):
                continue  # "Putin called Trump on Tuesday": a phone call, not a statement
            self._emit(ss, se, person, seg[ref.start:ss + v.end()], "indirect", anaphora, weak)
            return

    # -- subjects ---------------------------------------------------------------
    def _subject_before(self, verb_at: int, sentence_start: int, clause_floor: int | None = None
                        ) -> tuple[Person, _Ref, bool, bool] | None:
        """Who is the subject of the verb at ``verb_at``: the phrase just before it."""
        seg = self.seg
        end = verb_at
        floor = sentence_start if clause_floor is None else clause_floor
        appositive_role = ""
        for step in range(4):
            breaks = list(_BREAK.finditer(seg, floor, end))
            cstart = breaks[-1].end() if breaks else floor
            toks = _tokens(seg[cstart:end], cstart)
            while toks and toks[-1][0] in R.SKIPPABLE:
                toks.pop()
            if len(toks) >= 2 and toks[-1][0] == "to" and toks[-2][0] in _CONTINUE:
                del toks[-2:]  # "ISW continues to assess"
            brk = breaks[-1].group() if breaks else ""
            if not toks and brk == ")" and step == 0:
                acr = re.search(r"\(([A-Z]{2,6})\)\s*$", seg[floor:end])
                if acr:  # "The Institute for the Study of War (ISW) assessed"
                    ref = _Ref("group", acr.group(1), floor + acr.start(1), tokens=[acr.group(1)])
                    got = self._resolve(ref, sentence_start)
                    return (got[0], ref, got[1], got[2]) if got else None
            if brk == "," and toks and cstart > floor and (
                    toks[0][0] in _INDEF or toks[0][0] in R.ROLE_HEADS or
                    (toks[0][0] in _DETS and len(toks) > 1 and toks[1][0].lower() in R.ROLE_HEADS
                     and len(toks) > 3)):
                # "Andriy Kovalenko, head of the Center ..., said": past the appositive
                end = breaks[-1].start()
                continue
            first = toks[0][0] if toks else ""
            if step and brk == "," and cstart > floor and first[:1].islower() and first not in _KEEP \
                    and first.lower() not in R.ROLE_HEADS:
                end = breaks[-1].start()  # "Trump, speaking aboard Air Force One, said"
                continue
            if brk == "," and cstart > floor and seg[cstart:end].lstrip().startswith(
                    ("who ", "which ", "whose ")):
                end = breaks[-1].start()  # "X, who heads the ministry, said": past the clause
                continue
            if not toks:
                if brk == "," and cstart > floor:
                    end = breaks[-1].start()
                    continue
                return None
            ref = self._analyse(toks)
            if ref is None:
                return None
            if (ref.kind == "relative" or (ref.kind == "role" and brk == ",")) and cstart > floor \
                    and breaks and brk in (",", "which"):
                # "Oleksiy Polishchuk, who noted"; "Dmitry Peskov, the spokesman, said"
                if ref.kind == "role":
                    appositive_role = ref.text
                end = breaks[-1].start()
                prev = list(_BREAK.finditer(seg, floor, end))
                pstart = prev[-1].end() if prev else floor
                ptoks = _tokens(seg[pstart:end], pstart)
                pref = self._analyse(ptoks) if ptoks else None
                if pref is not None and pref.kind == "name":
                    pref.role = pref.role or re.sub(r"^(?:the|a|an)\s+", "", appositive_role)
                    got = self._resolve(pref, sentence_start)
                    if got is not None:
                        return got[0], pref, False, got[2]
                if ref.kind == "relative":
                    return None
            got = self._resolve(ref, sentence_start)
            if got is None:
                return None
            return got[0], ref, got[1], got[2]
        return None

    def _opening_subject(self, ss: int, limit: int) -> tuple[Person, _Ref, bool, bool] | None:
        """The subject that opens the sentence: its words up to the first lowercase one
        that is no role word ("Kremlin aide Yuriy Ushakov dismissed" -> Ushakov)."""
        toks = _tokens(self.seg[ss:limit], ss)
        taken = []
        for tok in toks:
            word = tok[0]
            if word[:1].islower() and word.lower() not in R.ROLE_HEADS and word not in \
                    _ROLE_WORDS and not (word in _KEEP and not taken):
                break
            taken.append(tok)
            if word in _KEEP:
                break
        if not taken or len(taken) == len(toks):
            return None
        ref = self._analyse(taken)
        if ref is None or ref.kind == "relative":
            return None
        got = self._resolve(ref, ss)
        if got is None or got[2]:  # "Prices rose, adding to the pressure": no one new
            return None
        return got[0], ref, got[1], got[2]

    def _forward(self, start: int, limit: int) -> _Ref | None:
        """The phrase after a verb or "according to": "said Peskov", "the ministry"."""
        seg = self.seg
        b = _BREAK.search(seg, start, limit)
        stop = re.search(r"[.!?]", seg[start:b.start() if b else limit])
        end = b.start() if b else limit
        if stop:
            end = start + stop.start()
        toks = _tokens(seg[start:end], start)[:7]
        if not toks:
            return None
        if toks[0][0] in R.PRONOUNS_M | R.PRONOUNS_F | R.PRONOUNS_PL:
            return _Ref("pronoun", toks[0][0], toks[0][1])
        # Take the phrase as far as it stays a name or a role: "Peskov on Monday" -> Peskov.
        taken = [toks[0]]
        for tok in toks[1:]:
            if _is_cap(tok[0]) or tok[0].lower() in R.ROLE_HEADS or tok[0].lower() in _ORGISH \
                    or tok[0] in ("of", "for") or (taken[-1][0] in ("the", "The") and tok[0].islower()) or taken[0][0] in ("the", "The") and len(taken) < 4 and tok[0].islower():
                taken.append(tok)
            else:
                break
        while taken and taken[-1][0] in ("of", "for", "the"):
            taken.pop()
        return self._analyse(taken)

    def _analyse(self, toks: list[tuple[str, int]]) -> _Ref | None:
        """What the phrase ending with ``toks[-1]`` names (its last words)."""
        if not toks:
            return None
        last, at = toks[-1]
        seg = self.seg
        if last in R.PRONOUNS_M or last in R.PRONOUNS_F or last in R.PRONOUNS_PL:
            return _Ref("pronoun", last, at)
        if last in R.RELATIVES:
            return _Ref("relative", last, at)
        if _is_cap(last):
            i = len(toks) - 1
            while i > 0:
                if _is_cap(toks[i - 1][0]):
                    i -= 1
                    continue
                k = i - 1  # across "of", "for the", "von der"
                while k >= 0 and (toks[k][0] in _LINKS or toks[k][0] in R.PARTICLES):
                    k -= 1
                if k >= 0 and k < i - 1 and i - 1 - k <= 2 and _is_cap(toks[k][0]):
                    i = k
                    continue
                break
            while i > 0 and toks[i - 1][0] in R.PARTICLES:  # "von der Leyen said"
                i -= 1
            j = i
            while j > 0 and (toks[j - 1][0].lower() in R.ROLE_HEADS or
                             toks[j - 1][0].lower() in ("deputy", "foreign", "former", "senior",
                                                        "chief", "press", "top", "prime") or
                             (j < i and _is_cap(toks[j - 1][0]))):
                j -= 1
            if i > 0 and toks[i - 1][0].endswith(("'s", "’s")):
                return None  # "Peskov's deputy Ivanov" is left to the analyst
            if j > 0 and toks[j - 1][0] in _PREPOSITIONS:
                return None  # "a resident of Kharkiv told": Kharkiv is not who spoke
            start = toks[j][1]
            return _Ref("name", seg[start:at + len(last)], start,
                        tokens=[t for t, _ in toks[i:]],
                        role=" ".join(t for t, _ in toks[j:i]))
        low = last.lower()
        if low in R.ROLE_HEADS or low in _ORGISH:
            i = len(toks) - 1
            while i > 0 and toks[i - 1][0] not in _DETS and toks[i - 1][0] not in _INDEF and (
                             toks[i - 1][0].lower() in R.ROLE_HEADS or _is_cap(toks[i - 1][0])
                             or toks[i - 1][0].islower() and toks[i - 1][0] not in
                             R.SKIPPABLE and i > len(toks) - 4
                             and toks[i - 1][0] not in ("the", "a", "an", "to", "in", "of")):
                i -= 1
            det = toks[i - 1][0] if i > 0 else ""
            start = toks[i][1]
            words = [t for t, _ in toks[i:]]
            if det in _DETS:
                start = toks[i - 1][1]
                return _Ref("group" if low in R.GROUP_HEADS else "org" if low in _ORGISH else "role",
                            seg[start:at + len(last)], start, tokens=words)
            if any(_is_cap(w) for w in words[:-1]) and (low in R.GROUP_HEADS or low in _ORGISH):
                return _Ref("group", seg[start:at + len(last)], start, tokens=words)
        return None

    def _resolve(self, ref: _Ref, sentence_start: int) -> tuple[Person, bool, bool] | None:
        """``(person, by anaphora, weak)`` for a subject phrase; None when nobody fits."""
        r = self.r
        pos = self.base + ref.start
        if ref.kind == "pronoun":
            p = r._pronoun(ref.text, pos, self.base + sentence_start)
            return (p, True, False) if p is not None else None
        if ref.kind in ("group", "org"):
            words = [w for w in ref.tokens if w not in ("the", "The")]
            low = words[-1].lower()
            if low == "kremlin":
                return r._person("Kremlin", org=True), False, False
            caps = [w for w in words if _is_cap(w)]
            if caps:
                for w in caps:
                    known = r.people.get(w.lower())
                    if known is not None and known.org:
                        return known, False, False
                if low in _ORGISH and len(words) > 1:
                    return r._person(" ".join(words), org=True), False, False
            p = r._org_like(words, pos)
            return (p, False, False) if p is not None else None
        if ref.kind == "role":
            head = ref.tokens[-1].lower()
            p = r._by_role(head, pos)
            return (p, True, False) if p is not None else None
        if ref.kind != "name":
            return None
        run_role, name, is_org = split_name(list(ref.tokens))
        role = " ".join(x for x in (ref.role, run_role) if x)
        if is_org:
            return (r._person(name, org=True), False, False) if name else None
        words = name.split()
        if not words:
            if role:
                p = r._by_role(role.split()[-1].lower(), pos)
                return (p, True, False) if p is not None else None
            return None
        if len(words) == 1 and words[0] in R.KNOWN_BODIES:
            body = r._person(R.KNOWN_BODIES[words[0]], org=True)
            r.people.setdefault(fold(words[0]), body)
            return body, False, False
        if len(words) == 1:
            known = r.people.get(fold(words[0]))
            if known is not None:
                return known, False, False
            if r.registry.lookup(name)[0] is not None:
                return r._person(name, role), False, False
            if R.ACRONYM.fullmatch(name) or name.endswith(("'s", "’s")):
                return None
            person = r._person(name, role)
            return person, False, not person.speaker_id
        return r._person(name, role), False, False


_DETS = frozenset(["the", "The", "this", "This", "that", "That"])
_LINKS = frozenset(["of", "for", "the", "and"])
_INDEF = frozenset(["a", "A", "an", "An", "one", "One", "another", "Another"])
_KEEP = (R.PRONOUNS_M | R.PRONOUNS_F | R.PRONOUNS_PL | R.RELATIVES
         | frozenset(["the", "a", "an", "this", "that", "one", "another"]))
_PREPOSITIONS = frozenset(["of", "from", "in", "at", "for", "with", "by", "to", "on", "near",
                           "about", "against", "over", "under", "into"])
_FOOTNOTE_END = re.compile(r"[.!?][\"”’»)]*(?:\[\d{1,3}\])+(?=\s+\S)")
_THIS_IS_STATED = re.compile(
    r"(?:This|That|It|This was|That was)\s+(?:is|was|has\s+been)\s+(?P<verb>stated|said|reported|"
    r"noted|written|claimed|announced|assessed)\s+(?:in|by)\s+(?:(?:a|an|the)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:of|by|from)\s+)?"
)
_PARTICIPLES = frozenset(["saying", "adding", "noting", "stressing", "warning", "arguing",
                          "insisting", "claiming", "explaining", "telling", "stating"])
_ROLE_WORDS = frozenset(["foreign", "policy", "deputy", "press", "senior", "chief", "former",
                         "defence", "defense", "security", "national", "presidential", "top"])
