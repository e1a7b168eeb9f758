"""A big Markdown body is parsed a piece at a time (markdown-it's tokens take many times
the text): the pieces start at a heading after a blank line, and rendering them one after
the other gives exactly what rendering the whole gives (text, spans, blocks, sentences,
quotations); a body with something that reaches across pieces is parsed whole."""

from __future__ import annotations

import pytest

from benchmarks.corpora import briefing_markdown
from briefing_tui.core import markdown_render
from briefing_tui.core.document import Document, split_front_matter
from briefing_tui.core.markdown_render import pieces, render_markdown
from briefing_tui.core.safetext import safe_display
from briefing_tui.paths import samples_dir
from tests.corpus import CORPUS


def blob(body: str, start: int = 0, clean=None) -> tuple[str, bytes]:
    text, packed = render_markdown(body, start, clean)
    return text, Document._from_packed(text, packed, "markdown").to_blob()


def bodies() -> list[str]:
    found = [split_front_matter(briefing_markdown(120_000))[1]]
    for folder in (samples_dir(), CORPUS):
        if folder.is_dir():
            found += [split_front_matter(p.read_text(encoding="utf-8"))[1]
                      for p in sorted(folder.glob("*.md")) if p.name != "README.md"]
    # Lists, block quotes, tables and a loose list right before a heading.
    found.append("\n\n".join(
        f"# Part {n}\n\n- a {n}\n\n- b\n\n> quoted {n}\n> more\n\n| x | y |\n|---|---|\n| {n} | 2 |\n"
        f"\n1. one\n2. two\n\n## Sub {n}\n\nText *em {n}* and **strong** “a quote.”"
        for n in range(40)))
    return found


@pytest.mark.parametrize("index", range(len(bodies())))
def test_pieces_render_as_the_whole(index: int, monkeypatch) -> None:
    body = bodies()[index]
    whole = blob(body)
    monkeypatch.setattr(markdown_render, "PIECE_CHARS", 300)
    # Cut where it can: a long body with a heading after a blank line past the first piece
    # and nothing that must be parsed whole (a transcript with no headings is one piece).
    cuttable = (markdown_render._PIECE_START.search(body, 300) is not None
                and markdown_render._WHOLE_ONLY.search(body) is None)
    assert (len(list(pieces(body))) > 1) == (len(body) > 300 and cuttable)
    assert "".join(pieces(body)) == body
    assert blob(body) == whole


def test_front_matter_is_skipped_by_offset_and_clean_applies_to_each_piece(
        monkeypatch) -> None:
    body = "\n\n".join(f"# H{n}\n\nText\x1b[2J {n}.\u202e" for n in range(50))
    source = "---\ntitle: T\n---\n" + body
    start = source.index("# H0")
    expected = blob(safe_display(body))
    monkeypatch.setattr(markdown_render, "PIECE_CHARS", 100)
    assert len(list(pieces(source, start))) > 1
    assert blob(source, start, safe_display) == expected


@pytest.mark.parametrize("reach", ["```\ncode\n\n# not a heading\n```\n",
                                   "[ref]: https://example.org\n",
                                   "Note[^1].\n\n[^1]: the footnote\n",
                                   "<pre>\nx\n\n# not a heading\n</pre>\n",
                                   "<!--\n\n# hidden\n-->\n"])
def test_what_reaches_across_pieces_keeps_the_body_whole(reach: str) -> None:
    body = "\n\n".join(f"# H{n}\n\nText {n}." for n in range(50)) + "\n\n" + reach
    assert list(pieces(body, size=50)) == [body]
