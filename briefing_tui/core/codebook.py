"""The codebook: the stance label set, the speakers and the topics, in and out of a file.

A team lead hands one codebook to every analyst before they start, so their databases
name the same things the same way and merge cleanly. Two formats, chosen by the file's
suffix:

- ``.toml``: readable and hand-editable (:func:`to_toml` writes it, :mod:`tomllib` reads it);
- ``.qdc``: the REFI-QDA codebook (XML, namespace ``urn:QDA-XML:codebook:1.0``) that NVivo,
  ATLAS.ti, MAXQDA and QualCoder exchange: speakers, stances and topics are codes in three
  groups; a stance's hotkey and a speaker's role, affiliation and aliases are lines of the
  code's ``Description`` (``Hotkey: 3``, ``Role: ...``, ``Affiliation: ...``, ``Alias: ...``).
  Codes outside those groups (another tool's own codebook) come in as topics.

Importing (:func:`import_codebook`) merges by name (and alias, for speakers) and never
deletes: what is new is added, what differs is reported as a clash and the database's
value kept (a hotkey taken by another label: the new label gets a free one). One undo step
of the library ("import codebook"). Text read from a codebook is somebody else's: names,
roles and descriptions pass through :func:`~briefing_tui.core.safetext.safe_line`.

>>> from briefing_tui.core.store import Store
>>> store = Store(tmp_path / "a.db")
>>> book = from_toml(to_toml(codebook_of(store)))
>>> [s.name for s in book.stances]
['supports', 'opposes', 'conditional', 'neutral']
>>> import_codebook(store, book).added
[]
>>> store.close()
"""

from __future__ import annotations

import json
import re
import tomllib
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing_tui import __version__
from briefing_tui.core.errors import ImportRefused
from briefing_tui.core.safetext import safe_display, safe_line
from briefing_tui.core.schema import DEFAULT_STANCES, new_id, now_iso

__all__ = ["FORMATS", "QDC_NS", "Codebook", "CodebookError", "CodebookSpeaker",
           "CodebookStance", "ImportReport", "codebook_of", "from_qdc", "from_toml",
           "import_codebook", "read_codebook", "render_codebook", "to_qdc", "to_toml",
           "xml_text"]

QDC_NS = "urn:QDA-XML:codebook:1.0"
FORMATS = (".toml", ".qdc")
TOML_KIND = "briefing-tui codebook"
HOTKEYS = range(1, 10)
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
# The three groups of a .qdc, with fixed guids (the same codebook gives the same bytes).
_GROUPS = {name: str(uuid.uuid5(uuid.NAMESPACE_URL, f"briefing-tui:codebook:{name}"))
           for name in ("Stances", "Speakers", "Topics")}


class CodebookError(ImportRefused):
    """The file is not a codebook (or not one we can read); the message is one line."""


@dataclass(frozen=True)
class CodebookStance:
    """A stance label: its name, hotkey (1-9; None: any free one), colour, description."""

    name: str
    hotkey: int | None = None
    colour: str = "#888888"
    description: str = ""


@dataclass(frozen=True)
class CodebookSpeaker:
    """A speaker: name, role, affiliation and aliases."""

    name: str
    role: str = ""
    affiliation: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Codebook:
    """What a codebook file holds."""

    stances: tuple[CodebookStance, ...] = ()
    speakers: tuple[CodebookSpeaker, ...] = ()
    topics: tuple[str, ...] = ()


@dataclass
class ImportReport:
    """What :func:`import_codebook` did: one line per thing added, changed or clashing."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    clashes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Every line, each safe for a terminal."""
        return [safe_line(line) for line in
                [f"added {a}" for a in self.added] + [f"updated {u}" for u in self.updated]
                + [f"clash: {c}" for c in self.clashes]]

    def summary(self) -> str:
        """One line: how many were added, updated, clashed."""
        return (f"{len(self.added)} added, {len(self.updated)} updated,"
                f" {len(self.clashes)} clash{'es' if len(self.clashes) != 1 else ''}")


# --------------------------------------------------------------------------- reading the store

def codebook_of(store: Any) -> Codebook:
    """The database's codebook: stances by hotkey, speakers by name, topics sorted."""
    return Codebook(
        stances=tuple(CodebookStance(s.name, s.key, s.color, s.description)
                      for s in store.stances()),
        speakers=tuple(CodebookSpeaker(s.name, s.role, s.affiliation, tuple(s.aliases))
                       for s in store.speakers()),
        topics=tuple(store.topics()),
    )


