"""The attribution gold set: our own fictional briefings and statements of the samples.

Each ``tests/gold/*.txt`` briefing marks its statements inline as
``{{Speaker|kind|statement}}`` and names aliases on a ``# speakers:`` line
(``Name = alias | alias; Name2 = alias``); both are removed before the text is read, so
the reading text is the briefing as an analyst would import it. ``samples.tsv`` names
statements of ``sample_briefings/`` by a piece of their text. :func:`score` counts a
proposal as right when its span overlaps a gold statement and its speaker is the gold
speaker or one of their aliases (folded), as the issue defines it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefing_tui.core.attribution import KINDS, Proposal, propose
from briefing_tui.core.document import Document, parse_source, parse_text
from briefing_tui.core.speakers import fold

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parents[1] / "sample_briefings"
_MARK = re.compile(r"\{\{([^|{}]+)\|(\w+)\|")


@dataclass(frozen=True)
class Statement:
    start: int
    end: int
    speaker: str
    kind: str
    names: frozenset[str]  # folded speaker name and aliases


@dataclass
class GoldBriefing:
    name: str
    doc: Document
    title: str
    statements: list[Statement] = field(default_factory=list)


def _aliases(line: str) -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for part in line.split(":", 1)[1].split(";"):
        if "=" not in part:
            continue
        name, alias_text = part.split("=", 1)
        names = {fold(name)} | {fold(a) for a in alias_text.split("|") if a.strip()}
        out[fold(name)] = frozenset(names)
    return out


def parse_marked(name: str, marked: str) -> GoldBriefing:
    """A briefing with inline marks -> its document and statements."""
    lines = marked.split("\n")
    aliases: dict[str, frozenset[str]] = {}
    kept: list[str] = []
    skip_blank = False
    for line in lines:
        if line.startswith("# speakers:"):
            aliases, skip_blank = _aliases(line), True
            continue
        if skip_blank and not line.strip():
            skip_blank = False
            continue
        skip_blank = False
        kept.append(line)
    src = "\n".join(kept)
    out, found = [], []
    pos = 0
    length = 0
    while True:
        m = _MARK.search(src, pos)
        if m is None:
            out.append(src[pos:])
            break
        out.append(src[pos:m.start()])
        length += m.start() - pos
        close = src.index("}}", m.end())
        body = src[m.end():close]
        out.append(body)
        speaker, kind = m.group(1).strip(), m.group(2)
        assert kind in KINDS, (name, kind)
        names = aliases.get(fold(speaker), frozenset()) | {fold(speaker)}
        found.append(Statement(length, length + len(body), speaker, kind, frozenset(names)))
        length += len(body)
        pos = close + 2
    text = "".join(out).rstrip("\n")
    doc = parse_text(text)
    assert doc.text == text, name
    title = text.split("\n", 1)[0]
    return GoldBriefing(name, doc, title, found)


def load() -> list[GoldBriefing]:
    """Every gold briefing, ours and the samples'."""
    briefings = [parse_marked(p.name, p.read_text(encoding="utf-8"))
                 for p in sorted(HERE.glob("*.txt"))]
    by_file: dict[str, GoldBriefing] = {}
    for row in (HERE / "samples.tsv").read_text(encoding="utf-8").splitlines():
        if not row.strip() or row.startswith("#"):
            continue
        fname, speaker, aliases, kind, piece = row.split("\t")
        piece = piece.replace("\\n", "\n")
        if fname not in by_file:
            path = SAMPLES / fname
            fmt = "markdown" if path.suffix == ".md" else "text"
            meta, doc = parse_source(path.read_text(encoding="utf-8"), fmt)
            by_file[fname] = GoldBriefing(fname, doc, meta.get("title", ""))
        gb = by_file[fname]
        at = gb.doc.text.find(piece)
        if at < 0:  # soft line breaks of Markdown: match across them
            at = gb.doc.text.replace("\n", " ").find(piece.replace("\n", " "))
        assert at >= 0, (fname, piece)
        names = frozenset({fold(speaker)} | {fold(a) for a in aliases.split("|") if a.strip()})
        gb.statements.append(Statement(at, at + len(piece), speaker, kind, names))
    return briefings + list(by_file.values())


@dataclass
class Score:
    """Counts by kind: precision by the proposal's kind, recall by the gold kind."""

    proposed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    gold: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    found: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def precision(self, kind: str | None = None) -> float:
        kinds = [kind] if kind else list(KINDS)
        n = sum(self.proposed[k] for k in kinds)
        return sum(self.right[k] for k in kinds) / n if n else 1.0

    def recall(self, kind: str | None = None) -> float:
        kinds = [kind] if kind else list(KINDS)
        n = sum(self.gold[k] for k in kinds)
        return sum(self.found[k] for k in kinds) / n if n else 1.0

    def table(self) -> str:
        rows = [f"{'kind':<10} {'gold':>5} {'proposed':>9} {'precision':>10} {'recall':>7}"]
        for k in [*KINDS, None]:
            rows.append(f"{k or 'all':<10} {sum(self.gold.values()) if k is None else self.gold[k]:>5} "
                        f"{sum(self.proposed.values()) if k is None else self.proposed[k]:>9} "
                        f"{self.precision(k):>10.3f} {self.recall(k):>7.3f}")
        return "\n".join(rows)


def _hits(p: Proposal, s: Statement) -> bool:
    return p.start < s.end and s.start < p.end and fold(p.speaker) in s.names


def score(briefings: Sequence[GoldBriefing]) -> Score:
    sc = Score()
    for gb in briefings:
        proposals = propose(gb.doc, [], gb.title)
        for s in gb.statements:
            sc.gold[s.kind] += 1
            if any(_hits(p, s) for p in proposals):
                sc.found[s.kind] += 1
            else:
                sc.misses.append(f"{gb.name}: {s.speaker} [{s.kind}] "
                                 f"{gb.doc.text[s.start:s.end][:70]!r}")
        for p in proposals:
            sc.proposed[p.kind] += 1
            if any(_hits(p, s) for s in gb.statements):
                sc.right[p.kind] += 1
            else:
                sc.wrong.append(f"{gb.name}: {p.speaker} [{p.kind}] cue={p.cue!r} "
                                f"{gb.doc.text[p.start:p.end][:70]!r}")
    return sc
