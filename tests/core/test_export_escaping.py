"""Text from users renders back, through markdown-it-py, as exactly that text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from briefing_tui.core.export import escape_markdown_inline

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _inline_text(tokens) -> list[str]:
    """The plain text of each inline token (paragraph, heading, table cell), in order.

    Anything but text and line breaks (emphasis, code, links, HTML...) fails the test:
    escaped text must not produce markup.
    """
    out = []
    for tok in tokens:
        if tok.type != "inline":
            continue
        parts = []
        for child in tok.children or []:
            if child.type in ("text", "text_special"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append("\n")
            else:
                raise AssertionError(f"markup {child.type!r} in {tok.content!r}")
        out.append("".join(parts))
    return out


def paragraph_text(markdown: str) -> str:
    """Render ``markdown`` and return the text of its single paragraph."""
    tokens = MD.parse(markdown)
    kinds = [t.type for t in tokens]
    assert kinds == ["paragraph_open", "inline", "paragraph_close"], (markdown, kinds)
    return _inline_text(tokens)[0]


def blockquote_text(markdown: str) -> str:
    tokens = MD.parse(markdown)
    kinds = [t.type for t in tokens]
    assert kinds == ["blockquote_open", "paragraph_open", "inline", "paragraph_close",
                     "blockquote_close"], (markdown, kinds)
    return _inline_text(tokens)[0]


TRICKY = [
    "# not a heading",
    "## also not",
    "#hashtag at start",
    "ends with hashes ##",
    "> not a quote",
    "- not a list",
    "+ not a list",
    "* not a list",
    "-",
    "---",
    "***",
    "___",
    "===",
    "1. not a list",
    "1) not a list",
    "2024. A year",
    "a | b | c",
    "`code` and ``double``",
    "```fence",
    "~~~fence",
    "~~struck~~",
    "*em* **strong** _u_ __uu__",
    "[link](http://x.y) and ![img](a.png)",
    "[ref]: http://example.com",
    "<b>bold</b> <script>alert(1)</script>",
    "<http://autolink.example>",
    "AT&T &amp; &copy; &#169; &#x41;",
    "back\\slash \\* and trailing\\",
    "    four spaces of indent",
    "\tleading tab",
    "trailing spaces  ",
    " ",
    "\u00a0non-breaking lead",
    "quotes “curly” «guillemets» — dashes",
    "Peskov's \"instant results\"",
]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_text_renders_literally_as_paragraph(text: str) -> None:
    assert paragraph_text(escape_markdown_inline(text)) == text


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_text_renders_literally_in_block_quote(text: str) -> None:
    assert blockquote_text("> " + escape_markdown_inline(text)) == text


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_text_renders_literally_in_heading(text: str) -> None:
    tokens = MD.parse("## " + escape_markdown_inline(text, single_line=True))
    assert [t.type for t in tokens] == ["heading_open", "inline", "heading_close"]
    assert _inline_text(tokens) == [text]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_text_renders_literally_in_list_item(text: str) -> None:
    tokens = MD.parse("- Note: " + escape_markdown_inline(text))
    assert [t.type for t in tokens if t.type.endswith("_open")] == [
        "bullet_list_open", "list_item_open", "paragraph_open"]
    assert _inline_text(tokens) == ["Note: " + text]


@pytest.mark.parametrize("text", TRICKY + ["a\nb"])
def test_tricky_text_renders_literally_in_table_cell(text: str) -> None:
    cell = escape_markdown_inline(text, single_line=True)
    table = f"| speaker | n |\n| --- | --- |\n| {cell} | 1 |\n"
    tokens = MD.parse(table)
    assert tokens[0].type == "table_open"
    # header cells, then the body row: exactly two cells, the first our text.
    assert _inline_text(tokens) == ["speaker", "n", text, "1"]


@pytest.mark.parametrize("text", [
    "line one\nline two",
    "# one\n> two\n- three\n1. four",
    "para one\n\npara two",
    "three\n\n\nblank lines",
    "\nleading newline",
    "trailing newline\n",
    "soft  \nbreak with trailing spaces",
    "back\\\nslash break",
])
def test_line_breaks_survive_in_block_quote_and_note(text: str) -> None:
    escaped = escape_markdown_inline(text)
    quote = "\n".join("> " + line for line in escaped.split("\n"))
    assert blockquote_text(quote) == text
    note = "- Note: " + escaped.replace("\n", "\n  ")
    assert _inline_text(MD.parse(note)) == ["Note: " + text]


def test_escaping_leaves_ordinary_prose_readable() -> None:
    prose = "Peskov said talks will not bring instant results, 2025."
    assert escape_markdown_inline(prose) == prose


def test_single_line_never_emits_a_raw_line_break() -> None:
    assert "\n" not in escape_markdown_inline("a\nb\n\nc", single_line=True)


# What str.isprintable() accepts: no control, format, surrogate, private, unassigned or
# separator characters, except the plain space.
PRINTABLE = st.characters(exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"),
                          include_characters=" ")


@settings(max_examples=400, deadline=None)
@given(st.text(PRINTABLE, max_size=60))
def test_property_printable_text_renders_back_as_itself(text: str) -> None:
    assert text.isprintable()
    escaped = escape_markdown_inline(text)
    if text == "":
        assert escaped == ""
        return
    assert paragraph_text(escaped) == text
    assert blockquote_text("> " + escaped) == text


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from(list("#>-+*=_`~|<>&;[]()!\\1.) \tab\n")), min_size=1,
               max_size=40))
def test_property_markdown_heavy_text_with_breaks_renders_back(text: str) -> None:
    escaped = escape_markdown_inline(text)
    quote = "\n".join("> " + line for line in escaped.split("\n"))
    assert blockquote_text(quote) == text