# --------------------------------------------------------------------------- TOML

def _toml_str(text: str) -> str:
    """A TOML basic string holding exactly ``text``; every control and bidi/format
    character is an escape, so the file is inert in a terminal and lossless."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif (code < 0x20 or 0x7F <= code <= 0x9F or 0x2028 <= code <= 0x202E
              or 0x2066 <= code <= 0x206F or 0xFFF9 <= code <= 0xFFFB):
            out.append(f"\\u{code:04x}")
        elif 0xD800 <= code <= 0xDFFF:  # a lone surrogate cannot be written as UTF-8
            out.append("\\ufffd")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def to_toml(book: Codebook) -> str:
    """The codebook as TOML: stances as ``[[stance]]``, speakers as ``[[speaker]]``, and
    ``topics`` as a list at the top.

    >>> print(to_toml(Codebook(topics=("ceasefire",))).splitlines()[4])
    topics = ["ceasefire"]
    """
    out = ["# briefing-tui codebook: the stance labels, speakers and topics of a project.",
           "# Edit freely; `briefing-tui codebook import FILE` merges it into a database",
           "# (by name; nothing is deleted).",
           f"kind = {_toml_str(TOML_KIND)}",
           "topics = [" + ", ".join(_toml_str(t) for t in book.topics) + "]"]
    for s in book.stances:
        out += ["", "[[stance]]", f"name = {_toml_str(s.name)}"]
        if s.hotkey is not None:
            out.append(f"hotkey = {s.hotkey}")
        out += [f"colour = {_toml_str(s.colour)}", f"description = {_toml_str(s.description)}"]
    for sp in book.speakers:
        out += ["", "[[speaker]]", f"name = {_toml_str(sp.name)}",
                f"role = {_toml_str(sp.role)}", f"affiliation = {_toml_str(sp.affiliation)}",
                "aliases = [" + ", ".join(_toml_str(a) for a in sp.aliases) + "]"]
    return "\n".join(out) + "\n"


def from_toml(text: str) -> Codebook:
    """Read a TOML codebook; :class:`CodebookError` when it is not one."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CodebookError(f"not a codebook: {exc}") from None
    if not any(key in data for key in ("stance", "speaker", "topics")):
        raise CodebookError("not a codebook: no stance, speaker or topics in it")
    stances = [_stance(entry, i) for i, entry in enumerate(_table_list(data, "stance"))]
    speakers = [_speaker_entry(entry, i) for i, entry in enumerate(_table_list(data, "speaker"))]
    topics = data.get("topics", [])
    if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
        raise CodebookError("not a codebook: topics must be a list of strings")
    return Codebook(tuple(stances), tuple(speakers), tuple(topics))


def _table_list(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise CodebookError(f"not a codebook: {key} must be [[{key}]] tables")
    return value


def _text(entry: dict[str, Any], key: str, what: str) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str):
        raise CodebookError(f"not a codebook: {what}: {key} must be a string")
    return value


def _stance(entry: dict[str, Any], i: int) -> CodebookStance:
    name = _text(entry, "name", f"stance {i + 1}")
    what = f"stance {name!r}" if name else f"stance {i + 1}"
    if not name.strip():
        raise CodebookError(f"not a codebook: {what} has no name")
    hotkey = entry.get("hotkey")
    if hotkey is not None and (not isinstance(hotkey, int) or isinstance(hotkey, bool)
                               or hotkey not in HOTKEYS):
        raise CodebookError(f"not a codebook: {what}: hotkey must be 1 to 9")
    colour = _text(entry, "colour", what) or _text(entry, "color", what) or "#888888"
    if not _COLOUR.fullmatch(colour):
        raise CodebookError(f"not a codebook: {what}: colour must be #rrggbb")
    return CodebookStance(name, hotkey, colour.lower(), _text(entry, "description", what))


def _speaker_entry(entry: dict[str, Any], i: int) -> CodebookSpeaker:
    name = _text(entry, "name", f"speaker {i + 1}")
    what = f"speaker {name!r}" if name else f"speaker {i + 1}"
    if not name.strip():
        raise CodebookError(f"not a codebook: {what} has no name")
    aliases = entry.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise CodebookError(f"not a codebook: {what}: aliases must be a list of strings")
    return CodebookSpeaker(name, _text(entry, "role", what), _text(entry, "affiliation", what),
                           tuple(aliases))


