"""``python -m benchmarks.import_rss_child FILE DB``: peak RSS of importing FILE into DB.

Imports the importer and the store first (their modules are the same for any file), reads
``VmHWM`` (the baseline), imports FILE into a fresh database DB as ``briefing-tui import``
does, and prints one JSON line: the baseline and the peak in KiB.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from benchmarks.rss_child import peak_kib


def measure(file: Path, db: Path) -> dict[str, int]:
    """Baseline after the imports, then the peak over the whole import."""
    from briefing_tui.core.importer import import_paths
    from briefing_tui.core.markdown_render import render_markdown
    from briefing_tui.core.store import Store

    render_markdown("# warm\n\nup")  # markdown-it's parser built, as for any file
    base = peak_kib()
    with Store(db) as store:
        import_paths(store, [file])
    return {"base_kib": base, "peak_kib": peak_kib()}


if __name__ == "__main__":
    result = measure(Path(sys.argv[1]), Path(sys.argv[2]))
    print(json.dumps(result), file=sys.__stdout__, flush=True)
