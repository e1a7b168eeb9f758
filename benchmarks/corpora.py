"""Deterministic benchmark corpora: briefings of a given size and highlight databases.

Everything here is generated from a seed with ``random.Random``, so two runs (and two
machines) measure the same bytes. The text is our own synthetic writing in the shape of
real briefings: a YAML front matter block, headings, quote-heavy paragraphs with
attributed quotes, press-briefing turns (``MR. PRICE:`` / ``QUESTION:``), bullet lists,
tables, a block quote now and then, and some wide characters (CJK, emoji).

>>> text = briefing_markdown(10_000)
>>> text.startswith("---") and FIRST_SCREEN_MARKER in text
True

Files are written to ``benchmarks/_data/`` (git-ignored) on first use and reused after.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "_data"
GENERATOR_VERSION = 2  # bump when the text shape changes, so cached files are rebuilt
SEED = 20250320

# A short plain run of text in the first paragraph: a frame holding it shows the document.
# Kept short and unstyled so it is never wrapped or split by a style change on screen.
FIRST_SCREEN_MARKER = "Ref QX-7731"

SIZES = {"10kb": 10_000, "1mb": 1_000_000, "5mb": 5_000_000, "20mb": 20_000_000,
         "50mb": 50_000_000}

_SPEAKERS = [
    ("Dmitry Peskov", "Kremlin spokesman"),
    ("Maria Zakharova", "Russian Foreign Ministry spokeswoman"),
    ("Sergei Lavrov", "Russian Foreign Minister"),
    ("Ned Price", "State Department spokesperson"),
    ("Karoline Leavitt", "White House press secretary"),
    ("Mike Waltz", "US national security adviser"),
    ("Volodymyr Zelensky", "Ukrainian President"),
    ("Andrii Sybiha", "Ukrainian Foreign Minister"),
    ("Kaja Kallas", "EU foreign policy chief"),
    ("Mark Rutte", "NATO Secretary General"),
    ("Mao Ning", "Chinese Foreign Ministry spokeswoman"),
    ("Steve Witkoff", "US special envoy"),
]
_VERBS = ["said", "told reporters", "stated", "warned", "insisted", "claimed", "argued",
          "noted", "added", "repeated", "stressed", "suggested"]
_PLACES = ["Kherson", "Zaporizhzhia", "Donetsk", "Kharkiv", "Kursk", "Odesa", "Pokrovsk",
           "Toretsk", "Kupiansk", "Bakhmut", "Vuhledar", "Avdiivka"]
_TOPICS = ["ceasefire", "sanctions", "root causes", "security guarantees", "energy strikes",
           "prisoner exchange", "grain corridor", "air defence", "mobilisation", "elections"]
_QUOTES = [
    "talks are unlikely to bring instant results",
    "everything is progressing very well",
    "the current realities on the ground must be taken into account",
    "this war must not grind on for years",
    "we will not accept any deal made behind our backs",
    "the root causes of the conflict have to be addressed",
    "there can be no ceasefire without guarantees",
    "our position has not changed",
    "the sanctions are working, and they will be tightened",
    "we are ready to talk, but not at any price",
    "the strikes on energy infrastructure must stop",
    "nothing is agreed until everything is agreed",
]
_WORDS = [
    "the", "assessment", "forces", "front", "line", "positions", "advance", "reported",
    "sources", "claimed", "officials", "statement", "negotiations", "pressure",
    "offensive", "operations", "units", "near", "likely", "continue", "intend",
    "conditions", "territory", "control", "settlement", "deliveries", "artillery",
    "drones", "logistics", "reserves", "sector", "direction", "attempts", "failed"
]
_CJK = ["外交部发言人表示：“我们呼吁各方保持克制。”", "中方立场是一贯的、明确的。",
        "記者会見で官房長官は「状況を注視している」と述べた。"]
_EMOJI = ["🇺🇦", "🇷🇺", "🇺🇸", "🕊️", "⚠️", "📌"]
# In the first paragraph of every size: one character beyond U+FFFF makes CPython store the
# whole text at 4 bytes per character, so every size has the same string kind (otherwise
# the 10 KB text, by chance without emoji, would be a cheaper 2-byte string than the 5 MB).
_HEAD_WIDE = "📌 記者会見で官房長官は「状況を注視している」と述べた。"


def _sentence(rng: random.Random) -> str:
    """One plain analytic sentence."""
    words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 18))]
    words[0] = words[0].capitalize()
    if rng.random() < 0.3:
        words.insert(rng.randint(1, len(words) - 1), f"near {rng.choice(_PLACES)}")
    return " ".join(words) + "."


def _attributed(rng: random.Random) -> str:
    """A sentence with an attributed quotation, as wire copy writes them."""
    name, role = rng.choice(_SPEAKERS)
    quote = rng.choice(_QUOTES)
    verb = rng.choice(_VERBS)
    shape = rng.randrange(4)
    if shape == 0:
        return f'{role} {name} {verb} that "{quote}".'
    if shape == 1:
        return f'"{quote.capitalize()}," {name} {verb}.'
    if shape == 2:
        return (f"In {name.split()[-1]}'s words, “{quote}”, which *{rng.choice(_TOPICS)}*"
                " analysts read as a signal.")
    return f'{name} ({role}) {verb} on **{rng.choice(_PLACES)}**: "{quote}."'


def _paragraph(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(3, 7)):
        parts.append(_attributed(rng) if rng.random() < 0.45 else _sentence(rng))
    if rng.random() < 0.06:
        parts.append(rng.choice(_CJK))
    if rng.random() < 0.05:
        parts.append(rng.choice(_EMOJI))
    if rng.random() < 0.1:
        parts.append(f"See [the transcript](https://example.org/t/{rng.randrange(10**6)}).")
    return " ".join(parts)


def _transcript(rng: random.Random) -> str:
    """Press-briefing turns, each its own paragraph."""
    turns = []
    for _ in range(rng.randint(2, 5)):
        turns.append(f"QUESTION: {_sentence(rng)[:-1]}?")
        turns.append(f"MR. PRICE: {_attributed(rng)} {_sentence(rng)}")
    return "\n\n".join(turns)


def _bullets(rng: random.Random) -> str:
    return "\n".join(f"- {_attributed(rng) if rng.random() < 0.5 else _sentence(rng)}"
                     for _ in range(rng.randint(3, 6)))


def _table(rng: random.Random) -> str:
    rows = ["| speaker | stance | topic |", "| --- | --- | --- |"]
    for _ in range(rng.randint(3, 6)):
        speaker = rng.choice(_SPEAKERS)[0]
        stance = rng.choice(["supports", "opposes", "neutral"])
        rows.append(f"| {speaker} | {stance}"
                    f" | {rng.choice(_TOPICS)} |")
    return "\n".join(rows)


def _blockquote(rng: random.Random) -> str:
    return f"> {_attributed(rng)} {_sentence(rng)}"


def briefing_markdown(size: int, seed: int = SEED) -> str:
    """A Markdown briefing of at least ``size`` UTF-8 bytes (a little over, whole sections).

    The first paragraph starts with :data:`FIRST_SCREEN_MARKER`.
    """
    rng = random.Random(seed * 1_000_003 + size)
    head = (
        "---\n"
        f"title: Benchmark daily assessment ({size} bytes)\n"
        "source: briefing-tui benchmark corpus\n"
        "published: 2025-03-20\n"
        "url: https://example.org/benchmark\n"
        "---\n\n"
        f"# Benchmark daily assessment ({size} bytes)\n\n"
        f"{FIRST_SCREEN_MARKER} opens this synthetic briefing. {_sentence(rng)} "
        f"{_attributed(rng)} {_HEAD_WIDE}\n\n"
    )
    chunks = [head]
    total = len(head.encode())
    day = 0
    makers = [_paragraph] * 6 + [_transcript, _bullets, _table, _blockquote]
    while total < size:
        day += 1
        section = [f"## Day {day}: {rng.choice(_PLACES)} and {rng.choice(_TOPICS)}"]
        for _ in range(rng.randint(4, 9)):
            section.append(rng.choice(makers)(rng))
        text = "\n\n".join(section) + "\n\n"
        chunks.append(text)
        total += len(text.encode())
    return "".join(chunks)


def _fingerprint(*parts: object) -> str:
    return hashlib.sha1(repr((GENERATOR_VERSION, SEED, *parts)).encode()).hexdigest()[:10]


def briefing_file(size: int, data_dir: Path | None = None) -> Path:
    """The path of the ``size``-byte corpus file, generated on first use."""
    folder = data_dir or DATA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"briefing-{size}-{_fingerprint(size)}.md"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.write_text(briefing_markdown(size), encoding="utf-8")
        tmp.replace(path)
    return path


def spread_spans(text_length: int, count: int, seed: int = SEED,
                 min_len: int = 12, max_len: int = 160) -> list[tuple[int, int]]:
    """``count`` deterministic highlight spans spread over a text of ``text_length``.

    Spans may overlap (a highlight can sit inside another, as in real use).
    """
    rng = random.Random(seed + count * 7 + text_length)
    spans = []
    limit = max(1, text_length - max_len - 1)
    for i in range(count):
        # Evenly spread anchors with jitter, so every part of the text has highlights.
        base = (i * limit) // max(1, count)
        start = min(limit, base + rng.randrange(max(1, limit // max(1, count))))
        end = min(text_length, start + rng.randint(min_len, max_len))
        if end <= start:
            start, end = 0, min(text_length, min_len)
        spans.append((start, end))
    return spans


def speaker_registry(count: int, seed: int = SEED) -> list:
    """``count`` speakers with two-word names, a role, an affiliation and an alias each,
    the same on every machine (the picker at 50 vs 5,000 speakers)."""
    import string

    from briefing_tui.core.models import Speaker

    rng = random.Random(seed + count)

    def word() -> str:
        return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 9)))

    return [Speaker(f"s{i:05d}", f"{word().title()} {word().title()}",
                    role=f"{word()} of {word()}", affiliation=word(), aliases=(word(),))
            for i in range(count)]