# --------------------------------------------------------------------------- REFI-QDA .qdc

# XML 1.0 allows tab, newline and carriage return of the C0 controls and nothing of
# U+FFFE/U+FFFF or lone surrogates; safe_display shows the rest (and DEL, C1, bidi) as
# placeholders, one character for one, so offsets into a text stay what they were.
_XML_BAD = re.compile("[\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` fit for XML 1.0 and inert in a terminal: controls (but tab and newline) and
    bidi/format characters as one-character placeholders, a carriage return too.

    >>> xml_text("a\\x1b[2Jb\\x00\\ufffe")
    'a␛[2Jb␀�'
    """
    return _XML_BAD.sub("\ufffd", safe_display(text))


def _code(parent: ET.Element, guid: str, name: str, *, codable: bool, colour: str | None = None,
          description: str = "") -> ET.Element:
    attrs = {"guid": guid, "name": xml_text(name), "isCodable": "true" if codable else "false"}
    if colour:
        attrs["color"] = colour
    code = ET.SubElement(parent, f"{{{QDC_NS}}}Code", attrs)
    if description:
        ET.SubElement(code, f"{{{QDC_NS}}}Description").text = xml_text(description)
    return code


def _guid(group: str, name: str) -> str:
    """A stable guid for a codebook entry without a database id (a name in a group)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"briefing-tui:{group}:{xml_text(name)}"))


def _speaker_description(sp: CodebookSpeaker) -> str:
    lines = [f"Role: {sp.role}"] if sp.role else []
    if sp.affiliation:
        lines.append(f"Affiliation: {sp.affiliation}")
    lines += [f"Alias: {a}" for a in sp.aliases]
    return "\n".join(" ".join(line.split()) for line in lines)


def codebook_codes(book: Codebook, ns: str = QDC_NS,
                   guid: Callable[[str, str], str] | None = None) -> ET.Element:
    """The ``Codes`` element of ``book`` (in namespace ``ns``: the project file reuses it).

    ``guid(group, name)`` gives a code's guid (group "stance", "speaker" or "topic";
    a speaker's name folded); by default one made from the name, so the same codebook
    gives the same bytes.
    """
    guid = guid or _guid
    codes = ET.Element(f"{{{ns}}}Codes")
    groups = {}
    for name, what in (("Stances", "briefing-tui stance labels"),
                       ("Speakers", "briefing-tui speakers: who said it"),
                       ("Topics", "briefing-tui topics")):
        groups[name] = _code(codes, _GROUPS[name], name, codable=False, description=what)
    for s in book.stances:
        description = "\n".join(x for x in (" ".join(s.description.split()),
                                            f"Hotkey: {s.hotkey}" if s.hotkey else "") if x)
        _code(groups["Stances"], guid("stance", s.name), s.name, codable=True,
              colour=s.colour if _COLOUR.fullmatch(s.colour) else None, description=description)
    for sp in book.speakers:
        _code(groups["Speakers"], guid("speaker", sp.name.casefold()), sp.name, codable=True,
              description=_speaker_description(sp))
    for t in book.topics:
        _code(groups["Topics"], guid("topic", t), t, codable=True)
    if ns != QDC_NS:
        for element in codes.iter():
            element.tag = element.tag.replace(f"{{{QDC_NS}}}", f"{{{ns}}}")
    return codes


def to_qdc(book: Codebook) -> str:
    """The codebook as a REFI-QDA codebook (``.qdc``) XML document."""
    root = ET.Element(f"{{{QDC_NS}}}CodeBook", {"origin": f"briefing-tui {__version__}"})
    root.append(codebook_codes(book))
    return xml_document(root, QDC_NS)


def _escape(text: str, attribute: bool) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\r", "&#13;")
    if attribute:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text


def xml_document(root: ET.Element, ns: str) -> str:
    """``root`` as an XML document whose elements are all in namespace ``ns`` (the
    default namespace: no prefixes), indented; attribute order as given.

    ElementTree's own writer refuses unqualified attributes with a default namespace.
    """
    out = ['<?xml version="1.0" encoding="utf-8"?>\n']
    prefix = f"{{{ns}}}"

    def write(element: ET.Element, depth: int) -> None:
        tag = element.tag.removeprefix(prefix)
        attrs = "".join(f' {k}="{_escape(v, True)}"' for k, v in element.attrib.items())
        if element is root:
            attrs = f' xmlns="{ns}"' + attrs
        pad = "  " * depth
        children = list(element)
        if not children and element.text is None:
            out.append(f"{pad}<{tag}{attrs}/>\n")
            return
        if not children:
            out.append(f"{pad}<{tag}{attrs}>{_escape(element.text or '', False)}</{tag}>\n")
            return
        out.append(f"{pad}<{tag}{attrs}>\n")
        for child in children:
            write(child, depth + 1)
        out.append(f"{pad}</{tag}>\n")

    write(root, 0)
    return "".join(out)


