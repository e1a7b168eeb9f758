"""Agreement between two analysts (#15.3): the statistics against published worked
examples, and a hand-computed two-file example end to end."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing_tui.cli import cli
from briefing_tui.core.agreement import (
    agreement,
    cohen_kappa,
    krippendorff_alpha,
    percent_agreement,
)
from briefing_tui.core.store import Store
from tests.core.test_merge import add
from tests.hostile import PAYLOAD, UNSAFE

pytest.importorskip("krippendorff", reason="the optional `team` extra (alpha)")


def test_cohen_kappa_wikipedia_example() -> None:
    # Wikipedia, "Cohen's kappa", simple example: 50 grant proposals, two readers.
    a = ["yes"] * 20 + ["yes"] * 5 + ["no"] * 10 + ["no"] * 15
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert percent_agreement(a, b) == pytest.approx(70.0)
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert cohen_kappa(["x", "x"], ["x", "x"]) is None  # undefined: one value throughout


def test_krippendorff_2011_worked_examples() -> None:
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability".
    # A. Binary data, two observers, no missing data: alpha = 0.095.
    a = list("0100000010")
    b = list("1110010000")
    assert krippendorff_alpha([a, b]) == pytest.approx(0.095, abs=5e-4)
    # Cohen's kappa of the same data, by hand: p_o = .6, p_e = .8*.6 + .2*.4 = .56.
    assert cohen_kappa(a, b) == pytest.approx((0.6 - 0.56) / 0.44)
    # C. Nominal data, any number of observers, missing data: alpha = 0.743.
    n = None
    rows = [["1", "2", "3", "3", "2", "1", "4", "1", "2", n, n, n],
            ["1", "2", "3", "3", "2", "2", "4", "1", "2", "5", n, "3"],
            [n, "3", "3", "3", "2", "3", "4", "2", "2", "5", "1", n],
            ["1", "2", "3", "3", "2", "4", "4", "1", "2", "5", "1", n]]
    assert krippendorff_alpha(rows) == pytest.approx(0.743, abs=5e-4)


SENTENCES = ["Peskov said the talks were useful.", "He added that progress was real.",
             "Witkoff called the plan a disaster.", "He said it would fail.",
             "Only Alice marked this one.", "Only Bob marked this " + PAYLOAD + " one."]
TEXT = " ".join(SENTENCES)


def code(path: Path, analyst: str, marks: list[tuple[int, str, str]],
         speakers: dict[str, tuple[str, list[str]]]) -> None:
    """Highlight whole sentences: (sentence index, speaker key, stance name)."""
    with Store(path, analyst=analyst) as store:
        bid = add(store, TEXT, "Hand example " + PAYLOAD)
        made = {key: store.create_speaker(name, aliases=aliases)
                for key, (name, aliases) in speakers.items()}
        stances = {s.name: s.id for s in store.stances()}
        for index, speaker, stance in marks:
            start = TEXT.index(SENTENCES[index])
            h = store.create_highlight(bid, start, start + len(SENTENCES[index]) - 3)
            store.set_speaker(h.id, made[speaker].id)
            store.set_stance(h.id, stances[stance])


@pytest.fixture()
def pair(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "alice.db", tmp_path / "bob.db"
    code(a, "alice", [(0, "P", "supports"), (1, "P", "supports"), (2, "W", "opposes"),
                      (3, "W", "opposes"), (4, "P", "neutral")],
         {"P": ("Dmitry Peskov", ["Peskov"]), "W": ("Steve Witkoff", [])})
    # Bob's "Peskov" is another row with another id: it meets Alice's by her alias.
    code(b, "bob", [(0, "P", "supports"), (1, "P", "opposes"), (2, "W", "opposes"),
                    (3, "P", "opposes"), (5, "W", "neutral")],
         {"P": ("peskov", []), "W": ("Steve Witkoff", [])})
    return a, b


def test_hand_computed_example(pair: tuple[Path, Path]) -> None:
    report = agreement(*pair)
    assert (report.analyst_a, report.analyst_b, report.units) == ("alice", "bob", 6)
    stats = {f.field: f for f in report.fields}
    # highlighted: A yyyyyn, B yyyyny. p_o = 4/6, p_e = 26/36 -> kappa = -0.2;
    # alpha: n = 12 (10 yes, 2 no), 2 split units: 1 - 11*2/(10*2) = -0.1.
    h = stats["highlighted"]
    assert (h.units, h.percent) == (6, pytest.approx(400 / 6))
    assert h.kappa == pytest.approx(-0.2) and h.alpha == pytest.approx(-0.1)
    # stance on the 4 units both coded: A s s o o, B s o o o. p_o = .75, p_e = .5 -> .5;
    # alpha: n = 8 (3 s, 5 o), 1 split unit: 1 - 7*1/(3*5) = 8/15.
    s = stats["stance"]
    assert s.units == 4 and s.kappa == pytest.approx(0.5) and s.alpha == pytest.approx(8 / 15)
    # speaker: A P P W W, B P P W P (Bob's "peskov" is Alice's Dmitry Peskov): the same.
    p = stats["speaker"]
    assert p.units == 4 and p.kappa == pytest.approx(0.5) and p.alpha == pytest.approx(8 / 15)
    differing = [(d.sentence[:12], d.fields) for d in report.disagreements]
    assert differing == [("He added tha", ("stance",)), ("He said it w", ("speaker",)),
                         ("Only Alice m", ("highlighted",)), ("Only Bob mar", ("highlighted",))]
    markdown = report.to_markdown()
    assert "| stance | 4 | 75.0% | 0.500 | 0.533 |" in markdown
    assert "  - alice: highlighted: yes; speaker: Dmitry Peskov; stance: supports" in markdown
    assert "  - bob: highlighted: yes; speaker: Dmitry Peskov; stance: opposes" in markdown


def test_cli_markdown_json_and_briefing_filter(pair: tuple[Path, Path]) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["agreement", str(pair[0]), str(pair[1])])
    assert result.exit_code == 0, result.output
    assert "| speaker | 4 | 75.0% | 0.500 | 0.533 |" in result.stdout
    assert "## Disagreements (4)" in result.stdout
    assert not UNSAFE.search(result.stdout)  # the hostile sentence and title are made safe
    result = runner.invoke(cli, ["agreement", str(pair[0]), str(pair[1]), "--json",
                                 "--briefing", "hand example"])
    data = json.loads(result.stdout)
    assert [f["kappa"] for f in data["fields"]] == pytest.approx([-0.2, 0.5, 0.5])
    assert not UNSAFE.search(result.stdout)
    result = runner.invoke(cli, ["agreement", str(pair[0]), str(pair[1]), "--briefing", "zzz"])
    assert result.exit_code == 1 and "no briefing matching" in result.stderr


def test_without_the_package_alpha_is_n_a(pair: tuple[Path, Path], monkeypatch) -> None:
    import builtins

    real = builtins.__import__

    def no_krippendorff(name: str, *args, **kwargs):
        if name == "krippendorff":
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_krippendorff)
    monkeypatch.setattr("briefing_tui.core.agreement.alpha_available", lambda: False)
    report = agreement(*pair)
    assert all(f.alpha is None for f in report.fields)
    assert not math.isnan(report.fields[0].kappa or 0.0)
    assert "pip install 'briefing-tui[team]'" in report.to_markdown()


def test_within_a_merged_database_gives_the_same_figures(pair: tuple[Path, Path]) -> None:
    from briefing_tui.core.agreement import agreement_within, analysts
    from briefing_tui.core.merge import merge

    two_files = agreement(*pair)
    with Store(pair[0], analyst="lead") as store:
        merge(store, pair[1])
        assert [name for name, _ in analysts(store.conn)] == ["alice", "bob"]
        merged = agreement_within(store.conn, "alice", "bob")
    assert merged.units == two_files.units
    assert [(f.field, f.units, f.kappa, f.alpha) for f in merged.fields] == \
        [(f.field, f.units, f.kappa, f.alpha) for f in two_files.fields]
    assert len(merged.disagreements) == 4
