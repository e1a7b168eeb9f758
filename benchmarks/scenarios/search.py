"""Search across a library (issue 13.7): p50 of ``core.search.search`` over a mix of queries.

The benchmark builds its library itself: ``Config.search_library`` briefings (2,000 of
~100,000 characters, ≈ 200 MB of reading text, in the full run) and highlights over them
(200,000, a fifth with a note). Texts are drawn from a pool of paragraphs in the shape of
the benchmark corpus (:mod:`benchmarks.corpora`) with a Zipf-distributed vocabulary of
20,000 made-up words on top, a Ukrainian paragraph now and then, and a reference unique to
each briefing; rows go in through SQL (the store's tables, its FTS triggers doing the
indexing, as on import), since 2,000 imports through the Markdown parser take many minutes.

Each query of :data:`QUERIES` (common and rare words, a phrase, two words, a prefix, OR,
Cyrillic, a note's word, no match) runs ``repeats`` times at the CLI's default limit (20
hits, with exact offsets and snippets); the figure is the p50 of all of them.
"""

from __future__ import annotations

import itertools
import random
import uuid
from time import perf_counter

from benchmarks import corpora
from benchmarks.fixtures import Fixtures, _quiesce
from benchmarks.harness import Bar, Figure, percentile

NAMES = ["search_p50", "search_library_build"]
SEARCH_BAR = Bar("max", 50.0, stat="p50")  # ms, issue 13.7
LIMIT = 20
# (label, query): what an analyst types, from frequent to absent.
QUERIES = (
    ("common word", "ceasefire"),
    ("name", "Peskov"),
    ("place", "Kupiansk"),
    ("two words", "sanctions drones"),
    ("phrase", '"talks are unlikely"'),
    ("prefix", "negot*"),
    ("or", "Vuhledar OR Avdiivka"),
    ("cyrillic", "окупації"),
    ("rare word", "briefref{rare}"),
    ("vocabulary", "{vocab}"),
    ("note", "transcript"),
    ("no match", "zzyzx"),
)
_UKRAINIAN = [
    "Відповіддю на спробу рубльової окупації Херсонщини має стати повне відключення банків.",
    "Окупанти намагаються запровадити рубль на тимчасово окупованих територіях.",
    "Ми бачимо, що переговори не дають миттєвих результатів, сказав речник.",
    "Обстріли енергетичної інфраструктури мають припинитися, наголосив міністр.",
]
_NOTES = ["checked against the transcript", "contradicts the earlier line", "see the annex",
          "repeats the ministry's wording", "new: first time said in public"]


def _vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    consonants, vowels = "bcdfghklmnprstvz", "aeiou"
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(consonants) + rng.choice(vowels)
                          for _ in range(rng.randint(2, 4))))
    return sorted(words)


def _paragraphs(rng: random.Random, vocab: list[str], count: int) -> list[str]:
    weights = list(itertools.accumulate(1 / (i + 1) for i in range(len(vocab))))
    out = []
    for _ in range(count):
        paragraph = corpora._paragraph(rng)
        extra = " ".join(rng.choices(vocab, cum_weights=weights, k=rng.randint(10, 40)))
        if rng.random() < 0.1:
            paragraph += " " + rng.choice(_UKRAINIAN)
        out.append(f"{paragraph} {extra.capitalize()}.")
    return out


def build_library(fx: Fixtures) -> tuple[str, dict[str, str], float]:
    """The search library of this run: (database path, query fillers, seconds to build)."""
    from briefing_tui.core.schema import READING_HEAD
    from briefing_tui.core.store import Store

    briefings, chars, highlights = fx.config.search_library
    rng = random.Random(corpora.SEED + 13)
    vocab = _vocabulary(rng)
    pool = _paragraphs(rng, vocab, 4_000)
    db = fx.work / f"search-{briefings}.db"
    t0 = perf_counter()
    per = max(1, highlights // briefings)
    with Store(db) as store:
        conn = store.conn
        now = "2025-03-20T12:00:00.000+00:00"
        for first in range(0, briefings, 100):
            conn.execute("BEGIN IMMEDIATE")
            rows, texts, marks = [], [], []
            for i in range(first, min(briefings, first + 100)):
                parts, size = [f"Briefing {i}. Reference briefref{i} opens it."], 0
                while size < chars:
                    paragraph = rng.choice(pool)
                    parts.append(paragraph)
                    size += len(paragraph) + 2
                text = "\n\n".join(parts)
                bid = str(uuid.uuid4())
                day = f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}"
                rows.append((bid, f"Daily assessment {i}", "benchmark", day, "", "", "text",
                             f"hash-{i}", 1, now, now, "utf-8"))
                texts.append((bid, text[:READING_HEAD], None, text))
                for start, end in corpora.spread_spans(len(text), per, seed=i):
                    note = rng.choice(_NOTES) if rng.random() < 0.2 else ""
                    marks.append((str(uuid.uuid4()), bid, start, end, text[start:end], note,
                                   now, now))
            conn.executemany(
                "INSERT INTO briefings (id, title, source, published, url, path, fmt,"
                " content_hash, revision, imported, updated, encoding)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            conn.executemany(
                "INSERT INTO briefing_texts (briefing_id, reading_head, doc_blob, reading_text)"
                " VALUES (?, ?, ?, ?)", texts)
            conn.execute("INSERT INTO briefing_texts_fts (rowid, reading_text)"
                         " SELECT rowid, reading_text FROM briefing_texts")  # (migration 15)
            conn.executemany(
                'INSERT INTO highlights (id, briefing_id, "start", "end", exact, note, status,'
                " created, updated) VALUES (?, ?, ?, ?, ?, ?, 'anchored', ?, ?)", marks)
            conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    seconds = perf_counter() - t0
    _quiesce()
    fillers = {"rare": str(briefings // 2), "vocab": vocab[len(vocab) // 50]}
    return str(db), fillers, seconds


def run(fx: Fixtures) -> list[Figure]:
    """Build the library, then time every query ``repeats`` times (after one warm round)."""
    from briefing_tui.core.search import search
    from briefing_tui.core.store import Store

    db, fillers, build_seconds = build_library(fx)
    briefings, chars, highlights = fx.config.search_library
    samples: list[float] = []
    per_query: dict[str, float] = {}
    with Store(db) as store:
        for label, template in QUERIES:
            query = template.format(**fillers)
            times = []
            for round_ in fx.config.rounds():
                t0 = perf_counter()
                search(store, query, LIMIT)
                if round_:
                    times.append((perf_counter() - t0) * 1000)
            samples += times
            per_query[label] = percentile(times, 50)
    p50, p99 = percentile(samples, 50), percentile(samples, 99)
    slowest = max(per_query, key=per_query.__getitem__)
    size = f"{briefings:,} briefings × {chars // 1000} K chars, {highlights:,} highlights"
    return [
        Figure("search_p50", samples=samples, bar=SEARCH_BAR,
               note=f"{size}; {len(QUERIES)} queries, limit {LIMIT}; p99 {p99:.1f} ms;"
                    f" slowest: {slowest} {per_query[slowest]:.1f} ms",
               extra={"p50": p50, "p99": p99, "per_query_ms": per_query}),
        Figure("search_library_build", unit="s", samples=[build_seconds],
               note=f"{size}: rows + FTS5 triggers, one transaction per 100 briefings"),
    ]