def parse_xml(data: bytes | str, what: str) -> ET.Element:
    """Parse an XML document from another tool; no DTD (no entity expansion)."""
    head = data[:4096] if isinstance(data, str) else data[:4096].decode("utf-8", "replace")
    if "<!DOCTYPE" in head or "<!ENTITY" in head:
        raise CodebookError(f"not {what}: it declares a DTD, which is not read")
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise CodebookError(f"not {what}: {exc}") from None


def from_qdc(data: bytes | str) -> Codebook:
    """Read a REFI-QDA codebook; :class:`CodebookError` when it is not one."""
    root = parse_xml(data, "a REFI-QDA codebook")
    if root.tag != f"{{{QDC_NS}}}CodeBook":
        raise CodebookError("not a REFI-QDA codebook: its root is not CodeBook in"
                            f" {QDC_NS}")
    codes = root.find(f"{{{QDC_NS}}}Codes")
    return codebook_from_codes([] if codes is None else list(codes), QDC_NS)


def _description(code: ET.Element, ns: str) -> tuple[list[str], dict[str, list[str]]]:
    """A code's description: its free lines and its ``Key: value`` lines."""
    element = code.find(f"{{{ns}}}Description")
    free: list[str] = []
    keyed: dict[str, list[str]] = {}
    for line in (element.text or "").splitlines() if element is not None else []:
        key, sep, value = line.partition(": ")
        if sep and key in ("Hotkey", "Role", "Affiliation", "Alias"):
            keyed.setdefault(key, []).append(value.strip())
        elif line.strip():
            free.append(line.strip())
    return free, keyed


def codebook_from_codes(top: Iterable[ET.Element], ns: str) -> Codebook:
    """Stances, speakers and topics from a tree of REFI-QDA ``Code`` elements."""
    stances: list[CodebookStance] = []
    speakers: list[CodebookSpeaker] = []
    topics: list[str] = []
    tag = f"{{{ns}}}Code"

    def walk_topics(code: ET.Element) -> None:
        if code.get("isCodable", "true") != "false" and code.get("name"):
            topics.append(code.get("name", ""))
        for child in code.findall(tag):
            walk_topics(child)

    for group in top:
        if group.tag != tag:
            continue
        kind = (group.get("name") or "").strip().casefold().rstrip("s")
        children = group.findall(tag)
        if kind == "stance":
            for code in children:
                free, keyed = _description(code, ns)
                hotkey = next((int(v) for v in keyed.get("Hotkey", []) if v.isdigit()
                               and int(v) in HOTKEYS), None)
                colour = code.get("color") or "#888888"
                if not _COLOUR.fullmatch(colour):  # the standard allows #rgb too
                    colour = ("#" + "".join(c * 2 for c in colour[1:])
                              if re.fullmatch(r"#[0-9a-fA-F]{3}", colour) else "#888888")
                stances.append(CodebookStance(code.get("name", ""), hotkey, colour.lower(),
                                              " ".join(free)))
        elif kind == "speaker":
            for code in children:
                _free, keyed = _description(code, ns)
                speakers.append(CodebookSpeaker(
                    code.get("name", ""), " ".join(keyed.get("Role", [])),
                    " ".join(keyed.get("Affiliation", [])), tuple(keyed.get("Alias", []))))
        elif kind == "topic":
            for code in children:
                walk_topics(code)
        else:  # another tool's codes: their names are topics here
            walk_topics(group)
    return Codebook(tuple(s for s in stances if s.name.strip()),
                    tuple(s for s in speakers if s.name.strip()), tuple(topics))


# --------------------------------------------------------------------------- files

def render_codebook(book: Codebook, suffix: str) -> str:
    """The codebook in the format of ``suffix`` (".toml" or ".qdc")."""
    if suffix == ".toml":
        return to_toml(book)
    if suffix == ".qdc":
        return to_qdc(book)
    raise CodebookError(f"unknown codebook format {suffix!r} (use a .toml or .qdc file)")


