"""Run the ``briefing-tui`` command line as the unprivileged user `nobody`.

    python run_as_nobody.py ARGS...

The tests run as root, who ignores file permissions, so read-only locations are only
read-only for another user. The interpreter and its standard library may live in a
folder `nobody` cannot enter (e.g. ``/root/.pyenv``), while the venv's packages are
readable by all. So this script starts as root, imports the standard library (code
anywhere may import a stdlib module lazily), then drops to `nobody` and runs
``briefing_tui.cli.main(ARGS)``.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

NOBODY = 65534
# Never imported: side effects (a browser, a poem), GUIs, other platforms, test suites.
SKIP = {"antigravity", "this", "tkinter", "turtle", "turtledemo", "idlelib", "test", "lib2to3",
        "pydoc_data", "ensurepip", "venv", "msvcrt", "winreg", "winsound", "nt", "msilib",
        "webbrowser", "pydoc", "pty"}
# Submodules a package's own import does not load.
SUBMODULES = ["urllib.parse", "urllib.request", "json.decoder", "concurrent.futures.thread",
              "importlib.metadata", "importlib.resources", "email.utils", "html.entities",
              "html.parser", "logging.handlers", "xml.etree.ElementTree", "encodings.idna",
              "encodings.cp1252", "encodings.latin_1", "encodings.utf_16", "encodings.ascii",
              "asyncio.unix_events", "multiprocessing.connection", "unittest.mock"]


def preload_stdlib() -> None:
    """Import every importable stdlib module (quietly; ~0.7 s)."""
    names = [n for n in sorted(sys.stdlib_module_names)
             if n not in SKIP and not n.startswith("_")] + SUBMODULES
    sink = io.StringIO()
    for name in names:
        with contextlib.suppress(Exception), contextlib.redirect_stdout(sink), \
                contextlib.redirect_stderr(sink):
            importlib.import_module(name)


def main(argv: list[str]) -> None:
    """Preload, drop privileges, run the CLI."""
    preload_stdlib()
    from briefing_tui.cli import main as cli_main

    if os.geteuid() == 0:
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
    cli_main(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
