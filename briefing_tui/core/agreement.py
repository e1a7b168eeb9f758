"""Agreement between two analysts who coded the same briefings (``briefing-tui agreement``).

Units are the sentences (:attr:`Document.sentences`) of the briefings both coded: the same
briefing (UUID, else content hash) with the same text, and at least one highlight on each
side. A sentence is *coded* by an analyst when their highlights cover more than half of
its characters; its speaker and stance are those of the highlight covering most of it.
Fields:

- ``highlighted``: coded or not, on every unit;
- ``speaker`` and ``stance``: on the units both coded (a missing speaker or stance is a
  value of its own, "—"). Speakers compare as in a merge: the same UUID, or a folded name
  or alias in common, is the same person.

Per field: the number of units, percent agreement, Cohen's kappa (computed here) and
Krippendorff's alpha, nominal (the ``krippendorff`` package, an optional dependency:
``pip install 'briefing-tui[team]'``; imported only when alpha is computed, so starting the
app never loads it or numpy). A statistic that is undefined (every unit got one same value)
is None.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from briefing_tui.core.document import Document
from briefing_tui.core.errors import StoreError
from briefing_tui.core.models import ANCHORED
from briefing_tui.core.speakers import fold

__all__ = ["FIELDS", "AgreementReport", "agreement", "agreement_within", "analysts",
           "cohen_kappa", "krippendorff_alpha", "percent_agreement"]

FIELDS = ("highlighted", "speaker", "stance")
NONE = "—"  # a coded sentence without a speaker or stance
YES, NO = "yes", "no"
ALPHA_MISSING = ("Krippendorff's alpha needs the optional package:"
                 " `pip install 'briefing-tui[team]'`.")


# --------------------------------------------------------------------------- statistics


def percent_agreement(a: Sequence[str], b: Sequence[str]) -> float | None:
    """Share of units (0-100) on which both gave the same value; None without units.

    >>> percent_agreement(["x", "y"], ["x", "x"])
    50.0
    """
    if not a:
        return None
    return 100.0 * sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float | None:
    """Cohen's kappa of two coders' values on the same units: (p_o - p_e) / (1 - p_e).

    Wikipedia's example (50 proposals: 20 both yes, 15 both no, 5 and 10 split) gives 0.4:

    >>> a = ["y"] * 20 + ["y"] * 5 + ["n"] * 10 + ["n"] * 15
    >>> b = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    >>> round(cohen_kappa(a, b), 6)
    0.4
    """
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    count_a, count_b = Counter(a), Counter(b)
    expected = sum(count_a[k] * count_b[k] for k in count_a) / (n * n)
    if expected >= 1.0:
        return None  # one value throughout: chance explains everything
    return (observed - expected) / (1.0 - expected)


def krippendorff_alpha(rows: Sequence[Sequence[str | None]]) -> float | None:
    """Krippendorff's alpha, nominal, of ``rows`` (one per coder, None = no value), by the
    ``krippendorff`` package; None when it is undefined or the package is not installed."""
    try:
        import krippendorff  # brings numpy: only here, never at start-up
    except ImportError:
        return None
    values = sorted({v for row in rows for v in row if v is not None})
    if len(values) < 2:
        return None
    code = {v: float(i) for i, v in enumerate(values)}
    data = [[math.nan if v is None else code[v] for v in row] for row in rows]
    try:
        return float(krippendorff.alpha(reliability_data=data,
                                        level_of_measurement="nominal"))
    except (ValueError, ZeroDivisionError):
        return None


def alpha_available() -> bool:
    """Whether Krippendorff's alpha can be computed here (the optional package)."""
    import importlib.util

    return importlib.util.find_spec("krippendorff") is not None


# --------------------------------------------------------------------------- the report


@dataclass(frozen=True)
class FieldAgreement:
    """The statistics of one field."""

    field: str
    units: int
    percent: float | None
    kappa: float | None
    alpha: float | None


@dataclass(frozen=True)
class Disagreement:
    """One sentence the two analysts coded differently (raw text: escape to show)."""

    briefing: str
    sentence: str
    fields: tuple[str, ...]
    a: dict[str, str]
    b: dict[str, str]


