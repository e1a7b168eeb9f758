"""A hostile corpus: text that tries to drive the terminal or a spreadsheet.

Generated here rather than committed as a file full of raw ESC bytes. Every field a
briefing has (title, source, url, published, body) and every kind of typed input
(speaker name, topic, note) carries terminal escapes (OSC 0/2 window title, OSC 52
clipboard write, CSI clear screen), a C1 CSI, BEL, DEL, bidi overrides and isolates,
Rich markup, and the spreadsheet formula prefixes.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

TITLE_MARK = "PWNED-TITLE"  # what an obeyed OSC 0/2 would make the window title
CLIPBOARD_B64 = "cHduZWQtY2xpcA=="  # base64 of "pwned-clip": an obeyed OSC 52 copies it

OSC_TITLE = f"\x1b]0;{TITLE_MARK}\x07"
OSC_TITLE_ST = f"\x1b]2;{TITLE_MARK}\x1b\\"
OSC_CLIPBOARD = f"\x1b]52;c;{CLIPBOARD_B64}\x07"
CLEAR = "\x1b[2J\x1b[H"
C1_CSI = "\x9b2J"
BIDI = "\u202eevil\u202c \u2066iso\u2069"

#: One payload of every attack, for any text field.
PAYLOAD = f"{OSC_TITLE}{OSC_CLIPBOARD}{CLEAR}{C1_CSI}\x07\x7f{BIDI}[bold]mark[/bold]"

#: Starts of a cell a spreadsheet runs as a formula.
FORMULAS = ("=HYPERLINK(\"http://evil.example\",\"x\")", "+1+cmd|' /C calc'!A0",
            "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1")

#: Characters that must never reach a terminal or a CSV cell raw (newline, tab and
#: carriage return are checked apart, where they matter).
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: Placeholders the fix shows instead: ESC, BEL, DEL pictures and U+FFFD.
PLACEHOLDERS = ("\u241b", "\u2407", "\u2421", "\ufffd")


def _yaml(text: str) -> str:
    """A YAML double-quoted scalar for ``text`` (escapes: the file has them as YAML)."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif code < 0x20 or 0x7F <= code <= 0x9F or 0x2028 <= code <= 0x206F:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def hostile_markdown() -> str:
    """A briefing whose front matter and body carry every attack (raw in the body)."""
    front = {
        "title": f"{FORMULAS[0]} Hostile{PAYLOAD} briefing",
        "source": f"@wire [bold]src[/bold]{PAYLOAD}",
        "url": f"https://evil.example/{OSC_TITLE_ST}",
        "published": f"2025-03-20{C1_CSI}",
    }
    lines = ["---", *(f"{key}: {_yaml(value)}" for key, value in front.items()), "---", ""]
    lines += [
        f"# Heading {OSC_TITLE} with a title change",
        "",
        f"The minister said {OSC_CLIPBOARD} nothing{CLEAR} at all. Then {C1_CSI} again.",
        "",
        f"\"We will not sign {BIDI} today,\" the envoy said.{OSC_TITLE_ST}",
        "",
        *(f"{formula} is a formula line." for formula in FORMULAS[:4]),
        "",
        "Plain closing sentence with a bell\x07 and a delete\x7f mark.",
        "",
    ]
    return "\n".join(lines)


def write_hostile(folder: Path, name: str = "hostile.md") -> Path:
    """Write the hostile briefing into ``folder``; return its path."""
    path = folder / name
    path.write_text(hostile_markdown(), encoding="utf-8")
    return path


def annotate_hostile(store: Any, briefing_id: str) -> None:
    """Highlights on the hostile briefing, with typed input as hostile as the text:
    speakers, topics and notes straight into the store (as text stored before any
    cleaning was), one highlight per formula prefix in every typed field."""
    text = store.get_briefing(briefing_id).document.text
    spans = []
    for needle in ("The minister said", "We will not sign", "Plain closing sentence"):
        start = text.find(needle)
        assert start >= 0, needle
        end = text.find("\n", start)
        spans.append((start, end if end != -1 else len(text)))
    for i, formula in enumerate(FORMULAS):
        start = text.find(formula.strip())
        if start >= 0:
            spans.append((start, start + len(formula.strip())))
        else:  # "\t=1+1" and "\r=1+1" are only in typed input
            spans.append(spans[i % 3])
    for i, (start, end) in enumerate(spans):
        highlight = store.create_highlight(briefing_id, start, end)
        formula = FORMULAS[i % len(FORMULAS)]
        speaker = store.create_speaker(f"{formula}{PAYLOAD} Speaker {i}")
        store.set_speaker(highlight.id, speaker.id)
        store.set_stance(highlight.id, store.stance_by_key(1 + i % 4).id)
        store.set_topics(highlight.id, [f"{formula}topic{i}{OSC_CLIPBOARD}"])
        store.set_note(highlight.id, f"{formula} note{PAYLOAD}\nsecond line\x00{C1_CSI}")


def add_raw_hostile(store: Any, folder: Path) -> str:
    """Store a hostile briefing straight, bypassing the importer's cleaning: what a
    database written before it holds (raw controls in metadata and reading text).
    Returns its id."""
    import hashlib

    from briefing_tui.core.document import parse_markdown, split_front_matter

    source = hostile_markdown()
    meta, body = split_front_matter(source)
    document = parse_markdown(body)
    assert "\x1b" in document.text and "\x1b" in meta["title"]
    info = store.add_briefing(
        title=meta["title"], source=meta["source"], published=meta["published"],
        url=meta["url"], path=str(folder / "raw-hostile.md"), fmt="markdown",
        source_text=source, document=document,
        content_hash=hashlib.sha256(b"raw" + source.encode()).hexdigest())
    return info.id
