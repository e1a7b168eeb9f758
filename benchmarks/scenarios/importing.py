"""Import a 5 MB briefing vs markdown-it-py's parse of the same text alone.

``import_5mb``: ``import_paths(store, [file])`` into a fresh database (opened before
the clock): read, normalise, parse, build the reading text, spans, sentences and
quotations, store it. ``markdown_it_parse_5mb``: ``MarkdownIt(...).parse(body)`` with
the same configuration as ``briefing_tui.core.document`` (commonmark + table +
strikethrough + footnotes), on the text after the front matter.
"""

from __future__ import annotations

import gc
from time import perf_counter

from benchmarks.fixtures import Fixtures
from benchmarks.harness import Bar, Figure

NAMES = ["import_5mb", "markdown_it_parse_5mb"]


def run(fx: Fixtures) -> list[Figure]:
    """Alternate import and parse, one warm-up round first."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    from briefing_tui.core.document import normalize, split_front_matter
    from briefing_tui.core.importer import import_paths
    from briefing_tui.core.store import Store

    source = fx.corpus("5mb")
    body = split_front_matter(normalize(source.read_text(encoding="utf-8")))[1]
    imports, parses = [], []
    for rep in fx.config.rounds():
        with Store(fx.work / f"import-{rep}.db") as store:
            gc.collect()
            t0 = perf_counter()
            import_paths(store, [source])
            took = perf_counter() - t0
        (fx.work / f"import-{rep}.db").unlink()
        gc.collect()
        t0 = perf_counter()
        md = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(footnote_plugin)
        md.parse(body)
        parsed = perf_counter() - t0
        if rep:
            imports.append(took * 1000)
            parses.append(parsed * 1000)
    size = f"{source.stat().st_size:,} B"
    return [
        Figure("import_5mb", samples=imports, reference="markdown_it_parse_5mb",
               bar=Bar("ratio", 2.0), note=size),
        Figure("markdown_it_parse_5mb", samples=parses, note=size),
    ]