@dataclass
class AgreementReport:
    """What ``agreement`` reports."""

    analyst_a: str
    analyst_b: str
    briefings: list[str] = field(default_factory=list)  # titles
    units: int = 0
    fields: list[FieldAgreement] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    alpha_available: bool = True

    def to_json(self) -> str:
        """The report as JSON, ASCII only: every control is a \\uXXXX escape (safe to print)."""
        return json.dumps(asdict(self), ensure_ascii=True, indent=2)

    def to_markdown(self) -> str:
        """The report as Markdown, ready to discuss (data text escaped for Markdown)."""
        from briefing_tui.core.export import escape_markdown_inline as esc

        a, b = esc(self.analyst_a, single_line=True), esc(self.analyst_b, single_line=True)
        out = [f"# Agreement: {a} and {b}", "",
               f"{len(self.briefings)} briefings coded by both, {self.units} sentences.", "",
               "| field | units | agreement | Cohen's kappa | Krippendorff's alpha |",
               "| --- | ---: | ---: | ---: | ---: |"]
        for f in self.fields:
            out.append(f"| {f.field} | {f.units} | {_num(f.percent, '%.1f%%')} |"
                       f" {_num(f.kappa)} | {_num(f.alpha)} |")
        if not self.alpha_available:
            out += ["", ALPHA_MISSING]
        out += ["", f"## Disagreements ({len(self.disagreements)})", ""]
        if not self.disagreements:
            out.append("None.")
        for d in self.disagreements:
            said_a = "; ".join(f"{k}: {esc(v, single_line=True)}" for k, v in d.a.items())
            said_b = "; ".join(f"{k}: {esc(v, single_line=True)}" for k, v in d.b.items())
            out.append(f"- *{esc(d.briefing, single_line=True)}*:"
                       f" “{esc(d.sentence, single_line=True)}”")
            out.append(f"  - {a}: {said_a}")
            out.append(f"  - {b}: {said_b}")
        return "\n".join(out) + "\n"


def _num(value: float | None, fmt: str = "%.3f") -> str:
    return "n/a" if value is None else fmt % value


# --------------------------------------------------------------------------- coding


@dataclass(frozen=True)
class _Side:
    """One analyst's database, read-only."""

    conn: sqlite3.Connection
    name: str  # the file's stem: the analyst's name when the highlights do not say
    analyst: str | None = None  # only this analyst's highlights (a merged database)


def _speaker_labels(a: sqlite3.Connection, b: sqlite3.Connection) -> tuple[dict[str, str],
                                                                              dict[str, str]]:
    """Speaker id -> a label both sides share for the same person (A's name)."""
    a_rows = a.execute("SELECT id, name, aliases FROM speakers ORDER BY name_key, id").fetchall()
    labels_a = {sid: name for sid, name, _ in a_rows}
    keys: dict[str, str] = {}
    for _sid, name, _aliases in a_rows:
        keys.setdefault(fold(name), name)
    for _sid, name, aliases in a_rows:
        for alias in json.loads(aliases):
            keys.setdefault(fold(alias), name)
    labels_b = {}
    for sid, name, aliases in b.execute("SELECT id, name, aliases FROM speakers"):
        label = labels_a.get(sid)
        if label is None:
            label = next((keys[fold(n)] for n in [name, *json.loads(aliases)]
                          if fold(n) in keys), name)
        labels_b[sid] = label
    return labels_a, labels_b


def _coding(conn: sqlite3.Connection, briefing_id: str, sentences: list[tuple[int, int]],
            speakers: dict[str, str], analyst: str | None) -> list[dict[str, str] | None]:
    """Per sentence: None (not coded) or the coding's speaker and stance (only the
    highlights ``analyst`` made, when given)."""
    stances = dict(conn.execute("SELECT id, name FROM stances").fetchall())
    by = "" if analyst is None else " AND created_by = ?"
    highlights = conn.execute(
        'SELECT "start", "end", speaker_id, stance_id FROM highlights'
        f' WHERE briefing_id = ? AND status = ?{by} ORDER BY "start"',
        (briefing_id, ANCHORED, *(() if analyst is None else (analyst,)))).fetchall()
    out: list[dict[str, str] | None] = []
    for s_start, s_end in sentences:
        covered: list[tuple[int, int]] = []
        best, best_overlap = None, 0
        for start, end, speaker_id, stance_id in highlights:
            if start >= s_end:
                break
            lo, hi = max(start, s_start), min(end, s_end)
            if lo < hi:
                covered.append((lo, hi))
                if hi - lo > best_overlap:
                    best, best_overlap = (speaker_id, stance_id), hi - lo
        length, union, reach = s_end - s_start, 0, s_start
        for lo, hi in sorted(covered):
            lo = max(lo, reach)
            if hi > lo:
                union += hi - lo
                reach = hi
        if best is None or union * 2 <= length:
            out.append(None)
            continue
        out.append({"speaker": speakers.get(best[0] or "", NONE),
                    "stance": stances.get(best[1] or "", NONE)})
    return out


def _analyst(conn: sqlite3.Connection, briefing_ids: list[str], fallback: str) -> str:
    """Whose file it is: who changed most of its highlights last (a file copied from a
    colleague's still holds their untouched highlights), else the file's name."""
    marks = ", ".join("?" for _ in briefing_ids)
    row = conn.execute(
        f"SELECT updated_by, count(*) AS n FROM highlights WHERE briefing_id IN ({marks})"
        " AND updated_by <> '' GROUP BY updated_by ORDER BY n DESC, updated_by LIMIT 1",
        briefing_ids).fetchone() if briefing_ids else None
    return row[0] if row else fallback


def agreement(path_a: str | Path, path_b: str | Path, *,
              briefing: str | None = None) -> AgreementReport:
    """Agreement of the analysts of two databases (see the module docstring); each file is
    opened read-only. ``briefing``: only the briefings whose id starts with it or whose
    title holds it (ignoring case)."""
    from briefing_tui.core.merge import open_other

    conn_a, conn_b = open_other(path_a), open_other(path_b)
    try:
        return _agreement(_Side(conn_a, Path(path_a).stem), _Side(conn_b, Path(path_b).stem),
                          briefing)
    finally:
        conn_a.close()
        conn_b.close()


