"""Changed highlights: re-anchored by a fuzzy match onto text that differs from the
quote as marked. The store keeps the old quote until the analyst accepts (undoable) or
re-attaches; counts and re-imports respect it."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing_tui.core.importer import import_paths
from briefing_tui.core.models import ANCHORED, ORPHANED
from briefing_tui.core.store import Store

BRIEFING = (
    "# One month in\n\n"
    "Today marks one month of the new administration. The President has already signed "
    "73 executive orders, more than any predecessor in the same time.\n\n"
    "Asked about the conflict, the adviser said the sanctions campaign has undermined the "
    "talks and would be reviewed in the spring.\n\n"
    "Questions on the budget were referred to the treasury, which will answer next week.\n"
)
ORDERS = "The President has already signed 73 executive orders"
TALKS = "the sanctions campaign has undermined the talks"
KEPT = "Questions on the budget were referred to the treasury"


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "b.db") as opened:
        yield opened


@pytest.fixture
def changed(store: Store, tmp_path: Path) -> dict[str, str]:
    """The briefing imported with three highlights, then re-imported with two of the
    quotes edited in place ("73" -> "74", "has undermined" -> "has not undermined")."""
    path = tmp_path / "month.md"
    path.write_text(BRIEFING, encoding="utf-8")
    [result] = import_paths(store, [path])
    bid = result.briefing_id
    text = store.get_briefing(bid).document.text
    ids = {"briefing": bid, "path": str(path)}
    for name, quote in (("orders", ORDERS), ("talks", TALKS), ("kept", KEPT)):
        start = text.index(quote)
        ids[name] = store.create_highlight(bid, start, start + len(quote)).id
    path.write_text(BRIEFING.replace("signed 73", "signed 74").replace(
        "has undermined", "has not undermined"), encoding="utf-8")
    [result] = import_paths(store, [path])
    assert (result.action, result.reanchored, result.orphaned) == ("updated", 3, 0)
    return ids


def test_a_fuzzy_placement_on_other_text_is_marked_changed_with_old_and_new_quote(
        store: Store, changed: dict[str, str]) -> None:
    text = store.get_briefing(changed["briefing"]).document.text
    orders = store.highlight(changed["orders"])
    assert orders.changed and orders.status == ANCHORED
    assert (orders.previous_exact, orders.exact) == (
        ORDERS, "The President has already signed 74 executive orders")
    assert text[orders.start:orders.end] == orders.exact
    talks = store.highlight(changed["talks"])
    assert talks.changed
    assert (talks.previous_exact, talks.exact) == (
        TALKS, "the sanctions campaign has not undermined the talks")
    kept = store.highlight(changed["kept"])  # found exactly: not changed
    assert not kept.changed and kept.previous_exact is None and kept.exact == KEPT


def test_changed_highlights_are_counted(store: Store, changed: dict[str, str]) -> None:
    info = store.briefing_info(changed["briefing"])
    assert (info.highlight_count, info.orphan_count, info.changed_count) == (3, 0, 2)
    [listed] = store.list_briefings()
    assert listed.changed_count == 2


def test_accept_clears_the_marker_and_is_undoable(store: Store, changed: dict[str, str]) -> None:
    accepted = store.accept_change(changed["orders"])
    assert not accepted.changed and accepted.previous_exact is None
    assert accepted.exact == "The President has already signed 74 executive orders"
    assert store.briefing_info(changed["briefing"]).changed_count == 1
    assert store.undo(changed["briefing"]) == "accept change"
    again = store.highlight(changed["orders"])
    assert again.changed and again.previous_exact == ORDERS
    assert store.redo(changed["briefing"]) == "accept change"
    assert not store.highlight(changed["orders"]).changed


def test_reattach_clears_the_marker(store: Store, changed: dict[str, str]) -> None:
    talks = store.highlight(changed["talks"])
    placed = store.reattach_highlight(talks.id, talks.start, talks.start + 10)
    assert not placed.changed and placed.previous_exact is None
    store.undo(changed["briefing"])
    assert store.highlight(talks.id).previous_exact == TALKS


def test_a_second_edit_keeps_the_quote_as_marked_and_an_edit_back_clears_it(
        store: Store, changed: dict[str, str]) -> None:
    path = Path(changed["path"])
    path.write_text(BRIEFING.replace("signed 73", "signed 75"), encoding="utf-8")
    import_paths(store, [path])
    orders = store.highlight(changed["orders"])
    assert (orders.previous_exact, orders.exact) == (
        ORDERS, "The President has already signed 75 executive orders")
    talks = store.highlight(changed["talks"])  # its text is back as marked
    assert talks.exact == TALKS and not talks.changed and talks.previous_exact is None


def test_an_orphan_is_not_counted_changed(store: Store, changed: dict[str, str]) -> None:
    path = Path(changed["path"])
    path.write_text(BRIEFING.replace(
        "The President has already signed 73 executive orders, more than any predecessor",
        "Nothing was said about orders"), encoding="utf-8")
    import_paths(store, [path])
    orders = store.highlight(changed["orders"])
    assert orders.status == ORPHANED and not orders.changed
    assert store.briefing_info(changed["briefing"]).changed_count == 0


@pytest.mark.parametrize("where", ["down", "up"])
def test_a_re_import_with_a_paragraph_moved_keeps_every_highlight_exactly(
        store: Store, tmp_path: Path, where: str) -> None:
    paras = BRIEFING.rstrip("\n").split("\n\n")  # heading, orders, talks, kept
    path = tmp_path / "moved.md"
    path.write_text(BRIEFING, encoding="utf-8")
    [result] = import_paths(store, [path])
    bid = result.briefing_id
    text = store.get_briefing(bid).document.text
    made = {q: store.create_highlight(bid, text.index(q), text.index(q) + len(q)).id
            for q in (ORDERS, TALKS, KEPT, paras[2])}
    order = [0, 2, 3, 1] if where == "down" else [0, 3, 1, 2]
    path.write_text("\n\n".join(paras[i] for i in order) + "\n", encoding="utf-8")
    [result] = import_paths(store, [path])
    assert (result.reanchored, result.orphaned) == (4, 0)
    text = store.get_briefing(bid).document.text
    for quote, hid in made.items():
        h = store.highlight(hid)
        assert (h.start, h.end, h.exact, h.changed) == (
            text.index(quote), text.index(quote) + len(quote), quote, False)
