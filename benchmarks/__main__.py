"""``python -m benchmarks [--quick] [--only GROUP ...] [--repeats N] [-o FILE] [--check]``.

Full run: the sizes of issue 4 (10 KB / 1 MB / 5 MB / 20 MB, 10k and 100k
highlights), 5 repeats; writes ``benchmarks/results.json``. ``--quick``: small sizes,
2 repeats, under a minute (CI); writes ``benchmarks/_data/results-quick.json``.
Exit status: 1 if a scenario is missing or failed, or with ``--check`` if a bar is
missed; else 0.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from benchmarks import corpora
from benchmarks.harness import OK, Config, table, write_results
from benchmarks.scenarios import GROUPS

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    """Run the suite, print the table, write the results."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, 2 repeats (CI smoke)")
    parser.add_argument("--only", nargs="+", choices=GROUPS, default=(), metavar="GROUP",
                        help=f"run only these groups: {', '.join(GROUPS)}")
    parser.add_argument("--repeats", type=int, help="repeats per scenario")
    parser.add_argument("-o", "--output", type=Path, help="where to write the JSON results")
    parser.add_argument("--check", action="store_true", help="exit 1 when a bar is missed")
    args = parser.parse_args(argv)

    changes: dict = {"only": tuple(args.only)}
    if args.repeats:
        changes["repeats"] = args.repeats
    config = Config.quick_run(**changes) if args.quick else Config.full(**changes)
    output = args.output or (HERE / "_data" / "results-quick.json" if args.quick
                             else HERE / "results.json")

    from benchmarks.runner import run_suite

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    log(f"briefing-tui benchmarks ({'quick' if args.quick else 'full'} run, "
        f"{config.repeats} repeats)")
    # Said so the reader of a CI log knows: no run needs ../shared/corpus (absent in a bare clone).
    log(f"text: synthetic briefings generated from seed {corpora.SEED} (benchmarks/corpora.py),"
        " the same bytes on every machine; the real corpus is never read")
    document = run_suite(config, log=log)
    figures = document.pop("figures")
    output.parent.mkdir(parents=True, exist_ok=True)
    if args.only and output.exists():
        # A partial run updates its own figures and keeps the others.
        try:
            previous = json.loads(output.read_text(encoding="utf-8"))
            merged = {**previous.get("scenarios", {}), **document["scenarios"]}
            document["scenarios"] = merged
            bars = [s for s in merged.values() if s.get("bar")]
            document["meta"].update(
                bars_met=sum(1 for s in bars if s.get("met")), bars_total=len(bars),
                updated_groups=list(args.only),
                seconds=previous.get("meta", {}).get("seconds", document["meta"]["seconds"]))
        except (OSError, ValueError):
            pass
    write_results(output, document)
    print(table(figures))
    meta = document["meta"]
    # A quick run checks that every scenario runs: small sizes and one sample a key, so its
    # ratios say nothing about the bars (which the full run judges).
    judged = "bars met" if not args.quick else "bars met (smoke run: one sample, not judged)"
    print(f"\n{judged}: {meta['bars_met']}/{meta['bars_total']} · {meta['seconds']} s · "
          f"results: {output}")
    broken = [f.name for f in figures.values() if f.status != OK]
    if broken:
        print(f"not measured: {', '.join(broken)}", file=sys.stderr)
        return 1
    if args.check and any(f.met is False for f in figures.values()):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
