"""Export safety: files are written to a temporary file and renamed (an existing file is
never truncated, never overwritten without --force or a confirmation), and whatever text
an analyst types — quote, note, speaker, topic — comes back out of the Markdown export,
rendered by markdown-it-py, as exactly that text.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from briefing_tui.cli import cli
from briefing_tui.core import export as export_mod
from briefing_tui.core.document import Document
from briefing_tui.core.export import ExportError, to_markdown, write_atomic
from briefing_tui.core.importer import import_paths
from briefing_tui.core.store import Store, normalize_topic
from briefing_tui.ui.app import BriefingApp
from briefing_tui.ui.widgets.pickers import ConfirmDialog, PathPrompt
from tests.robustness.common import BRIEFING

OLD = "the analyst's earlier report\n" * 1000  # 28 kB: a write of it is not one syscall
NEW = "a new export\n" * 5000


# --------------------------------------------------------------------------- write_atomic


class _Truncating:
    """A file object that writes half of what it is given, then fails (disk full)."""

    def __init__(self, real) -> None:
        self.real = real

    def write(self, text: str) -> int:
        self.real.write(text[: len(text) // 2])
        self.real.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    def __getattr__(self, name: str):
        return getattr(self.real, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.real.close()


@pytest.mark.parametrize("existing", [True, False])
def test_a_write_failing_midway_never_truncates_the_existing_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: bool) -> None:
    target = tmp_path / "report.md"
    if existing:
        target.write_text(OLD, encoding="utf-8")
    real_fdopen = os.fdopen
    written_to: list[str] = []

    def failing_fdopen(fd, *args, **kwargs):
        written_to.append(os.readlink(f"/proc/self/fd/{fd}"))
        return _Truncating(real_fdopen(fd, *args, **kwargs))

    monkeypatch.setattr(export_mod.os, "fdopen", failing_fdopen)
    with pytest.raises(ExportError) as caught:
        write_atomic(target, NEW, force=existing)  # --force: overwriting was asked for
    assert str(caught.value) == f"cannot write {target}: No space left on device"
    # The half-written bytes went to a temporary file beside the target, now removed.
    [temporary] = written_to
    assert Path(temporary).parent == tmp_path and Path(temporary) != target
    assert not Path(temporary).exists()
    if existing:
        assert target.read_text(encoding="utf-8") == OLD
        assert [p.name for p in tmp_path.iterdir()] == ["report.md"]
    else:
        assert list(tmp_path.iterdir()) == []  # no half export left under the name


def test_an_existing_file_is_refused_before_anything_is_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.md"
    target.write_text(OLD, encoding="utf-8")
    opened: list[int] = []
    monkeypatch.setattr(export_mod.os, "fdopen", lambda fd, *a, **k: opened.append(fd))
    with pytest.raises(ExportError) as caught:
        write_atomic(target, NEW)
    assert str(caught.value) == f"{target} already exists; use --force to overwrite it"
    assert opened == []
    assert target.read_text(encoding="utf-8") == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_the_target_only_ever_holds_the_old_or_the_whole_new_text(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At the moment of the rename the temporary file is complete and synced, and the
    target still holds the old text: no reader ever sees a partial export."""
    target = tmp_path / "report.md"
    target.write_text(OLD, encoding="utf-8")
    real_replace, real_fsync = os.replace, os.fsync
    seen: list[tuple[str, str, bool]] = []
    synced: list[int] = []

    def spy_fsync(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    def spy_replace(src, dst) -> None:
        seen.append((Path(src).read_text(encoding="utf-8"),
                     Path(dst).read_text(encoding="utf-8"), bool(synced)))
        real_replace(src, dst)

    monkeypatch.setattr(export_mod.os, "replace", spy_replace)
    monkeypatch.setattr(export_mod.os, "fsync", spy_fsync)
    write_atomic(target, NEW, force=True)
    assert seen == [(NEW, OLD, True)]
    assert target.read_text(encoding="utf-8") == NEW
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_a_file_appearing_during_the_write_is_not_overwritten(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The existence check and the rename are one step (a hard link): another program's
    file created meanwhile survives."""
    target = tmp_path / "report.md"
    real_fsync = os.fsync

    def racing_fsync(fd: int) -> None:
        real_fsync(fd)
        target.write_text("another program's file", encoding="utf-8")

    monkeypatch.setattr(export_mod.os, "fsync", racing_fsync)
    with pytest.raises(ExportError, match="already exists; use --force"):
        write_atomic(target, NEW)
    assert target.read_text(encoding="utf-8") == "another program's file"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_cli_never_overwrites_without_force(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    source = tmp_path / "pause.md"
    source.write_text(BRIEFING, encoding="utf-8")
    with Store(db) as store:
        import_paths(store, [source])
    target = tmp_path / "report.md"
    target.write_text(OLD, encoding="utf-8")
    runner = CliRunner()
    refused = runner.invoke(cli, ["export", "-o", str(target), "--db", str(db)])
    assert refused.exit_code == 1
    assert refused.stderr == (f"briefing-tui: error: {target} already exists;"
                              " use --force to overwrite it\n")
    assert target.read_text(encoding="utf-8") == OLD
    forced = runner.invoke(cli, ["export", "-o", str(target), "--force", "--db", str(db)])
    assert forced.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("---\ntitle: Ministers")


async def test_app_never_overwrites_without_confirmation(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "pause.md"
    source.write_text(BRIEFING, encoding="utf-8")
    target = tmp_path / "report.md"
    target.write_text(OLD, encoding="utf-8")
    with Store(tmp_path / "b.db") as store:
        [result] = import_paths(store, [source])
        app = BriefingApp(store, result.briefing_id, config_path=tmp_path / "none.toml")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            for answer in ("n", "escape"):
                await pilot.press("e")
                await pilot.pause()
                prompt = pilot.app.screen
                assert isinstance(prompt, PathPrompt)
                prompt.query_one("Input").value = str(target)
                await pilot.press("enter")
                await pilot.pause()
                assert isinstance(pilot.app.screen, ConfirmDialog)
                await pilot.press(answer)
                await pilot.pause()
                assert target.read_text(encoding="utf-8") == OLD
            assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# --------------------------------------------------------------------------- escaping

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# Printable text (str.isprintable: no controls, format characters, surrogates, private
# use, unassigned or separators but the space), heavy on Markdown's metacharacters.
PRINTABLE = st.characters(exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"),
                          include_characters=" ")
META = st.sampled_from(list("#>-+*=_`~|<>&;[]()!\\.:1 ") + ["1.", "1)", "---", "```", "<b>",
                                                             "&amp;", "&#65;", "    ", "\\*"])
LINE = st.lists(st.one_of(META, PRINTABLE), max_size=24).map("".join)
MULTILINE = st.lists(LINE, min_size=1, max_size=4).map("\n".join)


def _inline(tok) -> str:
    """The literal text of an inline token; any markup (emphasis, code, HTML...) fails."""
    parts = []
    for child in tok.children or []:
        if child.type in ("text", "text_special"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        else:
            raise AssertionError(f"markup {child.type!r} in {tok.content!r}")
    return "".join(parts)


def rendered(markdown: str) -> dict[str, object]:
    """What a reader of the rendered export sees: front matter, headings, the first table
    row, block quotes and list items (paragraphs of an item joined by a blank line)."""
    assert markdown.startswith("---\n")
    front, body = markdown[4:].split("\n---\n", 1)
    tokens = MD.parse(body)
    out: dict[str, object] = {"front": yaml.safe_load(front), "headings": [], "quotes": [],
                              "items": [], "cells": []}
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            out["headings"].append(_inline(tokens[i + 1]))
        elif tok.type == "td_open":
            out["cells"].append(_inline(tokens[i + 1]))
        elif tok.type in ("blockquote_open", "list_item_open"):
            close = tok.type.replace("_open", "_close")
            depth, j, paragraphs = 1, i + 1, []
            while depth:
                depth += {tok.type: 1, close: -1}.get(tokens[j].type, 0)
                if tokens[j].type == "inline":
                    paragraphs.append(_inline(tokens[j]))
                j += 1
            out["quotes" if tok.type == "blockquote_open" else "items"].append(
                "\n\n".join(paragraphs))
            i = j
            continue
        i += 1
    return out


_STORE: list[Store] = []


def shared_store() -> Store:
    """One database for all examples (a new briefing each): hypothesis runs hundreds."""
    if not _STORE:
        folder = Path(tempfile.mkdtemp(prefix="bt-export-prop-"))
        _STORE.append(Store(folder / "b.db"))
    return _STORE[0]


@pytest.fixture(scope="module", autouse=True)
def _close_shared_store():
    yield
    while _STORE:
        _STORE.pop().close()


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(title=LINE, quote=MULTILINE, note=MULTILINE, speaker=LINE, role=LINE,
       topics=st.lists(LINE, max_size=3))
def test_property_user_text_reads_back_from_the_rendered_export(
        title: str, quote: str, note: str, speaker: str, role: str, topics: list[str]) -> None:
    name = " ".join(speaker.split())  # what the store keeps of a typed name
    role = role.strip()
    topics = sorted({normalize_topic(t) for t in topics} - {""})
    assume(name and title.strip() and quote)
    store = shared_store()
    info = store.add_briefing(title=title, source="", published="", url="", path="",
                              fmt="text", source_text=quote,
                              document=Document(text=quote, fmt="text"),
                              content_hash=f"prop-{len(store.list_briefings())}")
    highlight = store.create_highlight(info.id, 0, len(quote))
    assert highlight.exact == quote
    person = store.create_speaker(name + " " + str(info.id)[:8], role=role)
    store.set_speaker(highlight.id, person.id)
    store.set_stance(highlight.id, store.stance_by_key(3).id)
    store.set_topics(highlight.id, topics)
    store.set_note(highlight.id, note)
    heading = person.name + (f" — {role}" if role else "")

    by_order = rendered(to_markdown(store, [info.id], group_by="order"))
    assert by_order["front"]["title"] == title
    assert by_order["headings"] == [title, "Highlights in reading order"]
    assert by_order["quotes"] == [quote]
    wanted = [f"Speaker: {heading}", "Stance: conditional"]
    if topics:
        wanted.append("Topics: " + " ".join("#" + t for t in topics))
    if note:
        wanted.append(f"Note: {note}")
    items = by_order["items"]
    assert items[: len(wanted)] == wanted
    assert all(item.startswith(("Location: ", "Analyst: ")) for item in items[len(wanted):])
    assert items[-1] == f"Analyst: {store.analyst}"

    by_speaker = rendered(to_markdown(store, [info.id], group_by="speaker"))
    assert by_speaker["headings"] == [title, heading]
    assert by_speaker["cells"][0] == person.name  # the speaker × stance table
    assert by_speaker["quotes"] == [quote]
