"""The attribution engine on our own gold set (tests/gold): the issue's targets hold.

Only our own set is scored here; the project's hidden set is never asserted on.
"""

from __future__ import annotations

from briefing_tui.core.attribution import KINDS
from tests.gold.goldset import load, parse_marked, score


def test_the_gold_set_has_150_statements_of_every_kind() -> None:
    briefings = load()
    statements = [s for b in briefings for s in b.statements]
    assert len(statements) >= 150
    assert {s.kind for s in statements} == set(KINDS)


def test_precision_and_recall_meet_the_targets_on_every_kind() -> None:
    sc = score(load())
    for kind in KINDS:
        assert sc.precision(kind) >= 0.95, (kind, sc.table(), sc.wrong)
        assert sc.recall(kind) >= 0.85, (kind, sc.table(), sc.misses)


def test_the_marked_format_keeps_the_text_as_read() -> None:
    gb = parse_marked("x", "T\n\n# speakers: A B = B\n\n{{A B|direct|\"Hi,\" A B said.}} End.")
    assert gb.doc.text == 'T\n\n"Hi," A B said. End.'
    [s] = gb.statements
    assert gb.doc.text[s.start:s.end] == '"Hi," A B said.' and s.names == {"a b", "b"}


def test_a_wrong_speaker_counts_against_precision() -> None:
    gb = parse_marked("x", '{{Someone Else|direct|"Hi," Anna Berg said.}}')
    sc = score([gb])
    assert sc.precision() == 0.0 and sc.recall() == 0.0
