"""`briefing-tui suggest`: the proposals of one briefing as a table or JSON Lines."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing_tui import paths
from briefing_tui.cli import cli
from briefing_tui.core.document import parse_text
from briefing_tui.core.store import Store
from tests.corpus import CORPUS, needs_corpus
from tests.hostile import UNSAFE

TRANSCRIPT = ("Ministry Press Briefing\n\nDaniel Hale, Ministry Spokesperson\n\n"
              "MR. HALE: Good afternoon.\n\nQUESTION: Is it true?\n\nMR. HALE: It is.\n")


@pytest.fixture()
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.delenv(paths.DB_ENV, raising=False)
    monkeypatch.setattr(paths, "default_db_path", lambda: tmp_path / "default" / "briefings.db")
    return CliRunner()


def _import(runner: CliRunner, db: Path, path: Path) -> None:
    result = runner.invoke(cli, ["--db", str(db), "import", str(path)])
    assert result.exit_code == 0, result.output


def _json_rows(runner: CliRunner, db: Path, ref: str) -> list[dict[str, object]]:
    result = runner.invoke(cli, ["--db", str(db), "suggest", ref, "--json"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_json_lines_hold_the_exact_quote_and_the_speaker(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "hale.txt"
    src.write_text(TRANSCRIPT, encoding="utf-8")
    db = tmp_path / "b.db"
    _import(runner, db, src)
    rows = _json_rows(runner, db, "Ministry Press")
    assert [(r["quote"], r["speaker"], r["role"], r["kind"], r["cue"]) for r in rows] == [
        ("Good afternoon.", "Daniel Hale", "Ministry Spokesperson", "turn", "MR. HALE:"),
        ("It is.", "Daniel Hale", "Ministry Spokesperson", "turn", "MR. HALE:")]
    with Store(db) as store:
        text = store.get_briefing(store.list_briefings()[0].id).document.text
    for r in rows:
        assert text[r["start"]:r["end"]] == r["quote"]
        assert set(r) >= {"start", "end", "quote", "speaker", "role", "kind", "cue", "confidence"}
        assert 0 <= r["confidence"] <= 1


def test_the_table_prints_no_control_from_the_text(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    # Stored straight (as a database written before the importer cleaned text holds it).
    text = "Hostile\n\nMR. HALE: Good \x1b]0;PWNED\x07 after\x9b2Jnoon \u202eevil.\n"
    with Store(db) as store:
        store.add_briefing(title="Hostile", source="", published="", url="",
                           path=str(tmp_path / "h.txt"), fmt="text", source_text=text,
                           document=parse_text(text),
                           content_hash=hashlib.sha256(text.encode()).hexdigest())
    result = runner.invoke(cli, ["--db", str(db), "suggest", "Hostile"])
    assert result.exit_code == 0, result.output
    assert "turn" in result.output and "Hale" in result.output
    assert UNSAFE.search(result.output) is None, repr(result.output)
    json_out = runner.invoke(cli, ["--db", str(db), "suggest", "Hostile", "--json"]).output
    assert UNSAFE.search(json_out) is None and "\\u001b" in json_out


@needs_corpus
def test_seed_article_proposes_peskov_polishchuk_lavrov_and_the_isw_analysts(
        runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    _import(runner, db, CORPUS / "seed_isw_peskov_unn.txt")
    rows = _json_rows(runner, db, "incompatible")
    speakers = {str(r["speaker"]) for r in rows}
    assert {"Dmitry Peskov", "Oleksiy Polishchuk", "Lavrov",
            "Institute for the Study of War"} <= speakers
    by_quote = {str(r["quote"])[:30]: r["speaker"] for r in rows}
    assert by_quote["Peskov said ... that \"everythi"] == "Dmitry Peskov"
    assert any(str(r["quote"]).startswith('"Peskov\'s and Polishchuk\'s comments')
               and r["speaker"] == "Institute for the Study of War" for r in rows)


@needs_corpus
def test_every_price_turn_is_ned_price_and_no_question_is_his(runner: CliRunner,
                                                               tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    _import(runner, db, CORPUS / "state_dpb_2022-05-31_price.txt")
    rows = _json_rows(runner, db, "Department Press Briefing")
    with Store(db) as store:
        text = store.get_briefing(store.list_briefings()[0].id).document.text
    price_turns = [m.end() for m in re.finditer(r"^MR PRICE:\s*", text, re.MULTILINE)]
    question_turns = [m.end() for m in re.finditer(r"^QUESTION:\s*", text, re.MULTILINE)]
    assert len(price_turns) > 50 and len(question_turns) > 50
    starts = {int(r["start"]): r for r in rows}  # type: ignore[call-overload]
    for at in price_turns:
        if text[at:at + 1].strip():  # a turn with words after its marker
            assert starts[at]["speaker"] == "Ned Price", text[at:at + 60]
    for r in rows:
        assert r["speaker"] == "Ned Price"
        para_start = text.rfind("\n\n", 0, int(r["start"])) + 2  # type: ignore[call-overload]
        assert not text[para_start:para_start + 9].startswith("QUESTION"), r["quote"]
    assert not set(question_turns) & set(starts)