def read_codebook(path: str | Path) -> Codebook:
    """Read a codebook file, its format chosen by the suffix; one-line errors."""
    path = Path(path).expanduser()
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise CodebookError(f"{path.name}: unknown codebook format (use a .toml or .qdc file)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CodebookError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        if suffix == ".toml":
            return from_toml(data.decode("utf-8"))
        return from_qdc(data)
    except UnicodeDecodeError:
        raise CodebookError(f"not a codebook: {path.name} is not UTF-8 text") from None
    except CodebookError as exc:
        raise CodebookError(f"{path.name}: {exc}") from None


# --------------------------------------------------------------------------- merging

def _clean(text: str) -> str:
    return " ".join(safe_line(_XML_BAD.sub("\ufffd", text)).split())


def import_codebook(store: Any, book: Codebook) -> ImportReport:
    """Merge ``book`` into the database: one undo step of the library ("import codebook").

    Stances by name: a new one gets its hotkey if free; an unused default label that was
    never edited gives its hotkey up to it (a fresh database takes a codebook's label set
    as it is); else it gets the first free hotkey (a clash) or, with none free, is left
    out (a clash). Speakers by name or alias: a known one gets the role and affiliation it
    lacks and the aliases it lacks (a differing role is a clash); a new one is added. Topics
    by their normal form. Nothing is deleted.
    """
    from briefing_tui.core.store import normalize_topic  # the store imports us not

    report = ImportReport()
    with store._write("import codebook") as tx:
        tx.briefing_id = None  # the library's step
        _merge_stances(store, tx, book.stances, report)
        _merge_speakers(store, tx, book.speakers, report)
        names = sorted({n for n in (normalize_topic(_clean(t)) for t in book.topics) if n})
        have = {r[0] for r in store.conn.execute("SELECT name FROM topics")}
        now = now_iso()
        for name in names:
            if name not in have:
                row = {"id": new_id(), "name": name, "created": now}
                store._insert("topics", row)
                tx.change("topics", row["id"], None, row)
                report.added.append(f"topic #{name}")
    return report


def _merge_stances(store: Any, tx: Any, stances: Iterable[CodebookStance],
                   report: ImportReport) -> None:
    rows = store._rows("SELECT id, key, name, color, description FROM stances")
    by_name = {r["name"].casefold(): r for r in rows}
    by_key = {r["key"]: r for r in rows}
    used = {r[0] for r in store.conn.execute(
        "SELECT DISTINCT stance_id FROM highlights WHERE stance_id IS NOT NULL")}
    defaults = {(k, n, c, d) for k, n, c, d in DEFAULT_STANCES}
    incoming = {_clean(s.name).casefold() for s in stances}
    for s in stances:
        name, description = _clean(s.name), _clean(s.description)
        if not name:
            continue
        found = by_name.get(name.casefold())
        if found is not None:
            if s.hotkey is not None and s.hotkey != found["key"]:
                report.clashes.append(f"stance {name!r} stays on hotkey {found['key']}"
                                      f" (the codebook says {s.hotkey})")
            if s.colour.lower() != found["color"].lower():
                report.clashes.append(f"stance {name!r} keeps colour {found['color']}"
                                      f" (the codebook says {s.colour})")
            if description and not found["description"]:
                after = {**found, "description": description}
                store.conn.execute("UPDATE stances SET description = ? WHERE id = ?",
                                   (description, found["id"]))
                tx.change("stances", found["id"], dict(found), after)
                found.update(after)
                report.updated.append(f"stance {name!r}: description")
            elif description and description != found["description"]:
                report.clashes.append(f"stance {name!r} keeps its description")
            continue
        key = s.hotkey
        holder = by_key.get(key) if key is not None else None
        if holder is not None and (
                holder["id"] not in used and holder["name"].casefold() not in incoming
                and (holder["key"], holder["name"], holder["color"],
                     holder["description"]) in defaults):
            # An untouched default label nobody used: the codebook's label takes its place.
            replaced = holder["name"]
            after = {**holder, "name": name, "color": s.colour, "description": description}
            store.conn.execute("UPDATE stances SET name = ?, color = ?, description = ?"
                               " WHERE id = ?", (name, s.colour, description, holder["id"]))
            tx.change("stances", holder["id"], dict(holder), after)
            del by_name[holder["name"].casefold()]
            holder.update(after)
            by_name[name.casefold()] = holder
            report.added.append(f"stance {name!r} on hotkey {key} (in place of the unused"
                                f" default {replaced!r})")
            continue
        if key is None or holder is not None:
            free = next((k for k in HOTKEYS if k not in by_key), None)
            if free is None:
                report.clashes.append(f"stance {name!r} left out: hotkeys 1-9 are all taken")
                continue
            if holder is not None:
                report.clashes.append(f"hotkey {key} is taken by {holder['name']!r}:"
                                      f" stance {name!r} goes on hotkey {free}")
            key = free
        row = {"id": new_id(), "key": key, "name": name, "color": s.colour,
               "description": description}
        store._insert("stances", row)
        tx.change("stances", row["id"], None, row)
        by_key[key] = by_name[name.casefold()] = row
        report.added.append(f"stance {name!r} on hotkey {key}")


def _merge_speakers(store: Any, tx: Any, speakers: Iterable[CodebookSpeaker],
                    report: ImportReport) -> None:
    rows = store._rows("SELECT * FROM speakers")
    names: dict[str, dict[str, Any]] = {}
    aliases: dict[str, dict[str, Any]] = {}

    def index(row: dict[str, Any]) -> None:
        names[row["name"].casefold()] = row
        for alias in json.loads(row["aliases"]):
            aliases.setdefault(alias.casefold(), row)

    for row in rows:
        index(row)
    for sp in speakers:
        name = _clean(sp.name)
        if not name:
            continue
        role, affiliation = _clean(sp.role), _clean(sp.affiliation)
        wanted = [a for a in (_clean(a) for a in sp.aliases) if a]
        found = (names.get(name.casefold()) or aliases.get(name.casefold())
                 or next((names.get(a.casefold()) or aliases.get(a.casefold())
                          for a in wanted if a.casefold() in names or a.casefold() in aliases),
                         None))
        if found is None:
            kept = []
            for alias in wanted:
                if alias.casefold() in names:
                    report.clashes.append(f"alias {alias!r} of new speaker {name!r} is the name"
                                          f" of another speaker; left out")
                else:
                    kept.append(alias)
            now = now_iso()
            row = {"id": new_id(), "name": name, "name_key": name.casefold(), "role": role,
                   "affiliation": affiliation,
                   "aliases": json.dumps(_unique(name, kept), ensure_ascii=False),
                   "created": now, "updated": now}
            store._insert("speakers", row)
            tx.change("speakers", row["id"], None, row)
            index(row)
            report.added.append(f"speaker {name!r}")
            continue
        before = dict(found)
        changed: list[str] = []
        fields = dict(found)
        for key, value in (("role", role), ("affiliation", affiliation)):
            if value and not found[key]:
                fields[key] = value
                changed.append(key)
            elif value and value.casefold() != found[key].casefold():
                report.clashes.append(f"speaker {found['name']!r} keeps {key}"
                                      f" {found[key]!r} (the codebook says {value!r})")
        current = json.loads(found["aliases"])
        more = [a for a in ([name] if name.casefold() != found["name"].casefold() else [])
                + wanted]
        added_aliases = []
        for alias in more:
            key = alias.casefold()
            if key == found["name"].casefold() or key in {c.casefold() for c in current}:
                continue
            other = names.get(key) or aliases.get(key)
            if other is not None and other["id"] != found["id"]:
                report.clashes.append(f"alias {alias!r} of speaker {found['name']!r} belongs to"
                                      f" {other['name']!r}; left out")
                continue
            current.append(alias)
            added_aliases.append(alias)
        if added_aliases:
            fields["aliases"] = json.dumps(current, ensure_ascii=False)
            changed.append("aliases " + ", ".join(added_aliases))
        if not changed:
            continue
        fields["updated"] = now_iso()
        store.conn.execute(
            "UPDATE speakers SET role = ?, affiliation = ?, aliases = ?, updated = ? WHERE id = ?",
            (fields["role"], fields["affiliation"], fields["aliases"], fields["updated"],
             found["id"]))
        tx.change("speakers", found["id"], before, fields)
        found.update(fields)
        index(found)
        report.updated.append(f"speaker {found['name']!r}: {'; '.join(changed)}")


def _unique(name: str, aliases: Iterable[str]) -> list[str]:
    seen = {name.casefold()}
    out = []
    for alias in aliases:
        if alias.casefold() not in seen:
            seen.add(alias.casefold())
            out.append(alias)
    return out
