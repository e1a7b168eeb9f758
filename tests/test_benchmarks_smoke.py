"""Smoke test of the benchmark suite: the ``--quick`` code paths on tiny sizes, in-process.

Asserts the shape of the results (every stable scenario name, numeric figures,
ratios against references, verdicts for the bars) and that the corpora are
deterministic — never a wall-clock time.
"""

from __future__ import annotations

import importlib
import json
import math
from pathlib import Path

import pytest

from benchmarks import corpora
from benchmarks.__main__ import main
from benchmarks.harness import OK, Bar, Config, Figure, percentile, resolve, table
from benchmarks.runner import run_suite
from benchmarks.scenarios import GROUPS


def _all_names() -> list[str]:
    names: list[str] = []
    for group in GROUPS:
        names += importlib.import_module(f"benchmarks.scenarios.{group}").NAMES
    return names


STABLE = [
    "open_5mb", "open_5mb_floor", "key_row_5mb", "key_row_10kb", "cpu_row_5mb",
    "key_word_5mb", "key_sentence_5mb", "key_page_5mb", "key_end_5mb", "key_select_5mb",
    "key_next_highlight_5mb", "cpu_next_highlight_10kb", "resize_5mb",
    "store_create_0", "store_create_100k", "store_restyle_100k", "store_delete_100k",
    "sqlite_commit_row", "sidebar_open_10k", "sidebar_open_100", "sidebar_scroll_10k",
    "import_5mb", "markdown_it_parse_5mb", "export_md_10k", "export_json_10k",
    "export_csv_10k", "cold_start", "cold_start_bare", "rss_5mb", "rss_5mb_floor", "search_p50",
    "matrix_200k", "matrix_topic_200k", "library_20", "library_50", "library_2000",
    "change_stance_20k", "change_undo_100", "first_end_5mb", "find_first_50mb",
]


def tiny(tmp_path: Path) -> Config:
    """The quick configuration, shrunk further: one repeat, no warm-up, a few KB."""
    return Config.quick_run(
        repeats=1, warmup=False, store_ops=12, data_dir=tmp_path / "data", work_dir=tmp_path / "work",
        sizes={"10kb": 4_000, "1mb": 12_000, "5mb": 30_000, "20mb": 40_000, "50mb": 50_000},
        highlights={"100": 20, "10k": 60, "20k": 80, "100k": 200})


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One tiny run of the whole suite (shared by the tests below)."""
    return run_suite(tiny(tmp_path_factory.mktemp("bench")))


def test_every_stable_name_is_measured(document: dict) -> None:
    names = set(document["scenarios"])
    assert set(STABLE) <= set(_all_names())
    assert set(_all_names()) <= names
    broken = {n: s["note"] for n, s in document["scenarios"].items() if s["status"] != OK}
    assert broken == {}


def test_figures_are_numbers_with_ratios_and_verdicts(document: dict) -> None:
    for name, fig in document["scenarios"].items():
        assert fig["n"] >= 1, name
        for key in ("median", "min", "max"):
            assert isinstance(fig[key], float) and math.isfinite(fig[key]) and fig[key] >= 0, name
        assert fig["min"] <= fig["median"] <= fig["max"], name
        if fig["reference"]:
            assert fig["reference"] in document["scenarios"], name
            assert isinstance(fig["ratio"], float) and fig["ratio"] > 0, name
        if fig["bar"]:
            assert isinstance(fig["met"], bool), name
    store = document["scenarios"]["store_create_100k"]
    assert store["extra"]["p50"] <= store["extra"]["p99"]
    meta = document["meta"]
    assert meta["mode"] == "quick" and meta["bars_total"] >= 20
    json.dumps({k: v for k, v in document.items() if k != "figures"})  # serialisable


def test_table_lists_every_figure(document: dict) -> None:
    text = table(document["figures"])
    for name in _all_names():
        assert f"| {name} |" in text


def test_main_writes_results_and_reports_status(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks import harness

    base = vars(tiny(tmp_path))
    monkeypatch.setattr(harness.Config, "quick_run",
                        classmethod(lambda cls, **changes: cls(**{**base, **changes})))
    out = tmp_path / "results.json"
    assert main(["--quick", "--only", "store_ops", "exporting", "-o", str(out)]) == 0
    written = json.loads(out.read_text(encoding="utf-8"))
    assert {"store_create_100k", "export_md_10k", "sqlite_commit_row"} <= set(written["scenarios"])
    assert "open_5mb" not in written["scenarios"]
    captured = capsys.readouterr()
    assert "| store_create_100k |" in captured.out
    assert "synthetic briefings generated" in captured.err  # no corpus needed, and it says so


def test_missing_module_is_reported_not_faked(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks.scenarios import exporting

    def broken(fx: object) -> list:
        raise ModuleNotFoundError("No module named 'briefing_tui.core.nothing'",
                                  name="briefing_tui.core.nothing")

    monkeypatch.setattr(exporting, "run", broken)
    doc = run_suite(Config(**{**vars(tiny(tmp_path)), "only": ("exporting",)}))
    statuses = {n: s["status"] for n, s in doc["scenarios"].items()}
    assert statuses == {name: "missing" for name in exporting.NAMES}
    assert all(s["median"] is None for s in doc["scenarios"].values())


def test_bars_and_ratios() -> None:
    figs = resolve([
        Figure("a", samples=[3.0, 1.0, 2.0], reference="b", bar=Bar("ratio", 1.5)),
        Figure("b", samples=[1.0, 1.0, 2.0]),
        Figure("c", samples=[1.0, 5.0], bar=Bar("max", 2.0, stat="p50"), extra={"p50": 1.5}),
        Figure("d", samples=[9.0], bar=Bar("max", 2.0)),
    ])
    assert figs["a"].ratio == 2.0 and figs["a"].met is False
    assert figs["b"].ratio is None and figs["b"].met is None
    assert figs["c"].met is True
    assert figs["d"].met is False
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([5], 99) == 5


def test_corpus_is_deterministic_and_shaped(tmp_path: Path) -> None:
    text = corpora.briefing_markdown(20_000)
    assert text == corpora.briefing_markdown(20_000)
    assert len(text.encode()) >= 20_000
    assert text.startswith("---\ntitle: ")
    assert corpora.FIRST_SCREEN_MARKER in text.split("\n## ")[0]
    assert max(map(ord, text)) > 0xFFFF  # same (4-byte) string kind at every size
    for shape in ("\n## Day ", "\n- ", "\n| --- |", "\n> ", "MR. PRICE: ", "QUESTION: ", '"'):
        assert shape in text, shape
    path = corpora.briefing_file(20_000, tmp_path)
    assert path.read_text(encoding="utf-8") == text
    spans = corpora.spread_spans(len(text), 50)
    assert len(spans) == 50 and all(0 <= s < e <= len(text) for s, e in spans)