def analysts(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """The analysts who made highlights in one database, most highlights first."""
    return [(r[0], r[1]) for r in conn.execute(
        "SELECT created_by, count(*) AS n FROM highlights WHERE created_by <> ''"
        " GROUP BY created_by ORDER BY n DESC, created_by")]


def agreement_within(conn: sqlite3.Connection, analyst_a: str, analyst_b: str, *,
                     briefing: str | None = None) -> AgreementReport:
    """Agreement of two analysts whose highlights one (merged) database holds, each
    analyst's being the highlights they made (``created_by``)."""
    return _agreement(_Side(conn, analyst_a, analyst_a), _Side(conn, analyst_b, analyst_b),
                      briefing)


def _coded(side: _Side) -> tuple[str, tuple[str, ...]]:
    if side.analyst is None:
        return "EXISTS (SELECT 1 FROM highlights h WHERE h.briefing_id = b.id)", ()
    sql = "EXISTS (SELECT 1 FROM highlights h WHERE h.briefing_id = b.id AND h.created_by = ?)"
    return sql, (side.analyst,)


def _pairs(side_a: _Side, side_b: _Side, briefing: str | None) -> list[tuple[str, str, str]]:
    """(A's id, B's id, title) of the briefings both hold in the same text and both coded."""
    conn_a, conn_b = side_a.conn, side_b.conn
    coded, params = _coded(side_b)
    b_rows = conn_b.execute(f"SELECT id, content_hash FROM briefings b WHERE {coded}"
                            " AND deleted_at IS NULL", params).fetchall()
    b_by_id = dict(b_rows)
    b_by_hash = {h: i for i, h in b_rows if h}
    out = []
    coded, params = _coded(side_a)
    for aid, title, content_hash in conn_a.execute(
            f"SELECT id, title, content_hash FROM briefings b WHERE {coded}"
            " AND deleted_at IS NULL ORDER BY title, id", params):
        if briefing and not (aid.startswith(briefing)
                             or briefing.casefold() in title.casefold()):
            continue
        bid = aid if b_by_id.get(aid) == content_hash else b_by_hash.get(content_hash)
        if bid is not None:
            out.append((aid, bid, title))
    return out


def _document(conn: sqlite3.Connection, briefing_id: str) -> Document:
    text, blob, fmt = conn.execute(
        "SELECT t.reading_text, t.doc_blob, b.fmt FROM briefing_texts t JOIN briefings b"
        " ON b.id = t.briefing_id WHERE b.id = ?", (briefing_id,)).fetchone()
    if blob is None:
        from briefing_tui.core.document import parse_text

        return parse_text(text)
    return Document.from_blob(text, blob, fmt)


def _agreement(side_a: _Side, side_b: _Side, briefing: str | None) -> AgreementReport:
    conn_a, conn_b = side_a.conn, side_b.conn
    pairs = _pairs(side_a, side_b, briefing)
    if briefing and not pairs:
        raise StoreError(f"no briefing matching {briefing!r} was coded by both")
    labels_a, labels_b = _speaker_labels(conn_a, conn_b)
    name_a = side_a.analyst or _analyst(conn_a, [p[0] for p in pairs], side_a.name)
    name_b = side_b.analyst or _analyst(conn_b, [p[1] for p in pairs], side_b.name)
    if name_a == name_b:
        name_a, name_b = f"{name_a} ({side_a.name})", f"{name_b} ({side_b.name})"
    report = AgreementReport(name_a, name_b, alpha_available=alpha_available())
    values: dict[str, tuple[list[str], list[str]]] = {f: ([], []) for f in FIELDS}
    for aid, bid, title in pairs:
        document = _document(conn_a, aid)
        sentences = list(document.sentences)
        coded_a = _coding(conn_a, aid, sentences, labels_a, side_a.analyst)
        coded_b = _coding(conn_b, bid, sentences, labels_b, side_b.analyst)
        report.briefings.append(title)
        report.units += len(sentences)
        for (start, end), ca, cb in zip(sentences, coded_a, coded_b, strict=True):
            said_a = {"highlighted": YES if ca else NO, **(ca or {})}
            said_b = {"highlighted": YES if cb else NO, **(cb or {})}
            values["highlighted"][0].append(said_a["highlighted"])
            values["highlighted"][1].append(said_b["highlighted"])
            differs = ["highlighted"] if bool(ca) != bool(cb) else []
            if ca and cb:
                for name in ("speaker", "stance"):
                    values[name][0].append(ca[name])
                    values[name][1].append(cb[name])
                    if ca[name] != cb[name]:
                        differs.append(name)
            if differs:
                report.disagreements.append(Disagreement(
                    title, document.text[start:end], tuple(differs), said_a, said_b))
    for name in FIELDS:
        a, b = values[name]
        report.fields.append(FieldAgreement(name, len(a), percent_agreement(a, b),
                                            cohen_kappa(a, b),
                                            krippendorff_alpha([a, b]) if a else None))
    return report
