"""What the doctests of ``briefing_tui`` get: ``tmp_path``, a fresh folder per example block,
so an example can open a real database without touching anything else."""

from __future__ import annotations

from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent / "briefing_tui"


@pytest.fixture(autouse=True)
def _doctest_tmp_path(request: pytest.FixtureRequest, doctest_namespace: dict) -> None:
    """Put ``tmp_path`` in the namespace of the package's doctests (other tests: nothing)."""
    if PACKAGE in Path(request.node.path).parents:
        doctest_namespace["tmp_path"] = request.getfixturevalue("tmp_path")


@pytest.fixture(autouse=True)
def _exports_stay_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An export made by the app in any test goes to the test's folder, never the user's
    documents (tests that check the folder setting itself unset this)."""
    monkeypatch.setenv("BRIEFING_TUI_EXPORT_DIR", str(tmp_path))


@pytest.fixture(autouse=True)
def _one_analyst(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every store of a test records the analyst "tester" (not the login name: golden
    exports stay the same on every machine); tests of the analyst setting override it."""
    monkeypatch.setenv("BRIEFING_TUI_ANALYST", "tester")
    monkeypatch.setattr("briefing_tui.core.analyst._override", None)  # `--analyst` of a test
