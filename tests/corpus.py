"""Where the real briefings are, and how a test that needs them says it.

The corpus (``../shared/corpus`` beside the clone, or the folder named by
``BRIEFING_TUI_CORPUS``) is not part of the repository: a bare clone has none. A test that
reads it is marked :data:`needs_corpus` and skips, with the reason, when it is absent. CI
with the corpus sets ``BRIEFING_TUI_REQUIRE_CORPUS=1``: then nothing skips, and a missing
corpus fails those tests instead of silently passing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("BRIEFING_TUI_CORPUS") or REPO.parent / "shared" / "corpus")
REQUIRED = os.environ.get("BRIEFING_TUI_REQUIRE_CORPUS", "") not in ("", "0")
PRESENT = CORPUS.is_dir()

needs_corpus = pytest.mark.skipif(
    not PRESENT and not REQUIRED,
    reason=f"needs the real briefings of {CORPUS}, absent here (a bare clone): put them at "
           "../shared/corpus or set BRIEFING_TUI_CORPUS",
)


def corpus_files() -> list[Path]:
    """The corpus briefings (``.md`` and ``.txt``, not its README), sorted; [] if absent."""
    if not PRESENT:
        return []
    return sorted(p for p in CORPUS.iterdir()
                  if p.suffix in (".md", ".txt") and p.name != "README.md")


def corpus_params(suffix: str = "") -> list[object]:
    """File names (ending with ``suffix``) to parametrize a test over: the corpus's, or one
    skipped placeholder (pytest would skip an empty parameter set with a reason of its own)."""
    names = [p.name for p in corpus_files() if p.name.endswith(suffix)]
    return names or [pytest.param("absent", marks=needs_corpus)]
