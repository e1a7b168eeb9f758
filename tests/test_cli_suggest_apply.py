"""`briefing-tui suggest --apply [--min-confidence X]`: pending proposals become
highlights marked unreviewed; exports say so; hostile text stays out of the terminal."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing_tui import paths
from briefing_tui.cli import cli
from briefing_tui.core import review
from briefing_tui.core.document import parse_text
from briefing_tui.core.store import Store
from tests.hostile import UNSAFE

WIRE = ("Ministry talks in the capital\n\n"
        "Kremlin spokesman Dmitry Peskov spoke to reporters on Monday. "
        '"Everything is progressing well," Peskov said.\n\n'
        "Foreign Minister Sergei Lavrov said that no deal was near.\n\n"
        "Peskov also said that the next round would come in spring.\n")
QUOTE = '"Everything is progressing well," Peskov said'
LAVROV = "Foreign Minister Sergei Lavrov said that no deal was near."
SPRING = "Peskov also said that the next round would come in spring."


@pytest.fixture()
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.delenv(paths.DB_ENV, raising=False)
    monkeypatch.setattr(paths, "default_db_path", lambda: tmp_path / "default" / "briefings.db")
    return CliRunner()


@pytest.fixture()
def db(runner: CliRunner, tmp_path: Path) -> Path:
    src = tmp_path / "wire.txt"
    src.write_text(WIRE, encoding="utf-8")
    db = tmp_path / "b.db"
    result = runner.invoke(cli, ["--db", str(db), "import", str(src)])
    assert result.exit_code == 0, result.output
    return db


def highlights(db: Path) -> list[tuple[str, str, bool]]:
    with Store(db) as store:
        bid = store.list_briefings()[0].id
        return [(h.exact, store.speaker(h.speaker_id or "").name, bool(h.reviewed))
                for h in store.highlights(bid)]


def test_apply_highlights_the_proposals_unreviewed(runner: CliRunner, db: Path) -> None:
    result = runner.invoke(cli, ["--db", str(db), "suggest", "Ministry", "--apply"])
    assert result.exit_code == 0, result.output
    assert highlights(db) == [(QUOTE, "Dmitry Peskov", False), (LAVROV, "Sergei Lavrov", False),
                              (SPRING, "Dmitry Peskov", False)]
    assert "3 suggestions highlighted" in result.output and "Sergei Lavrov" in result.output
    again = runner.invoke(cli, ["--db", str(db), "suggest", "Ministry", "--apply"])
    assert "0 suggestions highlighted" in again.output  # overlapping ones are skipped
    assert len(highlights(db)) == 3


def test_apply_skips_rejected_proposals_and_honours_the_threshold(runner: CliRunner,
                                                                  db: Path) -> None:
    with Store(db) as store:
        bid = store.list_briefings()[0].id
        text = store.get_briefing(bid).document.text
        first, lavrov, spring = review.pending_proposals(store, bid)
        review.reject(store, bid, lavrov, text)
    assert first.confidence > spring.confidence
    result = runner.invoke(cli, ["--db", str(db), "suggest", "Ministry", "--apply", "--json",
                                 "--min-confidence", str(first.confidence)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["quote"], r["speaker"], r["reviewed"]) for r in rows] == [
        (QUOTE, "Dmitry Peskov", False)]
    assert highlights(db) == [(QUOTE, "Dmitry Peskov", False)]
    runner.invoke(cli, ["--db", str(db), "suggest", "Ministry", "--apply"])
    assert highlights(db) == [(QUOTE, "Dmitry Peskov", False), (SPRING, "Dmitry Peskov", False)]


def test_min_confidence_is_checked(runner: CliRunner, db: Path) -> None:
    result = runner.invoke(cli, ["--db", str(db), "suggest", "Ministry", "--apply",
                                 "--min-confidence", "2"])
    assert result.exit_code == 2 and highlights(db) == []


def test_exports_mark_unreviewed_highlights(runner: CliRunner, db: Path) -> None:
    runner.invoke(cli, ["--db", str(db), "suggest", "Ministry", "--apply",
                        "--min-confidence", "0"])
    with Store(db) as store:
        bid = store.list_briefings()[0].id
        first = store.highlights(bid)[0]
        store.mark_reviewed(first.id)
    md = runner.invoke(cli, ["--db", str(db), "export", "Ministry"]).output
    assert md.count("- Review: suggested, not yet reviewed") == 2
    rows = json.loads(runner.invoke(cli, ["--db", str(db), "export", "Ministry", "--format",
                                          "json"]).output)
    assert [a.get("reviewed", True) for a in _annotations(rows)] == [True, False, False]
    csv = runner.invoke(cli, ["--db", str(db), "export", "Ministry", "--format", "csv"]).output
    lines = csv.splitlines()
    assert lines[0].endswith(",changed_from,created_by,updated_by,unreviewed")
    assert [line.endswith(",yes") for line in lines[1:]] == [False, True, True]


def _annotations(data: object) -> list[dict[str, object]]:
    """Every annotation object in an export, wherever the format nests them."""
    found: list[dict[str, object]] = []
    if isinstance(data, dict):
        if data.get("type") == "Annotation":
            return [data]
        for value in data.values():
            found += _annotations(value)
    elif isinstance(data, list):
        for value in data:
            found += _annotations(value)
    return found


def test_apply_prints_no_control_from_hostile_text(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    text = ("Hostile \x1b]0;PWNED\x07\n\nMR. HALE: Good \x1b[2J after\x9b2Jnoon \u202eevil.\n\n"
            "QUESTION: Why?\n\nMR. HALE: =cmd|' /C calc'!A0 again.\n")
    with Store(db) as store:
        store.add_briefing(title="Hostile \x1b]0;PWNED\x07", source="", published="", url="",
                           path=str(tmp_path / "h.txt"), fmt="text", source_text=text,
                           document=parse_text(text),
                           content_hash=hashlib.sha256(text.encode()).hexdigest())
        store.create_speaker("Daniel \x1b[31mHale\u202e", aliases=["Hale"])
    result = runner.invoke(cli, ["--db", str(db), "suggest", "Hostile", "--apply"])
    assert result.exit_code == 0, result.output
    assert "2 suggestions highlighted" in result.output and "Hale" in result.output
    assert UNSAFE.search(result.output) is None, repr(result.output)
    as_json = runner.invoke(cli, ["--db", str(db), "suggest", "Hostile", "--apply", "--json"])
    assert UNSAFE.search(as_json.output) is None
    json_out = runner.invoke(cli, ["--db", str(db), "export", "Hostile", "--format",
                                   "json"]).output
    assert UNSAFE.search(json_out) is None and json_out.count('"reviewed": false') == 2
    csv = runner.invoke(cli, ["--db", str(db), "export", "Hostile", "--format", "csv"]).output
    assert UNSAFE.search(csv) is None and ",=cmd" not in csv and ",'=cmd" in csv
