"""Run the scenario groups, collect their figures, resolve ratios and bars."""

from __future__ import annotations

import importlib
import os
import shutil
import sys
import traceback
from collections.abc import Callable
from time import perf_counter
from typing import Any

from benchmarks.fixtures import Fixtures
from benchmarks.harness import ERROR, MISSING, Config, Figure, resolve, results_document
from benchmarks.scenarios import GROUPS

CONFIG_ENV = "BRIEFING_TUI_CONFIG"  # briefing_tui.ui.keymap reads the key map from here


def _missing_module(error: ImportError) -> str | None:
    """The module under test that is not there yet, if that is what ``error`` means."""
    name = getattr(error, "name", None) or ""
    if name.startswith("briefing_tui"):
        return name
    text = str(error)
    return text if "briefing_tui" in text else None


def run_suite(config: Config, log: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Run every group of ``config`` and return the ``results.json`` document.

    The figures (with ratios and verdicts) are under ``document["figures"]``
    as :class:`Figure` objects too, for the caller's table; that key is not written.
    """
    say = log or (lambda text: None)
    started = perf_counter()
    fx = Fixtures(config)
    figures: list[Figure] = []
    # The app (in-process and in subprocesses) must not read the user's key map.
    saved_config = os.environ.get(CONFIG_ENV)
    os.environ[CONFIG_ENV] = str(fx.work / "no-config.toml")
    try:
        for group in GROUPS:
            if config.only and group not in config.only:
                continue
            module = importlib.import_module(f"benchmarks.scenarios.{group}")
            names: list[str] = list(module.NAMES)
            say(f"· {group} …")
            t0 = perf_counter()
            try:
                produced = module.run(fx)
            except ImportError as error:
                missing = _missing_module(error)
                if missing is None:
                    raise
                figures += [Figure(n, status=MISSING, note=f"not importable: {missing}")
                            for n in names]
                say(f"  missing ({missing})")
                continue
            except Exception as error:  # noqa: BLE001 - one broken group must not hide the others
                traceback.print_exc(file=sys.stderr)
                line = f"{type(error).__name__}: {error}".splitlines()[0][:160]
                figures += [Figure(n, status=ERROR, note=line) for n in names]
                say(f"  error: {line}")
                continue
            by_name = {f.name: f for f in produced}
            for n in names:
                figures.append(by_name.pop(n, None) or Figure(n, status=ERROR,
                                                              note="not produced"))
            figures += by_name.values()
            say(f"  done in {perf_counter() - t0:.1f} s")
    finally:
        if saved_config is None:
            os.environ.pop(CONFIG_ENV, None)
        else:
            os.environ[CONFIG_ENV] = saved_config
        if config.work_dir is None:
            shutil.rmtree(fx.work, ignore_errors=True)
    resolved = resolve(figures)
    document = results_document(resolved, config, perf_counter() - started)
    document["figures"] = resolved
    return document
