"""The core never imports textual: every core module imports in a fresh interpreter without it."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import briefing_tui.core


def test_no_core_module_pulls_in_textual() -> None:
    modules = [f"briefing_tui.core.{m.name}" for m in pkgutil.iter_modules(briefing_tui.core.__path__)]
    assert {"briefing_tui.core.document", "briefing_tui.core.store"} <= set(modules)
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
